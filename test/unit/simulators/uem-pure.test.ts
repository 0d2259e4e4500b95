import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { CaseInsensitiveQuery } from '../../../src/simulators/common/router.js';
import { SimHttpError } from '../../../src/simulators/common/sim-server.js';
import { bulkLimitFor, DEFAULT_BULK_SETTINGS } from '../../../src/simulators/uem/uem.context.js';
import { formatUemDate, nextUtcMidnight, parseUemDate } from '../../../src/simulators/uem/uem.dates.js';
import { deviceSortKey } from '../../../src/simulators/uem/uem.device-search.js';
import { installOutcome, queueInstall, settleInstall } from '../../../src/simulators/uem/uem.installs.js';
import { readPaging } from '../../../src/simulators/uem/uem.paging.js';
import { DailyQuota } from '../../../src/simulators/uem/uem.quota.js';
import { answeredVersion } from '../../../src/simulators/uem/uem.versioning.js';

describe('UEM dates', () => {
  it('formats as ISO with milliseconds and no zone; null is "never"', () => {
    expect(formatUemDate(Date.UTC(2021, 5, 28, 4, 35, 20, 150))).toBe('2021-06-28T04:35:20.150');
    expect(formatUemDate(null)).toBe('0001-01-01T00:00:00.000');
  });

  it('parses the zone-less form as UTC, zoned ISO forms and plain dates', () => {
    expect(parseUemDate('2021-06-28T04:35:20.150')).toBe(Date.UTC(2021, 5, 28, 4, 35, 20, 150));
    expect(parseUemDate('2021-06-28T06:35:20+02:00')).toBe(Date.UTC(2021, 5, 28, 4, 35, 20));
    expect(parseUemDate('2021-06-28')).toBe(Date.UTC(2021, 5, 28));
    expect(parseUemDate('soon')).toBeUndefined();
  });

  it('finds the next UTC midnight', () => {
    expect(nextUtcMidnight(Date.UTC(2025, 11, 31, 23, 59))).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('UEM paging, sorting, versions and bulk limits', () => {
  const q = (s: string) => new CaseInsensitiveQuery(new URLSearchParams(s));

  it('reads 0-based pages, defaults to 500, caps when asked and refuses bad numbers', () => {
    expect(readPaging(q(''))).toEqual({ page: 0, pageSize: 500, start: 0 });
    expect(readPaging(q('Page=2&PageSize=50'))).toEqual({ page: 2, pageSize: 50, start: 100 });
    expect(readPaging(q('pagesize=900'), 500).pageSize).toBe(500);
    expect(readPaging(q('pagesize=900')).pageSize).toBe(900);
    expect(() => readPaging(q('page=-1'))).toThrow(SimHttpError);
  });

  it('maps orderby case-insensitively', () => {
    expect(deviceSortKey('lastseen')).toBe('LastSeen');
    expect(deviceSortKey('DEVICEFRIENDLYNAME')).toBe('DeviceFriendlyName');
    expect(deviceSortKey('colour')).toBeUndefined();
  });

  it('answers v1 unless a supported version is asked', () => {
    expect(answeredVersion({})).toBe(1);
    expect(answeredVersion({ accept: 'application/json;version=1' })).toBe(1);
    expect(answeredVersion({ accept: 'application/json; version=3' })).toBe(1);
  });

  it('limits each bulk command by its bulk setting', () => {
    const s = { ...DEFAULT_BULK_SETTINGS, GPS: 1, LockDevice: 2, EnterpriseWipe: 3, DeleteDevice: 4, SendMessage: 5 };
    expect(['SyncDevice', 'DeviceQuery', 'Lock', 'ClearPasscode', 'EnterpriseWipe', 'DeviceWipe', 'Tag'].map((c) => bulkLimitFor(c as 'Tag', s))).toEqual([
      1, 1, 2, 2, 3, 4, 5,
    ]);
  });
});

describe('UEM installs and quota', () => {
  const policy = { seed: 42, delayMs: 1_000, failureRate: 0.5 };

  it('draws install outcomes from the seed, device, app and attempt', () => {
    const outcomes = Array.from({ length: 40 }, (_, i) => installOutcome(policy, 100 + i, 2001, 1));
    expect(outcomes).toEqual(Array.from({ length: 40 }, (_, i) => installOutcome(policy, 100 + i, 2001, 1)));
    expect(new Set(outcomes)).toEqual(new Set(['Installed', 'Failed']));
    expect(installOutcome({ ...policy, failureRate: 0 }, 1, 1, 1)).toBe('Installed');
    expect(installOutcome({ ...policy, failureRate: 1 }, 1, 1, 1)).toBe('Failed');
  });

  it('settles a queued install only once the delay has passed', () => {
    const install = queueInstall({ ...policy, failureRate: 0 }, undefined, 1, 2, '1.0.0', 10_000);
    expect(settleInstall(install, 10_999).status).toBe('Pending');
    expect(settleInstall(install, 11_000)).toMatchObject({ status: 'Installed', updatedAt: 11_000, attempts: 1 });
    expect(queueInstall(policy, install, 1, 2, '1.0.1', 20_000)).toMatchObject({ status: 'Pending', attempts: 2, version: '1.0.1' });
  });

  it('counts the daily quota per UTC day', () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1, 23, 59, 0));
    const quota = new DailyQuota(clock, 2);
    expect([quota.take(), quota.take(), quota.take()]).toEqual([true, true, false]);
    expect(quota.headers()).toEqual({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.UTC(2025, 0, 2) / 1000) });
    expect(quota.retryAfterSeconds()).toBe(60);
    clock.advance(60_000);
    expect(quota.take()).toBe(true);
  });
});
