/**
 * Quota checks (issue 17): the tenant's sizes from two one-row searches, the snapshot refresh plan
 * they and `UEM_DAILY_QUOTA` × `UEM_QUOTA_SHARE` give, what UEM says is left of today's quota
 * against what the plan needs before midnight UTC, and the snapshots the store holds (age, rows).
 */
import type { Config } from '../config.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { SnapshotMeta } from '../store/snapshots.repository.js';
import { DAY_MS, planRefreshes, refreshCosts, type RefreshPlan } from '../tenant/quota-plan.js';
import { fail, failureOf, pass, type CheckResult } from './check.js';

const RAISE = 'Raise UEM_QUOTA_SHARE (or UEM_DAILY_QUOTA, if UEM grants the tenant more), or set UEM_SNAPSHOTS=off to read live.';

/** "every 12 min", "every 3.5 h", "never". */
export function every(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms < 3_600_000) return `every ${Math.round(ms / 60_000)} min`;
  return `every ${Math.round(ms / 360_000) / 10} h`;
}

function planDetail(plan: RefreshPlan): string {
  const p = plan.periodsMs;
  return (
    `${plan.callsPerDay} UEM requests/day of the ${Math.round(plan.snapshotBudgetPerDay)} set aside for snapshots: ` +
    `devices seen since ${every(p.devicesIncremental)}, all devices ${every(p.devicesFull)}, users ${every(p.users)}, ` +
    `tags ${every(p.tags)}, smart groups ${every(p.smartGroups)}`
  );
}

export async function quotaChecks(config: Config, uem: UemDatasource, metas: readonly SnapshotMeta[] | undefined): Promise<CheckResult[]> {
  const { dailyQuota, quotaShare, snapshots } = config.tenant;
  const results: CheckResult[] = [];
  let sizes: { devices: number; users: number };
  try {
    const [devices, users] = await Promise.all([uem.searchDevices({}, 0, 1), uem.searchUsers({}, 0, 1)]);
    sizes = { devices: devices.total, users: users.total };
    results.push(pass('quota', 'tenant size', `${sizes.devices} devices, ${sizes.users} enrollment users`));
  } catch (err) {
    return [fail('quota', 'tenant size', failureOf(err).message, 'Grant API > REST > Devices and Accounts to the API-only role.')];
  }

  const allowance = Math.floor(dailyQuota * quotaShare);
  if (!snapshots) {
    results.push(pass('quota', 'snapshot plan', `off (UEM_SNAPSHOTS=off): whole-tenant reads are live, within ${allowance} UEM requests/day`));
  } else {
    const byName = new Map((metas ?? []).map((m) => [m.name, m]));
    const counts = { ...sizes, tags: byName.get('tags')?.itemCount ?? 0, smartGroups: byName.get('smartGroups')?.itemCount ?? 0 };
    const plan = planRefreshes(refreshCosts(counts), { dailyQuota, share: quotaShare });
    // A whole device read less often than daily leaves summaries a day behind: say so.
    results.push(
      plan.periodsMs.devicesFull <= DAY_MS
        ? pass('quota', 'snapshot plan', planDetail(plan))
        : fail('quota', 'snapshot plan', `${planDetail(plan)}: a whole device read takes ${plan.costs.devicesFull} requests`, RAISE),
    );
    const left = DAY_MS - (Date.now() % DAY_MS);
    const reserve = Math.ceil((plan.callsPerDay * left) / DAY_MS);
    const remaining = uem.health().quotaRemaining;
    if (remaining !== undefined) {
      const detail = `UEM reports ${remaining} of ${dailyQuota} left today (the whole tenant); the snapshot plan needs ${reserve} before midnight UTC`;
      results.push(
        remaining >= reserve
          ? pass('quota', 'spent today', detail)
          : fail('quota', 'spent today', detail, `Another integration spends the tenant's quota, or UEM_DAILY_QUOTA is higher than UEM grants. ${RAISE}`),
      );
    }
    results.push(snapshotState(metas));
  }
  return results;
}

function snapshotState(metas: readonly SnapshotMeta[] | undefined): CheckResult {
  if (metas === undefined) return pass('quota', 'snapshots', "not read here (the database is another process's, or unreachable: see database); a running gateway reports them in /metrics");
  if (metas.length === 0) return pass('quota', 'snapshots', 'none yet: the first start builds them');
  const now = Date.now();
  const parts = metas.map((m) => `${m.name} ${m.itemCount} rows, ${Math.round((now - m.refreshedAt.getTime()) / 60_000)} min old`);
  return pass('quota', 'snapshots', parts.join('; '));
}
