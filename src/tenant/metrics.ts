/**
 * Tenant-scale metrics, read on each scrape: UEM's daily quota as the gateway plans with it, what
 * this process spent today (and the snapshot part), the day's forecast, the snapshots' ages,
 * sizes and refresh cadences, and each refresh by outcome with the UEM requests it took.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QuotaLedger } from './quota-ledger.js';
import type { UemSnapshots } from './snapshots.js';

const SNAPSHOTS = ['devices', 'users', 'tags', 'smartGroups'] as const;

export function tenantMetrics(registry: Registry, snapshots: UemSnapshots, ledger: QuotaLedger): void {
  const registers = [registry];
  const settings = snapshots.settings.quota;
  new Gauge({
    name: 'gateway_uem_quota_daily',
    help: "UEM's daily request quota as configured (UEM_DAILY_QUOTA), and the part this gateway may spend (UEM_QUOTA_SHARE).",
    labelNames: ['part'],
    registers,
    collect() {
      this.set({ part: 'tenant' }, settings.dailyQuota);
      this.set({ part: 'gateway' }, Math.floor(settings.dailyQuota * settings.share));
    },
  });
  new Gauge({
    name: 'gateway_uem_requests_today',
    help: 'UEM requests this process sent today (UTC day, when UEM resets its quota), by source: snapshot refreshes or everything else.',
    labelNames: ['source'],
    registers,
    collect() {
      const spent = ledger.spentToday();
      this.set({ source: 'snapshots' }, spent.snapshots);
      this.set({ source: 'requests' }, spent.total - spent.snapshots);
    },
  });
  new Gauge({
    name: 'gateway_uem_quota_forecast_today',
    help: "This process's UEM requests expected by midnight UTC: spent, plus the snapshot plan and the last hour's rate of the rest for the time left.",
    registers,
    collect() {
      this.set(ledger.forecastToday(snapshots.enabled ? snapshots.plan().callsPerDay : 0));
    },
  });
  new Gauge({
    name: 'gateway_snapshot_planned_requests_per_day',
    help: 'UEM requests per day the snapshot refreshes spend at their planned cadences.',
    registers,
    collect() {
      this.set(snapshots.enabled ? snapshots.plan().callsPerDay : 0);
    },
  });
  new Gauge({
    name: 'gateway_snapshot_refresh_period_seconds',
    help: 'Planned seconds between two refreshes, by refresh (devicesIncremental, devicesFull, users, tags, smartGroups).',
    labelNames: ['refresh'],
    registers,
    collect() {
      if (!snapshots.enabled) return;
      for (const [refresh, ms] of Object.entries(snapshots.plan().periodsMs)) this.set({ refresh }, Number.isFinite(ms) ? ms / 1000 : -1);
    },
  });
  new Gauge({
    name: 'gateway_snapshot_age_seconds',
    help: 'Age of each UEM snapshot in the store (since its last refresh began); absent before the first.',
    labelNames: ['snapshot'],
    registers,
    collect() {
      this.reset();
      for (const name of SNAPSHOTS) {
        const status = snapshots.status(name);
        if (status.ageMs !== null) this.set({ snapshot: name }, Math.round(status.ageMs / 1000));
      }
    },
  });
  new Gauge({
    name: 'gateway_snapshot_items',
    help: 'Rows of each UEM snapshot (devices, users, tags, smart groups).',
    labelNames: ['snapshot'],
    registers,
    collect() {
      this.reset();
      for (const name of SNAPSHOTS) {
        const status = snapshots.status(name);
        if (status.items !== null) this.set({ snapshot: name }, status.items);
      }
    },
  });
  const refreshes = new Counter({
    name: 'gateway_snapshot_refreshes_total',
    help: 'Snapshot refreshes this process ran (as leader), by refresh and outcome.',
    labelNames: ['refresh', 'outcome'],
    registers,
  });
  const calls = new Counter({
    name: 'gateway_snapshot_refresh_requests_total',
    help: 'UEM requests the snapshot refreshes of this process took, by refresh.',
    labelNames: ['refresh'],
    registers,
  });
  snapshots.onRefresh((record) => {
    refreshes.inc({ refresh: record.refresh, outcome: record.outcome });
    calls.inc({ refresh: record.refresh }, record.calls);
  });
}
