/**
 * provisionUemUsers: the UEM API guide's provisioning script as one call. Per user, in input order
 * (at most 8 users at once): look the user up by user name, check `provisionUemUsers` in the
 * environment of its organization group, create it or send only the fields that differ, then add it
 * to the named user groups. Every user and group gets a result; nothing a user asked for is
 * silently dropped. A dry run reads the same and writes nothing.
 *
 * Lookups: fewer users than the directory threshold are looked up one by one (one search each);
 * more read the whole enrollment-user directory once, fresh (2 requests for 800 users).
 */
import type { ProvisionStatus, ProvisionUemUserInput } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { mapConcurrent } from '../../concurrency.js';
import type { UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { badInput } from '../../errors.js';
import { UEM_KEYS } from '../../loaders/uem.loaders.js';
import { UEM_USER_GROUP_KEYS } from '../../loaders/uem-user-groups.loaders.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { errorCodesOf, failureOf, forgetUem, itemsOutcome } from '../uem-write.js';
import { MembershipBook, type MembershipResult } from './membership-book.js';
import { checkCreatable, diffUser, parseNewUser, parseUserFields } from './user-fields.js';
import type { UserPlaces } from '../../auth/access/access.js';
import { knownGroup } from './user-targets.js';
import { USER_CACHE_KEYS } from './user-write.service.js';

export const MAX_PROVISION_USERS = 500;
export const MAX_USER_GROUPS = 20;
const CONCURRENCY = 8;

export interface ProvisionResult {
  userName: string;
  userId: string | null;
  status: ProvisionStatus;
  changedFields: string[];
  errorCode: string | null;
  message: string | null;
  groups: MembershipResult[];
}

export interface ProvisionPayload {
  dryRun: boolean;
  results: ProvisionResult[];
}

interface Run {
  ctx: GraphQLContext;
  dryRun: boolean;
  places: UserPlaces;
  existing: (userName: string) => Promise<UemUserRecord | null>;
  book: MembershipBook;
  wrote: boolean;
}

export function provisionUemUsers(ctx: GraphQLContext, input: readonly ProvisionUemUserInput[], dryRun: boolean): Promise<ProvisionPayload> {
  const targets = input.slice(0, MAX_PROVISION_USERS).map((u) => ({ type: 'UemUserName', id: u.userName.trim().slice(0, 100) }));
  const groupNames = [...new Set(input.flatMap((u) => u.userGroups ?? []).map((n) => n.trim()))].slice(0, 50);
  const variables = { dryRun, userCount: input.length, userGroups: groupNames };
  return withAudit(ctx, { field: 'provisionUemUsers', targets, variables }, async () => {
    if (input.length === 0) throw badInput('"input" must name at least one user.', { argument: 'input' });
    if (input.length > MAX_PROVISION_USERS) throw badInput(`At most ${MAX_PROVISION_USERS} users per call.`, { argument: 'input', max: MAX_PROVISION_USERS });
    const run: Run = {
      ctx,
      dryRun,
      places: await ctx.access.provisioning(),
      existing: await lookup(ctx, input.map((u) => u.userName)),
      book: new MembershipBook(ctx, dryRun),
      wrote: false,
    };
    const seen = new Set<string>();
    const firsts = input.map((u) => {
      const key = u.userName.trim().toLowerCase();
      const first = !seen.has(key);
      seen.add(key);
      return first;
    });
    const results = await mapConcurrent(input, CONCURRENCY, async (item, i): Promise<ProvisionResult> =>
      firsts[i] ? provisionOne(run, item) : failed(item, 'BAD_USER_INPUT', 'This user name appears earlier in the input.'),
    );
    if (run.wrote || run.book.changed.size > 0) {
      forgetUem(ctx, [...USER_CACHE_KEYS, UEM_USER_GROUP_KEYS.userGroups, ...[...run.book.changed].map(UEM_USER_GROUP_KEYS.members)]);
    }
    // A group SKIPPED because its user failed is not an outcome of its own.
    const items = results.flatMap((r) => [
      { ok: r.status !== 'FAILED', errorCode: r.errorCode },
      ...r.groups.filter((g) => g.status !== 'SKIPPED').map((g) => ({ ok: g.status !== 'FAILED', errorCode: g.errorCode })),
    ]);
    return {
      result: { dryRun, results },
      outcome: itemsOutcome(items),
      errorCodes: errorCodesOf(items),
      details: { dryRun, results: results as unknown as JsonValue },
    };
  });
}

/** The existing user of each name, looked up by name or from a fresh read of the directory. */
async function lookup(ctx: GraphQLContext, userNames: readonly string[]): Promise<(userName: string) => Promise<UemUserRecord | null>> {
  if (userNames.length >= ctx.services.loaderSettings.uem.userScanThreshold) {
    // A fresh read: forgotten by the cache and by this request's loaders (which may have read it already).
    ctx.services.cache.invalidate(UEM_KEYS.userDirectory);
    ctx.loaders.renew('uem');
    const directory = await ctx.loaders.uem.userDirectory();
    return async (userName) => directory.byUserName.get(userName.trim().toLowerCase()) ?? null;
  }
  return (userName) => ctx.uem.findUserByName(userName);
}

function failed(item: ProvisionUemUserInput, errorCode: string, message: string, userId: number | null = null): ProvisionResult {
  const groups = (item.userGroups ?? []).map((groupName) => ({
    groupName,
    groupId: null,
    status: 'SKIPPED' as const,
    errorCode: null,
    message: 'Not attempted: the user was not provisioned.',
  }));
  return { userName: item.userName, userId: userId === null ? null : String(userId), status: 'FAILED', changedFields: [], errorCode, message, groups };
}

async function provisionOne(run: Run, item: ProvisionUemUserInput): Promise<ProvisionResult> {
  const { ctx, dryRun } = run;
  let userId: number | null = null;
  try {
    if ((item.userGroups?.length ?? 0) > MAX_USER_GROUPS) throw badInput(`At most ${MAX_USER_GROUPS} user groups per user.`, { argument: 'userGroups' });
    const wanted = parseUserFields(item, 'input');
    const existing = await run.existing(item.userName);
    userId = existing?.id ?? null;
    const groupId = wanted.organizationGroupId ?? existing?.organizationGroupId ?? null;
    if (groupId === null) throw badInput('"organizationGroupId" is needed to create a user.', { argument: 'organizationGroupId' });
    if (wanted.organizationGroupId !== undefined) knownGroup(run.places, wanted.organizationGroupId, 'organizationGroupId');
    const refusal = run.places.refusal([groupId, existing?.organizationGroupId ?? groupId]);
    if (refusal) return failed(item, 'FORBIDDEN', refusal, userId);

    let status: ProvisionStatus;
    let changedFields: string[] = [];
    if (!existing) {
      const fields = parseNewUser(item, 'input');
      checkCreatable(fields, 'input');
      status = dryRun ? 'WOULD_CREATE' : 'CREATED';
      if (!dryRun) {
        userId = await ctx.uem.createUser({ ...fields, organizationGroupId: groupId });
        run.wrote = true;
      }
    } else {
      const diff = diffUser(existing, wanted, false);
      changedFields = diff.changed;
      status = diff.changed.length === 0 ? 'UNCHANGED' : dryRun ? 'WOULD_UPDATE' : 'UPDATED';
      if (status === 'UPDATED') {
        run.wrote = true;
        if (Object.keys(diff.changes).length > 0) await ctx.uem.updateUser(existing.id, diff.changes);
        if (diff.active === true) await ctx.uem.activateUser(existing.id);
        if (diff.active === false) await ctx.uem.deactivateUser(existing.id);
      }
    }
    const groups = await run.book.join(item.userGroups ?? [], groupId, userId, status === 'CREATED');
    return { userName: item.userName, userId: userId === null ? null : String(userId), status, changedFields, errorCode: null, message: null, groups };
  } catch (err) {
    const failure = failureOf(err);
    return failed(item, failure.errorCode, failure.message, userId);
  }
}
