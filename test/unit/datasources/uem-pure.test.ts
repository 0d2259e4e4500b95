import { describe, expect, it } from 'vitest';
import { chunk, mapConcurrent } from '../../../src/datasources/concurrency.js';
import { fetchAllPages, toPage, type UemPage } from '../../../src/datasources/uem/uem.paging.js';
import { bulkLimitFor, resultsFromBulk, resultsFromFailure } from '../../../src/datasources/uem/uem.bulk.js';
import { toUemDate, uemDateToIso } from '../../../src/datasources/uem/uem.wire.js';
import { deviceSchema, userSchema } from '../../../src/datasources/uem/uem.schemas.js';
import { organizationGroupSchema } from '../../../src/datasources/uem/uem.catalog-schemas.js';
import { uemApiBaseUrl } from '../../../src/datasources/uem/uem.datasource.js';
import { harmonyApiBaseUrl, HarmonyRoutes } from '../../../src/datasources/harmony/harmony.routes.js';
import { UpstreamError } from '../../../src/errors.js';

describe('UEM wire values', () => {
  it('reads zone-less dates as UTC and the zero date as never', () => {
    expect(uemDateToIso('2021-06-28T04:35:20.150')).toBe('2021-06-28T04:35:20.150Z');
    expect(uemDateToIso('2021-06-28T04:35:20')).toBe('2021-06-28T04:35:20.000Z');
    expect(uemDateToIso('2021-06-28T04:35:20+02:00')).toBe('2021-06-28T02:35:20.000Z');
    expect(uemDateToIso('0001-01-01T00:00:00.000')).toBeNull();
    expect(uemDateToIso('')).toBeNull();
    expect(uemDateToIso('yesterday')).toBeNull();
    expect(toUemDate('2026-03-02T08:00:00Z')).toBe('2026-03-02T08:00:00.000');
  });

  it('maps a sparse v1 device and user tolerantly', () => {
    const device = deviceSchema.parse({ Id: { Value: 7 }, SerialNumber: '', LocationGroupId: { Id: { Value: 571 }, Name: 'Production Devices' }, CompromisedStatus: 'false' });
    expect(device).toMatchObject({ id: 7, serialNumber: null, organizationGroupId: 571, organizationGroupName: 'Production Devices', compromised: false, lastSeen: null });
    expect(userSchema.parse({ Id: '12', LocationGroupId: '571', EnrolledDevicesCount: '4', Status: true })).toMatchObject({
      id: 12,
      organizationGroupId: 571,
      enrolledDevicesCount: 4,
      active: true,
    });
    expect(deviceSchema.safeParse({ SerialNumber: 'X' }).success).toBe(false);
    expect(organizationGroupSchema.parse({ Id: { Value: 571 }, Devices: '12', ParentLocationGroup: null })).toMatchObject({ deviceCount: 12, parentId: null });
  });

  it('builds base URLs', () => {
    expect(uemApiBaseUrl('https://as1.awmdm.com')).toBe('https://as1.awmdm.com/API');
    expect(uemApiBaseUrl('https://as1.awmdm.com/api/')).toBe('https://as1.awmdm.com/api');
    expect(harmonyApiBaseUrl('https://na-east.jitterbit.com/')).toBe('https://na-east.jitterbit.com/jitterbit-cloud-restful-service');
    expect(HarmonyRoutes.userRole('demo org', '1', 'a/b')).toBe('/orgs/demo%20org/users/1/roles/a%2Fb');
  });
});

describe('fetchAllPages', () => {
  const pages = (total: number, cap: number) => {
    let inFlight = 0;
    let peak = 0;
    const asked: number[] = [];
    const fetchPage = async (page: number, size: number): Promise<UemPage<number>> => {
      asked.push(page);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      const effective = Math.min(size, cap);
      const items = Array.from({ length: Math.max(0, Math.min(effective, total - page * effective)) }, (_, i) => page * effective + i);
      return items.length === 0 ? toPage(undefined, page, size) : { items, page, pageSize: effective, total };
    };
    return { fetchPage, asked, peak: () => peak };
  };

  it('fetches the remaining pages with bounded concurrency, in order, at the effective page size', async () => {
    const p = pages(1_050, 100);
    const all = await fetchAllPages(p.fetchPage, { pageSize: 500, concurrency: 3 });
    expect(all.total).toBe(1_050);
    expect(all.items).toEqual(Array.from({ length: 1_050 }, (_, i) => i));
    expect(p.asked.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(p.peak()).toBeLessThanOrEqual(3);
  });

  it('hands each page over as it comes, keeping none, with `onPage`', async () => {
    const p = pages(1_050, 100);
    const handed: number[][] = [];
    const all = await fetchAllPages(p.fetchPage, { pageSize: 500, concurrency: 3, onPage: async (items) => void handed.push(items) });
    expect(all).toEqual({ items: [], total: 1_050 });
    expect(handed).toHaveLength(11);
    expect(handed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 1_050 }, (_, i) => i));
    expect(p.peak()).toBeLessThanOrEqual(3);
  });

  it('answers an empty list for a 204 first page', async () => {
    const p = pages(0, 100);
    expect(await fetchAllPages(p.fetchPage)).toEqual({ items: [], total: 0 });
    expect(p.asked).toEqual([0]);
  });
});

describe('concurrency helpers', () => {
  it('keeps input order and reports the first failure after the others settle', async () => {
    expect(await mapConcurrent([3, 1, 2], 2, async (n) => (await new Promise((r) => setTimeout(r, n)), n * 10))).toEqual([30, 10, 20]);
    let settled = 0;
    const run = mapConcurrent([1, 2, 3], 3, async (n) => {
      await new Promise((r) => setTimeout(r, n * 5));
      settled++;
      if (n === 1) throw new Error('first');
      return n;
    });
    await expect(run).rejects.toThrow('first');
    expect(settled).toBe(3);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('bulk results', () => {
  it('turns BulkResponse faults into per-item results', () => {
    const response = { TotalItems: 3, AcceptedItems: 1, FailedItems: 2, Faults: [{ ErrorCode: 5061, ItemValue: '9' }, { ErrorCode: 42, ItemValue: ' 8 ' }] };
    expect(resultsFromBulk(['7', '8', '9'], response)).toEqual([
      { item: '7', status: 'ACCEPTED', errorCode: null, message: null },
      { item: '8', status: 'FAILED', errorCode: '42', message: 'UEM refused this item.' },
      { item: '9', status: 'FAILED', errorCode: '5061', message: 'Device not found.' },
    ]);
    const failure = new UpstreamError('UPSTREAM_TIMEOUT', 'uem', 'UEM did not answer in time.');
    expect(resultsFromFailure(['1'], failure)).toEqual([{ item: '1', status: 'FAILED', errorCode: 'UPSTREAM_TIMEOUT', message: 'UEM did not answer in time.' }]);
    expect(() => resultsFromFailure(['1'], new TypeError('bug'))).toThrow(TypeError);
  });

  it('picks the bulk limit per action, 500 when not reported', () => {
    const settings = { sendMessage: 400, enterpriseWipe: 50, deleteDevice: 20, gps: null, lockDevice: 300 };
    expect(bulkLimitFor('EnterpriseWipe', settings)).toBe(50);
    expect(bulkLimitFor('DeviceWipe', settings)).toBe(20);
    expect(bulkLimitFor('ClearPasscode', settings)).toBe(300);
    expect(bulkLimitFor('SyncDevice', settings)).toBe(500);
    expect(bulkLimitFor('Tag', settings)).toBe(400);
  });
});
