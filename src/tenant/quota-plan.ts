/**
 * How often the UEM snapshots are refreshed, derived from the daily quota (issue 17): the gateway
 * may spend `share` of the tenant's daily quota (the rest belongs to the tenant's other
 * integrations), and half of that allowance goes to snapshot refreshes, the other half is left to
 * live requests. Each refresh gets a fixed part of the snapshot budget; its period is its cost
 * (in UEM requests, from the tenant's sizes) over what that part allows per day, never shorter than
 * a minute. Pure: the caller passes the costs.
 */

export const DAY_MS = 86_400_000;
/** The part of the gateway's daily allowance given to snapshot refreshes. */
export const SNAPSHOT_SHARE = 0.5;
/** No snapshot is refreshed more often than this, however large the quota. */
export const MIN_PERIOD_MS = 60_000;

/** The refreshes of the snapshots, and the part of the snapshot budget each gets. */
export const REFRESHES = {
  /** Devices seen since the last refresh (`seensince`), plus a one-row probe of the tenant's total. */
  devicesIncremental: 0.3,
  /** Every device, which also drops devices UEM no longer has. */
  devicesFull: 0.2,
  /** The enrollment-user directory (UEM's user search has no "changed since": always whole). */
  users: 0.25,
  /** The tag list and each tag's devices. */
  tags: 0.125,
  /** The smart group list and each group's devices. */
  smartGroups: 0.125,
} as const;
export type RefreshName = keyof typeof REFRESHES;

export interface QuotaSettings {
  /** UEM requests per day for the whole tenant. */
  dailyQuota: number;
  /** The share of it this gateway may spend (0–1). */
  share: number;
}

export type RefreshCosts = Record<RefreshName, number>;

export interface RefreshPlan {
  /** UEM requests per day the gateway may spend (quota × share). */
  allowancePerDay: number;
  /** The part of it for snapshot refreshes. */
  snapshotBudgetPerDay: number;
  /** Milliseconds between two refreshes of each kind. */
  periodsMs: Record<RefreshName, number>;
  /** UEM requests per day the refreshes spend at these periods. */
  callsPerDay: number;
  costs: RefreshCosts;
}

export function planRefreshes(costs: RefreshCosts, settings: QuotaSettings): RefreshPlan {
  const allowancePerDay = Math.max(0, Math.floor(settings.dailyQuota * settings.share));
  const snapshotBudgetPerDay = allowancePerDay * SNAPSHOT_SHARE;
  const periodsMs = {} as Record<RefreshName, number>;
  let callsPerDay = 0;
  for (const name of Object.keys(REFRESHES) as RefreshName[]) {
    const perDay = snapshotBudgetPerDay * REFRESHES[name];
    const cost = Math.max(1, costs[name]);
    const period = perDay > 0 ? Math.max(MIN_PERIOD_MS, Math.ceil((cost * DAY_MS) / perDay)) : Number.POSITIVE_INFINITY;
    periodsMs[name] = period;
    callsPerDay += Number.isFinite(period) ? (cost * DAY_MS) / period : 0;
  }
  return { allowancePerDay, snapshotBudgetPerDay, periodsMs, callsPerDay: Math.round(callsPerDay), costs };
}

/** Requests of reading `items` at 500 a page (at least the first page). */
export const pagesOf = (items: number): number => Math.max(1, Math.ceil(items / 500));

/** What each refresh costs for a tenant of these sizes. */
export function refreshCosts(sizes: { devices: number; users: number; tags: number; smartGroups: number }, incrementalPages = 1): RefreshCosts {
  return {
    devicesIncremental: 1 + incrementalPages,
    devicesFull: pagesOf(sizes.devices),
    users: pagesOf(sizes.users),
    tags: 1 + sizes.tags,
    smartGroups: 1 + sizes.smartGroups,
  };
}
