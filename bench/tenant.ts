/**
 * `--tenant <devices>` (issue 17): the benchmark on a tenant of real size. The simulators hold
 * that many devices (and 0.4 enrollment users per device, the 50,000 / 20,000), the gateway
 * plans with `UEM_DAILY_QUOTA` (`--quota`, default 20,000) and keeps snapshots; the run waits for
 * the leader's first refreshes (their UEM requests and time are reported), then measures each
 * scenario cold (its first request) and steady (per request under load), and forecasts the quota a
 * dashboard spends in an hour: each dashboard scenario polled once a minute by `--dashboards`
 * dashboards, plus the snapshot refreshes at their planned cadences.
 */
import type { ScenarioResult, UpstreamCount } from './report.js';
import { round } from './load.js';
import { isAlive, type Child } from './processes.js';

export interface TenantOptions {
  devices: number;
  dailyQuota: number;
  /** Dashboards polling the dashboard scenarios once a minute each. */
  dashboards: number;
}

/** The scenarios a dashboard polls (by name): lists, a join and the summary. */
export const DASHBOARD = ['devices-page', 'users-device-compliance', 'device-summary', 'devices-500'] as const;
const POLLS_PER_HOUR = 60;

export const tenantUsers = (devices: number): number => Math.max(1, Math.round(devices * 0.4));

/** The simulators' dataset for this tenant. */
export function tenantSimEnv(t: TenantOptions): Record<string, string> {
  return { SIM_DEVICES: String(t.devices), SIM_UEM_USERS: String(tenantUsers(t.devices)) };
}

/** The gateway's settings in tenant mode (production defaults otherwise). */
export function tenantGatewayEnv(t: TenantOptions): Record<string, string> {
  return { UEM_DAILY_QUOTA: String(t.dailyQuota), UEM_SNAPSHOTS: 'on' };
}

export interface SnapshotBuild {
  /** UEM requests from the gateway's start until every snapshot served (probes and the caller included). */
  uemRequests: number;
  seconds: number;
  /** UEM requests a day the refreshes take at their cadences (`gateway_snapshot_planned_requests_per_day`). */
  plannedPerDay: number;
  /** Planned seconds between refreshes, by refresh. */
  periodsSec: Record<string, number>;
}

const metric = (text: string, name: string, labels = ''): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

/**
 * Polls the gateway's /metrics until the four snapshots serve (their rows are reported); fails at the
 * deadline, or as soon as the gateway's process is gone (e.g. its heap ceiling was too small for the tenant).
 */
export async function waitForSnapshots(gateway: Pick<Child, 'pid' | 'output'> & { url: string }, deadlineMs: number): Promise<Omit<SnapshotBuild, 'uemRequests'>> {
  const gatewayUrl = gateway.url;
  const started = Date.now();
  const names = ['devices', 'users', 'tags', 'smartGroups'];
  let text = '';
  while (Date.now() - started < deadlineMs) {
    text = await fetch(`${gatewayUrl}/metrics`).then((r) => r.text(), () => '');
    if (names.every((n) => metric(text, 'gateway_snapshot_age_seconds', `{snapshot="${n}"}`) !== undefined)) {
      const periodsSec: Record<string, number> = {};
      for (const refresh of ['devicesIncremental', 'devicesFull', 'users', 'tags', 'smartGroups']) {
        periodsSec[refresh] = metric(text, 'gateway_snapshot_refresh_period_seconds', `{refresh="${refresh}"}`) ?? -1;
      }
      return { seconds: round((Date.now() - started) / 1000, 1), plannedPerDay: metric(text, 'gateway_snapshot_planned_requests_per_day') ?? 0, periodsSec };
    }
    if (!isAlive(gateway.pid)) throw new Error(`the gateway exited while building its snapshots:\n${gateway.output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const refreshes = text.split('\n').filter((l) => l.startsWith('gateway_snapshot_refreshes_total')).join('; ');
  throw new Error(`the gateway's snapshots were not built within ${deadlineMs / 1000} s (${refreshes || 'no refresh recorded'})`);
}

export interface QuotaForecast {
  dashboards: number;
  scenarios: string[];
  /** Polls of each dashboard scenario per hour, per dashboard. */
  pollsPerHour: number;
  /** UEM requests per hour of the polls (each at the larger of its cold and steady cost). */
  requestsPerHour: number;
  /** UEM requests per hour of the snapshot refreshes (their planned daily total / 24). */
  snapshotsPerHour: number;
  totalPerHour: number;
  /** A 24th of the tenant's daily quota: what the issue allows an hour of the dashboard to spend. */
  budgetPerHour: number;
  within: boolean;
}

/**
 * The quota an hour of dashboards spends. A poll a minute finds the 60 s reference caches lapsed,
 * so each poll is counted at the larger of its scenario's first-request (cold) and steady costs.
 */
export function forecastQuota(t: TenantOptions, scenarios: readonly ScenarioResult[], build: SnapshotBuild): QuotaForecast {
  const polled = scenarios.filter((s) => (DASHBOARD as readonly string[]).includes(s.name));
  const perPoll = polled.reduce((sum, s) => sum + Math.max(s.firstRequestUpstream.uem, s.upstreamPerOp.uem), 0);
  const requestsPerHour = round(perPoll * POLLS_PER_HOUR * t.dashboards, 1);
  const snapshotsPerHour = round(build.plannedPerDay / 24, 1);
  const totalPerHour = round(requestsPerHour + snapshotsPerHour, 1);
  const budgetPerHour = round(t.dailyQuota / 24, 1);
  return {
    dashboards: t.dashboards,
    scenarios: polled.map((s) => s.title),
    pollsPerHour: POLLS_PER_HOUR,
    requestsPerHour,
    snapshotsPerHour,
    totalPerHour,
    budgetPerHour,
    within: totalPerHour < budgetPerHour,
  };
}

export interface TenantFigures {
  devices: number;
  users: number;
  dailyQuota: number;
  build: SnapshotBuild;
  /** Gateway RSS once the snapshots were built. */
  rssAfterBuildMb: number;
  forecast: QuotaForecast;
}

const count = (u: UpstreamCount) => `${u.uem} + ${u.harmony}`;
const every = (sec: number) => (sec < 0 ? 'never' : sec < 3600 ? `${Math.round(sec / 60)} min` : `${round(sec / 3600, 1)} h`);

/** The tenant part of the Markdown report. */
export function tenantMarkdown(t: TenantFigures, scenarios: readonly ScenarioResult[]): string[] {
  const p = t.build.periodsSec;
  const f = t.forecast;
  const lines = [
    '',
    `Tenant: ${t.devices.toLocaleString('en')} devices, ${t.users.toLocaleString('en')} enrollment users; UEM_DAILY_QUOTA=${t.dailyQuota}, snapshots on.`,
    `Snapshots built by the leader in ${t.build.seconds} s with ${t.build.uemRequests} UEM requests (start-up included); RSS then ${t.rssAfterBuildMb} MB.`,
    `Refresh cadences: devices seen since every ${every(p.devicesIncremental ?? -1)}, all devices every ${every(p.devicesFull ?? -1)}, users every ${every(p.users ?? -1)}, tags every ${every(p.tags ?? -1)}, smart groups every ${every(p.smartGroups ?? -1)}: ${t.build.plannedPerDay} UEM requests/day.`,
    '',
    '| scenario | cold: upstream (UEM + Harmony) | steady: upstream/op (UEM + Harmony) | p50 ms | p50 at 1 conn | CPU ms/op | peak RSS MB |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...scenarios.map((s) => `| ${s.title} | ${count(s.firstRequestUpstream)} | ${count(s.upstreamPerOp)} | ${s.p50Ms} | ${s.unloadedP50Ms ?? '—'} | ${s.cpuMsPerOp ?? '—'} | ${s.peakRssMb} |`),
    '',
    `Quota forecast: ${f.dashboards} dashboard(s) polling ${f.scenarios.join(', ')} once a minute each: ${f.requestsPerHour} UEM requests/hour, plus ${f.snapshotsPerHour}/hour of snapshot refreshes = ${f.totalPerHour}/hour against ${f.budgetPerHour}/hour (1/24 of the daily quota): ${f.within ? 'within' : '**over**'}.`,
  ];
  return lines;
}
