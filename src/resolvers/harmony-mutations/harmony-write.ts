/**
 * The one path every Harmony mutation takes: audited (`withAudit`), business rules refused as coded
 * errors before anything is sent, Harmony's own refusals mapped to the same shape, and after a
 * successful write the Harmony cache forgotten — across requests (so principals and reads see the
 * change at once) and for the rest of this request (so the payload, and later mutations of the
 * same document, read the new state).
 */
import type { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { isViolation, type RuleViolation } from '../../domain/harmony-rules/violation.js';
import { codedError, ErrorCode, forbidden, isUpstreamError } from '../../errors.js';
import type { AuditTarget } from '../../store/audit.repository.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';

/** A rule's refusal: NOT_FOUND for unknown ids, BAD_USER_INPUT otherwise; the rule's code as `reason`. */
export function refusal(v: RuleViolation): GraphQLError {
  const code = v.reason === 'NOT_FOUND' ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT;
  return codedError(code, v.message, { extensions: v.field === undefined ? { reason: v.reason } : { reason: v.reason, field: v.field } });
}

/** Throws the refusal of the first violation, if any. */
export function enforce(...checks: (RuleViolation | undefined)[]): void {
  const v = checks.find((c) => c !== undefined);
  if (v) throw refusal(v);
}

/** The record a lookup found, or its NOT_FOUND refusal. */
export function found<T extends object>(lookup: T | RuleViolation): T {
  if (isViolation(lookup)) throw refusal(lookup);
  return lookup;
}

/**
 * Harmony's business-rule refusals (`details.upstreamCode`) as the gateway's own: the same code in
 * `reason`; an expired subscription is FORBIDDEN like the permission rule says. Anything else
 * (unreachable, timeouts) passes through as the upstream error it is.
 */
export function fromHarmonyRefusal(err: unknown): unknown {
  if (!isUpstreamError(err) || err.upstream !== 'harmony' || typeof err.details.upstreamCode !== 'string') return err;
  const upstreamCode = err.details.upstreamCode;
  const extensions = { reason: upstreamCode, upstream: 'harmony', upstreamCode };
  if (upstreamCode === 'SUBSCRIPTION_EXPIRED') {
    return forbidden("The organization's Harmony subscription has expired: administration is read-only until it is renewed.", extensions);
  }
  if (err.code === ErrorCode.BAD_USER_INPUT || err.code === ErrorCode.NOT_FOUND) return codedError(err.code, err.message, { extensions });
  return err;
}

/** Forgets cached Harmony data everywhere this request can see it. */
export function forgetHarmony(ctx: GraphQLContext): void {
  ctx.services.cache.invalidate('harmony:*');
  ctx.loaders.renew('harmony');
}

export interface HarmonyWrite {
  field: string;
  targets: AuditTarget[];
  /** The mutation's arguments (nothing secret is ever among them). */
  variables: unknown;
}

/**
 * Runs one Harmony mutation: the access service confirms the caller may write Harmony (the
 * permission layer already refused anyone else: this is the write's own check), `run` checks its
 * rules, then writes.
 */
export async function harmonyWrite<T>(ctx: GraphQLContext, write: HarmonyWrite, run: () => Promise<T>): Promise<T> {
  ctx.access.require('writeHarmony');
  const variables = JSON.parse(JSON.stringify(write.variables ?? null)) as JsonValue;
  return withAudit(ctx, { field: write.field, targets: write.targets, variables }, async () => {
    let result: T;
    try {
      result = await run();
    } catch (err) {
      // A refusal by Harmony means our copy may be stale (someone changed Harmony directly).
      if (isUpstreamError(err) && typeof err.details.upstreamCode === 'string') ctx.services.cache.invalidate('harmony:*');
      throw fromHarmonyRefusal(err);
    }
    forgetHarmony(ctx);
    return { result, outcome: 'SUCCESS' };
  });
}

/** Audit targets. */
export const target = (type: string, id: string, label?: string | null): AuditTarget =>
  label ? { type, id, label } : { type, id };
