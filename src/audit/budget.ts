/**
 * Budgets of audit rows per principal, token buckets shared by every instance like the request
 * limits: one for rows that record a change or a partner read (RATE_LIMIT_AUDIT_BURST,
 * RATE_LIMIT_AUDIT_PER_SECOND), a tighter one for rows that record a refusal (RATE_LIMIT_AUDIT_
 * REFUSAL_BURST, RATE_LIMIT_AUDIT_REFUSAL_PER_MINUTE): a flood of refused requests is recorded as
 * its first rows and a count, not a row per request.
 *
 * Rows that record a change (`withAudit`) are never dropped: past the budget the change is refused
 * (RATE_LIMITED, nothing sent upstream). Rows of refusals and partner reads are dropped past their
 * budget and counted: the next row written for that principal says how many were dropped before it
 * (`details.suppressedBefore`), and `gateway_audit_rows_suppressed_total` counts them all.
 */
import type { RateLimit } from '../config.js';
import type { PrincipalKind } from '../store/database.types.js';
import { TokenLeases, type LeaseResult, type TakeTokens } from '../safety/token-leases.js';

/** Principals with a count of dropped rows kept in memory at most (the oldest are forgotten). */
const MAX_TRACKED = 10_000;

export interface AuditPrincipal {
  kind: PrincipalKind;
  email: string;
}

/** What a row records: a change or a partner read, or a refusal. */
export type AuditRowKind = 'record' | 'refusal';

export class AuditBudget {
  private readonly leases = new TokenLeases();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly limits: Record<AuditRowKind, RateLimit>,
    private readonly takeTokens: TakeTokens,
    private readonly onSuppressed: () => void = () => undefined,
  ) {}

  /** A token for one more row of this principal. */
  take(principal: AuditPrincipal, kind: AuditRowKind = 'record'): Promise<LeaseResult> {
    const key = kind === 'refusal' ? `audit-refusal:${principal.kind}:${principal.email.toLowerCase()}` : keyOf(principal);
    return this.leases.take(key, this.limits[kind], this.takeTokens);
  }

  /** Counts a row of this principal that was not written. */
  suppress(principal: AuditPrincipal): void {
    const key = keyOf(principal);
    const count = (this.suppressed.get(key) ?? 0) + 1;
    this.suppressed.delete(key);
    if (this.suppressed.size >= MAX_TRACKED) this.suppressed.delete(this.suppressed.keys().next().value as string);
    this.suppressed.set(key, count);
    this.onSuppressed();
  }

  /** Rows of this principal dropped since its last written row; the count starts again. */
  drainSuppressed(principal: AuditPrincipal): number {
    const key = keyOf(principal);
    const count = this.suppressed.get(key) ?? 0;
    this.suppressed.delete(key);
    return count;
  }
}

const keyOf = (p: AuditPrincipal) => `audit:${p.kind}:${p.email.toLowerCase()}`;
