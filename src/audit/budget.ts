/**
 * A budget of audit rows per principal (RATE_LIMIT_AUDIT_BURST, RATE_LIMIT_AUDIT_PER_SECOND), a
 * token bucket shared by every instance like the request limits. Rows that record a change
 * (`withAudit`) are never dropped: past the budget the change is refused (RATE_LIMITED, nothing
 * sent upstream). Rows that record a refusal or a partner read are dropped past the budget and
 * counted: the next row written for that principal says how many were dropped before it
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

export class AuditBudget {
  private readonly leases = new TokenLeases();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly takeTokens: TakeTokens,
    private readonly onSuppressed: () => void = () => undefined,
  ) {}

  /** A token for one more row of this principal. */
  take(principal: AuditPrincipal): Promise<LeaseResult> {
    return this.leases.take(keyOf(principal), this.limit, this.takeTokens);
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
