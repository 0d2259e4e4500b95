/**
 * `createTag`: a Device tag at an organization group, or the tag already named so there (names
 * are unique per group, ignoring case), so that running it twice creates one tag. UEM's own list
 * is asked first (`tags/search?name`, not the cache: another instance may have created it), and a
 * duplicate refusal from `addtag` (a creation racing ours) answers the tag that won.
 *
 * With an idempotency key the key is claimed before anything is sent (src/idempotency/); a retry
 * after an interruption looks the name up in UEM instead of creating again.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup, UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, isUpstreamError } from '../../errors.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { checkIdempotencyKey, type Progress } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { sameTagName } from '../../domain/tag-names.js';
import { forgetTags } from '../uem-write.js';
import { NO_PROGRESS } from '../device-commands/recorded-sends.js';

export const MAX_TAG_NAME = 50;

export interface CreateTagPayload {
  tag: UemTag;
  created: boolean;
  replayed: boolean;
  interrupted: boolean;
}

type Created = { tag: UemTag; created: boolean; interrupted: boolean };

export async function createTag(
  ctx: GraphQLContext,
  args: { name: string; organizationGroupId?: string | null; idempotencyKey?: string | null },
): Promise<CreateTagPayload> {
  const name = args.name.trim();
  const key = args.idempotencyKey?.trim();
  const variables = { name: args.name.slice(0, 200), organizationGroupId: args.organizationGroupId ?? null, idempotencyKey: key ?? null };
  return withAudit(ctx, { field: 'createTag', targets: [{ type: 'Tag', id: name.slice(0, 40) }], variables }, async (auditId) => {
    if (name === '' || name.length > MAX_TAG_NAME) throw badInput(`"name" must be 1 to ${MAX_TAG_NAME} characters.`, { argument: 'name' });
    if (/^\d+$/.test(name)) throw badInput('"name" must not be only digits: tag mutations read such a value as a tag id.', { argument: 'name' });
    const group = await ctx.access.organizationGroup(args.organizationGroupId, 'organizationGroupId');
    await ctx.access.requireInGroup(group, 'sendStateChangingCommand');
    const target = `${group.id}:${name.toLowerCase()}`;
    let outcome: Created;
    let replayed = false;
    if (key === undefined) {
      outcome = await ensureTag(ctx, group, name, NO_PROGRESS, target);
    } else {
      checkIdempotencyKey(key, 'idempotencyKey');
      const run = await ctx.services.idempotency.run<JsonValue>(
        { principalEmail: ctx.principal.email, key, operation: 'createTag', fingerprint: fingerprint('createTag', { group: group.id, name: name.toLowerCase() }), targets: [target], auditEventId: auditId },
        {
          execute: async (progress) => (await ensureTag(ctx, group, name, progress, target)) as unknown as JsonValue,
          recover: async () => {
            // Whatever the interrupted request reached, UEM's list says whether the tag is there now.
            const existing = await existingTag(ctx, group, name);
            if (existing) return { response: { tag: existing, created: true, interrupted: true } as unknown as JsonValue, settled: true, reconciled: { tagId: existing.id } };
            return { response: (await ensureTag(ctx, group, name, NO_PROGRESS, target)) as unknown as JsonValue, settled: true, reconciled: { tagId: null } };
          },
        },
      );
      outcome = run.response as unknown as Created;
      replayed = run.source === 'replayed';
    }
    return {
      result: { ...outcome, replayed },
      outcome: 'SUCCESS',
      details: { tagId: outcome.tag.id, created: outcome.created, replayed, organizationGroupId: group.id },
    };
  });
}

async function existingTag(ctx: GraphQLContext, group: UemOrganizationGroup, name: string): Promise<UemTag | undefined> {
  return (await ctx.uem.searchTags({ name })).find((t) => t.organizationGroupId === group.id && sameTagName(t.name, name));
}

async function ensureTag(ctx: GraphQLContext, group: UemOrganizationGroup, name: string, progress: Progress, target: string): Promise<Created> {
  const existing = await existingTag(ctx, group, name);
  if (existing) return { tag: existing, created: false, interrupted: false };
  await progress.sending([target]);
  let id: number;
  try {
    id = await ctx.uem.createTag(name, group.id);
  } catch (err) {
    const raced = isUpstreamError(err) && err.details.status === 400 ? await existingTag(ctx, group, name) : undefined;
    if (raced) return { tag: raced, created: false, interrupted: false };
    throw err;
  }
  forgetTags(ctx, 'list');
  const tag = (await ctx.uem.getTag(id)) ?? { id, uuid: null, name, tagType: 'Device', organizationGroupId: group.id };
  await progress.done(new Map([[target, { tagId: id }]]));
  return { tag, created: true, interrupted: false };
}
