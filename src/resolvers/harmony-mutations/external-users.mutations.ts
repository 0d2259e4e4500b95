/**
 * External users of the API Manager portal: invite (optional expiry day and time zone), edit
 * expiry and grants (API groups, and APIs on their own per environment: each list, when given,
 * replaces what the user had), suspend, reactivate, resend the invitation, delete (typed DELETE). Rules:
 * `domain/harmony-rules/external-users.rules.ts`; the status is computed with the expiry rule at
 * the time of the request.
 */
import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import type { ApiGrant, ExternalUserChanges } from '../../datasources/harmony/harmony.datasource.js';
import { checkConfirmation } from '../../domain/harmony-rules/confirmation.js';
import {
  checkApiGroups,
  checkApis,
  checkEditable,
  checkExpiry,
  checkExternalInvite,
  checkResendable,
  checkTimeZone,
  findExternalUser,
} from '../../domain/harmony-rules/external-users.rules.js';
import { violation } from '../../domain/harmony-rules/violation.js';
import type { GraphQLContext } from '../../context.js';
import { enforce, found, harmonyWrite, target } from './harmony-write.js';

type ExternalMutations = Pick<
  MutationResolvers,
  | 'inviteExternalUser'
  | 'updateExternalUser'
  | 'suspendExternalUser'
  | 'reactivateExternalUser'
  | 'resendExternalUserInvitation'
  | 'deleteExternalUser'
>;

const externalTarget = (id: string) => [target('ExternalUser', id)];

/** An edit of a registered user (ACTIVE or SUSPENDED only), checked, then sent. */
async function editExternalUser(ctx: GraphQLContext, id: string, changes: ExternalUserChanges) {
  const h = ctx.loaders.harmony;
  const [externalUsers, apiGroups, catalog] = await Promise.all([h.externalUsers(), h.apiGroups(), changes.apis && apiCatalog(ctx)]);
  const user = found(findExternalUser(externalUsers, id));
  const now = Date.now();
  if (Object.keys(changes).length === 0) enforce(violation('INVALID_REQUEST', 'Give at least one change.', 'input'));
  const timeZone = changes.timeZone ?? user.timeZone;
  const expiry = changes.accessExpiresOn === undefined ? undefined : checkExpiry(changes.accessExpiresOn, timeZone, now);
  const apis = catalog && checkApis(catalog, changes.apis);
  enforce(checkEditable(user, now), checkTimeZone(changes.timeZone), expiry, checkApiGroups(apiGroups, changes.apiGroupIds), apis);
  return { externalUser: await ctx.harmony.updateExternalUser(user.externalUserId, changes) };
}

/** What API grants are checked against: the environments and the published APIs (only read when grants are given). */
async function apiCatalog(ctx: GraphQLContext) {
  const [environments, apis] = await Promise.all([ctx.loaders.harmony.environments(), ctx.loaders.harmony.apis()]);
  return { environments, apis };
}

/** The input's API grants in Harmony's wire shape, each once, in the order given; undefined when absent. */
function apiGrants(input: readonly { apiId: string; environmentId: string }[] | null | undefined): ApiGrant[] | undefined {
  if (!input) return undefined;
  const grants = new Map(input.map((g) => [`${g.environmentId}\u0000${g.apiId}`, { envId: g.environmentId, apiId: g.apiId }]));
  return [...grants.values()];
}

/** Present keys only: an absent input field stays unchanged, an explicit null means "never" for the expiry. */
function definedOnly<T extends Record<string, unknown>>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const externalUserMutations: ExternalMutations = {
  inviteExternalUser: (_root, args, ctx) => {
    const { input } = args;
    const email = input.email.trim();
    const invite = {
      email,
      accessExpiresOn: input.accessExpiresOn ?? null,
      timeZone: input.timeZone?.trim() || 'UTC',
      name: input.name ?? undefined,
      company: input.company ?? undefined,
      apiGroupIds: input.apiGroupIds ? [...new Set(input.apiGroupIds)] : undefined,
      apis: apiGrants(input.apis),
    };
    return harmonyWrite(ctx, { field: 'inviteExternalUser', targets: [target('ExternalUser', email, email)], variables: args }, async () => {
      const h = ctx.loaders.harmony;
      const [users, externalUsers, apiGroups, catalog] = await Promise.all([
        h.users(),
        h.externalUsers(),
        h.apiGroups(),
        invite.apis ? apiCatalog(ctx) : { environments: [], apis: [] },
      ]);
      enforce(checkExternalInvite({ users, externalUsers, apiGroups, ...catalog }, invite, Date.now()));
      return { externalUser: await ctx.harmony.inviteExternalUser(invite) };
    });
  },

  updateExternalUser: (_root, args, ctx) => {
    const { input } = args;
    const changes: ExternalUserChanges = definedOnly({
      // null is meaningful here (never expires); undefined (absent) leaves the expiry alone.
      accessExpiresOn: input.accessExpiresOn,
      timeZone: input.timeZone?.trim() ?? undefined,
      apiGroupIds: input.apiGroupIds ? [...new Set(input.apiGroupIds)] : undefined,
      apis: apiGrants(input.apis),
      name: input.name ?? undefined,
      company: input.company ?? undefined,
    });
    return harmonyWrite(ctx, { field: 'updateExternalUser', targets: externalTarget(args.externalUserId), variables: args }, () =>
      editExternalUser(ctx, args.externalUserId, changes),
    );
  },

  suspendExternalUser: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'suspendExternalUser', targets: externalTarget(args.externalUserId), variables: args }, () =>
      editExternalUser(ctx, args.externalUserId, { status: 'SUSPENDED' }),
    ),

  reactivateExternalUser: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'reactivateExternalUser', targets: externalTarget(args.externalUserId), variables: args }, () =>
      editExternalUser(ctx, args.externalUserId, { status: 'ACTIVE' }),
    ),

  resendExternalUserInvitation: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'resendExternalUserInvitation', targets: externalTarget(args.externalUserId), variables: args }, async () => {
      const user = found(findExternalUser(await ctx.loaders.harmony.externalUsers(), args.externalUserId));
      const now = Date.now();
      const changes = definedOnly({ accessExpiresOn: args.accessExpiresOn, timeZone: args.timeZone?.trim() ?? undefined });
      const expiry = changes.accessExpiresOn === undefined ? undefined : checkExpiry(changes.accessExpiresOn, changes.timeZone ?? user.timeZone, now);
      enforce(checkResendable(user, now, changes.accessExpiresOn), checkTimeZone(changes.timeZone), expiry);
      return { externalUser: await ctx.harmony.resendExternalUserInvitation(user.externalUserId, changes) };
    }),

  deleteExternalUser: (_root, args, ctx) =>
    harmonyWrite(ctx, { field: 'deleteExternalUser', targets: externalTarget(args.externalUserId), variables: args }, async () => {
      enforce(checkConfirmation('DELETE', args.confirm, 'delete an external user'));
      const user = found(findExternalUser(await ctx.loaders.harmony.externalUsers(), args.externalUserId));
      await ctx.harmony.deleteExternalUser(user.externalUserId);
      return { deletedExternalUserId: user.externalUserId, email: user.email };
    }),
};
