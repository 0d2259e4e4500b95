/**
 * Roles and their environment access: create, edit, deactivate (typed DEACTIVATE), reactivate,
 * remove (typed REMOVE; Harmony removes the role from all its users) and set the access levels of
 * one environment (never of a built-in role: ROLE_IMMUTABLE, like any other edit of one). Rules: `domain/harmony-rules/roles.rules.ts`.
 */
import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import type { Permission } from '../../datasources/harmony/harmony.schemas.js';
import { checkConfirmation } from '../../domain/harmony-rules/confirmation.js';
import { checkMutable, checkNewRole, checkRoleEdit, distinct, findEnvironment, findRole } from '../../domain/harmony-rules/roles.rules.js';
import { orderedLevels, toEnvironmentRef } from '../harmony/harmony.directory.js';
import { enforce, found, harmonyWrite, target } from './harmony-write.js';

type RoleMutations = Pick<
  MutationResolvers,
  'createRole' | 'updateRole' | 'deactivateRole' | 'reactivateRole' | 'removeRole' | 'setEnvironmentAccess'
>;

const roleTarget = (roleId: string) => [target('Role', roleId)];

export const roleMutations: RoleMutations = {
  createRole: (_root, args, ctx) => {
    const name = args.input.name.trim();
    const permissions: Permission[] = distinct(args.input.permissions);
    return harmonyWrite(ctx, { field: 'createRole', targets: [target('Role', name, name)], variables: args }, async () => {
      enforce(checkNewRole(await ctx.loaders.harmony.roles(), { name, permissions }));
      return { role: await ctx.harmony.createRole({ name, permissions }) };
    });
  },

  updateRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'updateRole', targets: roleTarget(args.roleId), variables: args }, async () => {
      const roles = await ctx.loaders.harmony.roles();
      const role = found(findRole(roles, args.roleId));
      const name = args.input.name?.trim();
      const permissions = args.input.permissions ? distinct(args.input.permissions) : undefined;
      enforce(checkRoleEdit(roles, role, { name, permissions }));
      return { role: await ctx.harmony.updateRole(role.roleId, { name, permissions }) };
    }),

  deactivateRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'deactivateRole', targets: roleTarget(args.roleId), variables: args }, async () => {
      enforce(checkConfirmation('DEACTIVATE', args.confirm, 'deactivate a role'));
      const role = found(findRole(await ctx.loaders.harmony.roles(), args.roleId));
      enforce(checkMutable(role, 'deactivated'));
      return { role: await ctx.harmony.updateRole(role.roleId, { active: false }) };
    }),

  reactivateRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'reactivateRole', targets: roleTarget(args.roleId), variables: args }, async () => {
      const role = found(findRole(await ctx.loaders.harmony.roles(), args.roleId));
      enforce(checkMutable(role, 'reactivated'));
      return { role: await ctx.harmony.updateRole(role.roleId, { active: true }) };
    }),

  removeRole: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'removeRole', targets: roleTarget(args.roleId), variables: args }, async () => {
      enforce(checkConfirmation('REMOVE', args.confirm, 'remove a role'));
      const role = found(findRole(await ctx.loaders.harmony.roles(), args.roleId));
      enforce(checkMutable(role, 'removed'));
      const removed = await ctx.harmony.removeRole(role.roleId);
      return { removedRoleId: removed.roleId, removedFromUsers: removed.removedFromUsers };
    }),

  setEnvironmentAccess: (_root, args, ctx) =>
    harmonyWrite(
      ctx,
      { field: 'setEnvironmentAccess', targets: [target('Role', args.roleId), target('Environment', args.environmentId)], variables: args },
      async () => {
        const h = ctx.loaders.harmony;
        const [roles, environments] = await Promise.all([h.roles(), h.environments()]);
        const role = found(findRole(roles, args.roleId));
        // A built-in role's access is part of the role: the User role's reaches every member at once.
        enforce(checkMutable(role, 'edited, its environment access included'));
        const env = found(findEnvironment(environments, args.environmentId));
        const cell = await ctx.harmony.setRoleEnvironmentAccess(role.roleId, env.envId, orderedLevels(args.levels));
        return { role, environmentAccess: { environment: toEnvironmentRef(env), levels: orderedLevels(cell.levels) } };
      },
    ),
};
