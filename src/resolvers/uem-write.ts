/**
 * What UEM writes share: after a change the gateway forgets what it cached of the objects changed
 * (across requests, so every caller reads the change at once) and starts this request's UEM loaders
 * afresh (so the payload, and later mutations of the same document, read the new state). Writes
 * with a result per item share how they audit the items and how an item's failure is reported.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { isUpstreamError } from '../errors.js';
import { UEM_REFERENCE_KEYS } from '../loaders/uem-reference.loaders.js';
import { UEM_KEYS } from '../loaders/uem.loaders.js';

/**
 * Forgets the cache keys (a trailing `*` is a prefix) and renews the request's UEM loaders. A
 * change to users also takes the users snapshot out of service until it is refreshed (or the
 * changed users are put back into it).
 */
export function forgetUem(ctx: GraphQLContext, keys: readonly string[]): void {
  for (const key of keys) ctx.services.cache.invalidate(key);
  if (keys.includes(UEM_KEYS.userDirectory)) ctx.services.snapshots.invalidate('users');
  ctx.loaders.renew('uem');
}

/**
 * After a tag change: forgets the tag list (`'list'`: a tag was created) or the member lists of the
 * tags named, takes the tags snapshot (every tag with its members) out of service until it is
 * refreshed, and renews the request's UEM loaders.
 */
export function forgetTags(ctx: GraphQLContext, changed: 'list' | readonly number[]): void {
  ctx.services.snapshots.invalidate('tags');
  forgetUem(ctx, changed === 'list' ? [UEM_REFERENCE_KEYS.tags] : changed.map(UEM_REFERENCE_KEYS.tagMembers));
}

/** The distinct error codes of a list of results, for the audit row. */
export function errorCodesOf(results: readonly { errorCode: string | null }[]): string[] {
  return [...new Set(results.map((r) => r.errorCode).filter((c): c is string => c !== null))];
}

/**
 * The audit outcome of per-item results: SUCCESS when every item went as asked, DENIED when every
 * item was refused for permission, FAILURE when none went, PARTIAL otherwise.
 */
export function itemsOutcome(items: readonly { ok: boolean; errorCode: string | null }[]): 'SUCCESS' | 'PARTIAL' | 'FAILURE' | 'DENIED' {
  const ok = items.filter((i) => i.ok).length;
  if (ok === items.length) return 'SUCCESS';
  if (ok > 0) return 'PARTIAL';
  return items.every((i) => i.errorCode === 'FORBIDDEN') ? 'DENIED' : 'FAILURE';
}

/** A contract code and message for an expected failure (upstream, or our own coded error); rethrows anything else. */
export function failureOf(err: unknown): { errorCode: string; message: string } {
  if (isUpstreamError(err)) {
    const upstreamCode = err.details.upstreamCode;
    return { errorCode: err.code, message: upstreamCode === undefined ? err.message : `${err.message} Upstream error code: ${upstreamCode}.` };
  }
  if (err instanceof GraphQLError && typeof err.extensions.code === 'string') return { errorCode: err.extensions.code, message: err.message };
  throw err;
}
