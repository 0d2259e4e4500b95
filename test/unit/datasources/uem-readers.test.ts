/**
 * The one-pass readers of UEM's v1 device and user (the hot path of every device list): the same
 * tolerant reading as the wire blocks, dates converted only when read, a wire form that reads back
 * to an equal record, and one validation per shared body.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseResponse, parseShape } from '../../../src/datasources/upstream-http/validate.js';
import { deviceSchema, readUser, userSchema, userToWire, UemDevice } from '../../../src/datasources/uem/uem.schemas.js';
import { pageSchema, readerPage } from '../../../src/datasources/uem/uem.paging.js';
import { readId, uemDateToIso } from '../../../src/datasources/uem/uem.wire.js';

/** The reference conversion: Date's own reading of the zone-less form as UTC. */
function slowIso(value: string): string | null {
  const s = value.trim();
  if (s === '' || s.startsWith('0001-01-01')) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s}Z` : s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

describe('UEM dates', () => {
  it('converts the usual form like Date does, for every month, day and hour', () => {
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 9, 10, 28, 29, 30, 31]) {
        for (const time of ['00:00:00.000', '23:59:59.999', '12:30:05.150']) {
          const s = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}`;
          expect(uemDateToIso(s), s).toBe(slowIso(s));
        }
      }
    }
  });

  it('takes the slow path for every other form, and reads never as null', () => {
    for (const s of ['2026-02-30T10:00:00.000', '2026-13-01T00:00:00.000', '2026-01-01T24:00:00.000', '2026-01-01T10:00:00', '2026-01-01T10:00:00+02:00', ' 2026-01-01T10:00:00.000 ', '2026-01-01', 'yesterday']) {
      expect(uemDateToIso(s), s).toBe(slowIso(s));
    }
    expect(uemDateToIso('0001-01-01T00:00:00.000')).toBeNull();
    expect(uemDateToIso('')).toBeNull();
    expect(uemDateToIso(42)).toBeNull();
  });
});

describe('UEM ids', () => {
  it('reads { Value: n } first, then numbers and numeric strings', () => {
    expect(readId({ Value: 7 })).toBe(7);
    expect(readId({ Value: '8' })).toBe(8);
    expect(readId(9)).toBe(9);
    expect(readId(' 10 ')).toBe(10);
    expect(readId({ Value: 'x' })).toBeNull();
    expect(readId('1.5')).toBeNull();
    expect(readId(undefined)).toBeNull();
    expect(readId(Number.NaN)).toBeNull();
  });
});

const WIRE_DEVICE = {
  Id: { Value: 101 },
  Uuid: 'u-101',
  SerialNumber: 'SN1',
  DeviceFriendlyName: "Ada's iPhone",
  LocationGroupId: { Id: { Value: 571 }, Name: 'Production Devices', Uuid: 'g-571' },
  LocationGroupName: '',
  UserId: { Id: { Value: 5001 }, Name: 'Ada', Uuid: 'usr-1' },
  UserName: 'ada.admin',
  UserEmailAddress: 'ada.admin@demo.example',
  Ownership: 'C',
  Platform: 'Apple',
  Model: 'iPhone 15',
  OperatingSystem: '17.4',
  PhoneNumber: '',
  LastSeen: '2026-11-20T08:15:30.250',
  EnrollmentStatus: 'Enrolled',
  ComplianceStatus: 'Compliant',
  CompromisedStatus: 'false',
  LastEnrolledOn: '0001-01-01T00:00:00.000',
  LastComplianceCheckOn: '2026-11-19T23:00:00.000',
  EasId: 'ignored',
};

describe('UEM device reader', () => {
  it('reads every field tolerantly and converts dates when read', () => {
    const d = deviceSchema.parse(WIRE_DEVICE);
    expect(d).toBeInstanceOf(UemDevice);
    expect(d).toMatchObject({
      id: 101,
      uuid: 'u-101',
      friendlyName: "Ada's iPhone",
      organizationGroupId: 571,
      organizationGroupName: 'Production Devices',
      organizationGroupUuid: 'g-571',
      userId: 5001,
      userName: 'ada.admin',
      phoneNumber: null,
      compromised: false,
      lastSeen: '2026-11-20T08:15:30.250Z',
      lastEnrolledOn: null,
      lastComplianceCheckOn: '2026-11-19T23:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(d))).toMatchObject({ id: 101, lastSeen: '2026-11-20T08:15:30.250Z' });
  });

  it('refuses a device without a readable Id', () => {
    expect(deviceSchema.safeParse({ SerialNumber: 'X' }).success).toBe(false);
    expect(deviceSchema.safeParse({ Id: { Value: 'seven' } }).success).toBe(false);
    expect(deviceSchema.safeParse('101').success).toBe(false);
  });

  it('has a wire form that reads back to an equal device', () => {
    const d = UemDevice.read(WIRE_DEVICE)!;
    const again = UemDevice.read(JSON.parse(JSON.stringify(d.toWire())))!;
    expect(again.toJSON()).toEqual(d.toJSON());
  });
});

describe('UEM user reader', () => {
  it('reads a sparse user and round-trips through its wire form', () => {
    const u = userSchema.parse({ Id: '12', LocationGroupId: '571', EnrolledDevicesCount: '4', Status: true, Email: 'a@b.c' });
    expect(u).toMatchObject({ id: 12, organizationGroupId: 571, enrolledDevicesCount: 4, active: true, email: 'a@b.c', firstName: null });
    expect(readUser(JSON.parse(JSON.stringify(userToWire(u))))).toEqual(u);
    expect(userSchema.safeParse({ UserName: 'x' }).success).toBe(false);
  });
});

describe('one validation per shared body', () => {
  it('parses a response once per schema, however many callers share it', () => {
    let reads = 0;
    const counted = z.unknown().transform((v) => {
      reads++;
      return v;
    });
    const body = { Devices: [WIRE_DEVICE], Page: 0, PageSize: 500, Total: 1 };
    const call = { upstream: 'uem' as const, operation: 'devices.search' };
    const schema = pageSchema('Devices', counted);
    expect(pageSchema('Devices', counted)).toBe(schema);
    // Two calls shared the response (http-client.ts counts them).
    const res = { status: 200, headers: {}, body, readers: 2 };
    const a = parseResponse(schema, res, call);
    expect(res.body).toBe(body);
    const b = parseResponse(schema, res, call);
    expect(b).toBe(a);
    expect(reads).toBe(1);
    // The last reader has read it: the response lets go of the body and the readings.
    expect(res.body).toBeUndefined();
    expect(res).not.toHaveProperty('readings', expect.anything());
    // Another response is read again, and so is a body read without its response.
    parseResponse(schema, { status: 200, headers: {}, body: structuredClone(body) }, call);
    expect(reads).toBe(2);
    parseShape(schema, body, call);
    expect(reads).toBe(3);
  });

  it('remembers a refusal too, and answers it as the same coded error each time', () => {
    let reads = 0;
    const refusing = z.unknown().transform((_v, ctx) => {
      reads++;
      ctx.addIssue({ code: 'custom', message: 'no' });
      return z.NEVER;
    });
    const res = { status: 200, headers: {}, body: { Devices: [] }, readers: 2 };
    const call = { upstream: 'uem' as const, operation: 'devices.search' };
    for (let i = 0; i < 2; i++) {
      expect(() => parseResponse(refusing, res, call)).toThrow(expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }) as Error);
    }
    expect(reads).toBe(1);
  });
});

describe('a device page read by hand', () => {
  const byZod = pageSchema('Devices', deviceSchema);
  const byHand = readerPage('Devices', UemDevice.read, 'a device');
  const outcome = (schema: typeof byHand | typeof byZod, body: unknown) => {
    const result = schema.safeParse(body);
    return result.success ? { ...result.data, items: result.data.items.map((d) => d.toJSON()) } : 'refused';
  };
  const bodies: [string, unknown][] = [
    ['a page', { Devices: [WIRE_DEVICE, { ...WIRE_DEVICE, Id: 7 }], Page: 0, PageSize: 500, Total: 2 }],
    ['counts as strings', { Devices: [WIRE_DEVICE], Page: '1', PageSize: '100', Total: '101' }],
    ['no list', { Page: 0, PageSize: 500, Total: 0 }],
    ['a null list', { Devices: null, Page: 0, PageSize: 500, Total: 0 }],
    ['no counts', { Devices: [WIRE_DEVICE] }],
    ['a list that is not one', { Devices: { 0: WIRE_DEVICE }, Page: 0, PageSize: 500, Total: 1 }],
    ['a device without a readable Id', { Devices: [WIRE_DEVICE, { ...WIRE_DEVICE, Id: { Value: 'x' } }], Page: 0, PageSize: 500, Total: 2 }],
    ['an item that is not an object', { Devices: ['101'], Page: 0, PageSize: 500, Total: 1 }],
    ['a list for a body', [WIRE_DEVICE]],
    ['a string for a body', 'Devices'],
  ];
  it.each(bodies)('answers %s as the zod page schema does', (_name, body) => {
    expect(outcome(byHand, body)).toEqual(outcome(byZod, body));
  });

  it('is refused with UPSTREAM_UNAVAILABLE and a cause naming the item', () => {
    const call = { upstream: 'uem' as const, operation: 'devices.search' };
    const body = { Devices: [WIRE_DEVICE, { DeviceFriendlyName: 'no id' }], Page: 0, PageSize: 500, Total: 2 };
    const error = (() => {
      try {
        parseShape(byHand, body, call, 200);
      } catch (err) {
        return err as Error & { code?: string; cause?: Error };
      }
      return undefined;
    })();
    expect(error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error?.cause?.message).toBe('Devices page: Devices[1]: a device without a readable Id');
  });
});
