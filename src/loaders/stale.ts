/**
 * Stale answers say so (README, "Stale answers"): which cached lists one request was answered
 * from while their upstream failed (stale-if-error), for the response's `extensions.stale`.
 *
 * Each list names the graph field that lists it (`roles`, `harmonyUsers`, …). A list read before
 * execution served the caller's own permissions, reported as `viewer` (who is calling and what they
 * may do); the same list read again by a field during execution is reported under its own name.
 * One log per request, shared by the loaders a write renews.
 */
import type { UpstreamName } from '../errors.js';

/** The graph field a cached list answers. */
export interface StaleSource {
  upstream: UpstreamName;
  field: string;
}

/** One entry of `extensions.stale`. */
export interface StaleNotice extends StaleSource {
  /** How old the served copy was, in whole seconds. */
  ageSeconds: number;
}

/** The field under which lists read for the caller's own permissions are reported. */
export const PRINCIPAL_FIELD = 'viewer';

interface ListRead {
  source: StaleSource;
  forPrincipal: boolean;
  forFields: boolean;
  staleMs?: number;
}

export class StaleLog {
  private executing = false;
  private readonly lists = new Map<string, ListRead>();

  /** From now on, reads are for the operation's fields (before: for the caller's permissions). */
  beginExecution(): void {
    this.executing = true;
  }

  /** A read of the cached list `key`. */
  read(key: string, source: StaleSource): void {
    let entry = this.lists.get(key);
    if (!entry) {
      entry = { source, forPrincipal: false, forFields: false };
      this.lists.set(key, entry);
    }
    if (this.executing) entry.forFields = true;
    else entry.forPrincipal = true;
  }

  /** The list `key` was answered from a copy `ageMs` old because its upstream failed. */
  served(key: string, ageMs: number): void {
    const entry = this.lists.get(key);
    if (entry) entry.staleMs = Math.max(entry.staleMs ?? 0, ageMs);
  }

  /** One notice per upstream and field (the oldest copy behind it), in a stable order. */
  notices(): StaleNotice[] {
    const byField = new Map<string, StaleNotice>();
    const add = (upstream: UpstreamName, field: string, ageMs: number) => {
      const key = `${upstream}:${field}`;
      const ageSeconds = Math.floor(ageMs / 1000);
      const known = byField.get(key);
      if (!known || known.ageSeconds < ageSeconds) byField.set(key, { upstream, field, ageSeconds });
    };
    for (const { source, forPrincipal, forFields, staleMs } of this.lists.values()) {
      if (staleMs === undefined) continue;
      if (forPrincipal) add(source.upstream, PRINCIPAL_FIELD, staleMs);
      if (forFields) add(source.upstream, source.field, staleMs);
    }
    return [...byField.values()].sort((a, b) => a.upstream.localeCompare(b.upstream) || a.field.localeCompare(b.field));
  }
}
