/**
 * The daily-quota check keeps the day's snapshot refreshes aside (issue 17): an operation is
 * refused before any UEM request when its estimate exceeds what UEM reports left minus what the
 * refreshes planned until midnight UTC will take, with the estimate and its plans in the error.
 * UEM's quota here is small (200 a day) and the configured one large, so the refreshes' reserve
 * exceeds what is left except in the day's last minutes (then the operation must pass).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src/tenant/quota-plan.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const ADMIN = 'ada.admin@demo.example';
const QUERY = '{ devices(first: 20) { nodes { id apps { name } } } }';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ UEM_SNAPSHOTS: 'on', UEM_DAILY_QUOTA: '100000' }, { simulators: { uem: { dailyQuota: 200 } } });
  await gw.app.services.snapshots.settled();
}, 240_000);

afterAll(async () => {
  await gw?.close();
});

describe('the quota check with snapshots', () => {
  it("refuses what the day's snapshot refreshes leave no room for, before any UEM request, with the estimate", async () => {
    const snapshots = gw.app.services.snapshots;
    const reserveAt = (t: number) => Math.ceil((snapshots.plan().callsPerDay * (DAY_MS - (t % DAY_MS))) / DAY_MS);
    const leftBefore = gw.app.services.uem.health().quotaRemaining!;
    const before = Date.now();
    const stats = gw.app.simulators.uem!;
    stats.resetStats();
    const result = await gw.gql(QUERY, { as: ADMIN });
    const after = Date.now();
    const leftAfter = gw.app.services.uem.health().quotaRemaining!;
    const error = result.body.errors?.[0];
    // 20 devices: one search and 20 app lists.
    const measured = 21;
    if (leftAfter - reserveAt(before) >= measured) {
      // The last minutes of the UTC day: the refreshes need little more, and the operation fits.
      expect(result.body.errors, JSON.stringify(result.body)).toBeUndefined();
      return;
    }
    expect(result.status, JSON.stringify(result.body)).toBe(400);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'uemQuotaRemaining', measured });
    const max = error?.extensions?.max as number;
    // What UEM reported left at the check, less the refreshes planned until midnight (never below 0).
    expect(max).toBeLessThan(leftBefore);
    expect(max).toBeGreaterThanOrEqual(Math.max(0, leftAfter - reserveAt(before)));
    expect(max).toBeLessThanOrEqual(Math.max(0, leftBefore - reserveAt(after)));
    expect(error?.extensions?.estimate).toMatchObject({
      upstreamRequests: { uem: measured },
      plans: expect.arrayContaining([expect.objectContaining({ relation: 'deviceApps', strategy: 'per-key', requests: 20 })]),
    });
    // Nothing was asked of UEM for it (a background refresh may have run meanwhile: not a search of 20 devices).
    expect(stats.stats().byRoute['GET /API/mdm/devices/{id}/apps'] ?? 0).toBe(0);
  });

  it('lets through what costs UEM nothing: the summary from the snapshot', async () => {
    const snapshots = gw.app.services.snapshots;
    if (!snapshots.usable('devices')) await snapshots.tick();
    const result = await gw.gql('{ deviceSummary { totalCount } }', { as: ADMIN });
    expect(result.body.errors, JSON.stringify(result.body)).toBeUndefined();
    expect((result.body as { extensions?: { snapshots?: unknown } }).extensions?.snapshots).toEqual([expect.objectContaining({ name: 'devices' })]);
  });
});
