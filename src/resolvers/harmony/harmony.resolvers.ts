/**
 * Harmony users, roles and environments. Everything is read from Harmony's whole lists through the
 * request's loaders (users, roles, the batch environment access, environments), so a query costs
 * at most one upstream read per list however many users and roles it touches.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { roleMatches } from '../../domain/harmony-labels.js';
import {
  assignmentsOf,
  assignmentsTo,
  environmentById,
  environmentRoleAccess,
  roleAccess,
  roleById,
  toEnvironmentRef,
} from './harmony.directory.js';
import { effectivePrincipal, environmentAccessOf, permissionsOf } from './harmony.effective.js';
import { filterHarmonyUsers } from './harmony.filters.js';
import { listConnection } from './list-connection.js';
import { devicesOfEmail, scopedUemUserByEmail } from './people.js';

const status = (active: boolean) => (active ? 'ACTIVE' : 'INACTIVE');
const ENVIRONMENT_TYPES = ['PRODUCTION', 'SANDBOX', 'DEVELOPMENT'] as const;

export const harmonyResolvers: Resolvers = {
  Query: {
    harmonyUser: (_root, { email }, ctx) => ctx.loaders.harmony.userByEmail(email),
    harmonyUsers: async (_root, args, ctx) =>
      listConnection(ctx, 'harmonyUsers', await filterHarmonyUsers(ctx.loaders.harmony, args.filter), args),
    role: (_root, { id }, ctx) => roleById(ctx.loaders.harmony, id),
    roles: async (_root, { search }, ctx) => {
      const roles = await ctx.loaders.harmony.roles();
      return search ? roles.filter((r) => roleMatches(r, search)) : roles;
    },
    environments: async (_root, _args, ctx) => (await ctx.loaders.harmony.environments()).map(toEnvironmentRef),
  },
  HarmonyUser: {
    id: (u) => u.userId,
    email: (u) => u.email,
    roles: (u, _args, ctx) => assignmentsOf(ctx.loaders.harmony, u),
    permissions: async (u, _args, ctx) => permissionsOf(await effectivePrincipal(ctx.loaders.harmony, u)),
    environmentAccess: async (u, _args, ctx) => environmentAccessOf(await effectivePrincipal(ctx.loaders.harmony, u)),
    uemUser: (u, _args, ctx) => scopedUemUserByEmail(ctx, u.email),
    devices: (u, args, ctx) => devicesOfEmail(ctx, u.email, args),
  },
  RoleAssignment: {
    status: (a) => status(a.active),
    effective: (a) => a.active && a.role.active,
  },
  Role: {
    id: (r) => r.roleId,
    permissions: (r) => [...r.permissions],
    status: (r) => status(r.active),
    environmentAccess: (r, _args, ctx) => roleAccess(ctx.loaders.harmony, r.roleId),
    assignments: (r, _args, ctx) => assignmentsTo(ctx.loaders.harmony, r),
  },
  Environment: {
    description: async (e, _args, ctx) => (await environmentById(ctx.loaders.harmony, e.id))?.envDesc || null,
    type: async (e, _args, ctx) => {
      const type = (await environmentById(ctx.loaders.harmony, e.id))?.envType.toUpperCase();
      return ENVIRONMENT_TYPES.find((t) => t === type) ?? 'OTHER';
    },
    roleAccess: (e, _args, ctx) => environmentRoleAccess(ctx.loaders.harmony, e.id),
    apiGroups: async (e, _args, ctx) => (await ctx.loaders.harmony.apiGroups()).filter((g) => g.envId === e.id),
  },
  UemUser: {
    harmonyUser: async (u, _args, ctx) => {
      const email = u.email ?? (u.record ?? (await ctx.loaders.uem.userById.load(u.id)))?.email;
      return email ? ctx.loaders.harmony.userByEmail(email) : null;
    },
  },
};
