/**
 * Harmony users and their role assignments: invite, remove (typed REMOVE), assign, unassign, and
 * switch an assignment on or off. Rules: `domain/harmony-rules/users.rules.ts`.
 */
import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { checkConfirmation } from '../../domain/harmony-rules/confirmation.js';
import { checkAssignment, checkHarmonyInvite, findUser } from '../../domain/harmony-rules/users.rules.js';
import { enforce, found, harmonyWrite, target } from './harmony-write.js';

type UserMutations = Pick<
  MutationResolvers,
  'inviteHarmonyUser' | 'removeHarmonyUser' | 'assignRole' | 'unassignRole' | 'setRoleAssignmentActive'
>;

const assignmentTargets = (userId: string, roleId: string) => [target('HarmonyUser', userId), target('Role', roleId)];

export const userMutations: UserMutations = {
  inviteHarmonyUser: (_root, args, ctx) => {
    const email = args.input.email.trim();
    const roleIds = [...new Set(args.input.roleIds)];
    return harmonyWrite(ctx, { field: 'inviteHarmonyUser', targets: [target('HarmonyUser', email, email)], variables: args }, async () => {
      const h = ctx.loaders.harmony;
      const [org, users, externalUsers, roles] = await Promise.all([h.organization(), h.users(), h.externalUsers(), h.roles()]);
      enforce(checkHarmonyInvite(org, { users, externalUsers, roles }, { email, roleIds }));
      return { user: await ctx.harmony.inviteUser(email, roleIds) };
    });
  },

  removeHarmonyUser: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'removeHarmonyUser', targets: [target('HarmonyUser', args.userId)], variables: args }, async () => {
      enforce(checkConfirmation('REMOVE', args.confirm, 'remove a Harmony user'));
      const user = found(findUser(await ctx.loaders.harmony.users(), args.userId));
      await ctx.harmony.removeUser(user.userId);
      return { removedUserId: user.userId, email: user.email };
    }),

  assignRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'assignRole', targets: assignmentTargets(args.userId, args.roleId), variables: args }, async () => {
      const h = ctx.loaders.harmony;
      const [users, roles] = await Promise.all([h.users(), h.roles()]);
      enforce(checkAssignment({ users, roles }, args.userId, args.roleId, false));
      return { user: await ctx.harmony.setUserRole(args.userId, args.roleId, args.active ?? true) };
    }),

  unassignRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'unassignRole', targets: assignmentTargets(args.userId, args.roleId), variables: args }, async () => {
      const h = ctx.loaders.harmony;
      const [users, roles] = await Promise.all([h.users(), h.roles()]);
      enforce(checkAssignment({ users, roles }, args.userId, args.roleId, true));
      return { user: await ctx.harmony.unassignUserRole(args.userId, args.roleId) };
    }),

  setRoleAssignmentActive: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'setRoleAssignmentActive', targets: assignmentTargets(args.userId, args.roleId), variables: args }, async () => {
      const h = ctx.loaders.harmony;
      const [users, roles] = await Promise.all([h.users(), h.roles()]);
      enforce(checkAssignment({ users, roles }, args.userId, args.roleId, true));
      return { user: await ctx.harmony.setUserRole(args.userId, args.roleId, args.active) };
    }),
};
