import { describe, expect, it } from 'vitest';
import {
  addDays,
  effectiveStatus,
  expiryInstant,
  hasExpired,
  isCalendarDate,
  isTimeZone,
  localDate,
  zonedTimeToInstant,
} from '../../../src/simulators/harmony/harmony.expiry.js';

const utc = (s: string) => Date.parse(s);

describe('expiryInstant: 23:59 on the day in the user\'s time zone', () => {
  it.each([
    ['UTC', '2024-06-15', '2024-06-15T23:59:00Z'],
    ['Asia/Tokyo', '2024-06-15', '2024-06-15T14:59:00Z'],
    ['Asia/Kolkata', '2024-06-15', '2024-06-15T18:29:00Z'],
    ['Asia/Kathmandu', '2024-06-15', '2024-06-15T18:14:00Z'],
    ['Pacific/Kiritimati', '2024-06-15', '2024-06-15T09:59:00Z'],
    ['Pacific/Pago_Pago', '2024-06-15', '2024-06-16T10:59:00Z'],
    ['America/New_York', '2024-01-15', '2024-01-16T04:59:00Z'],
    ['America/New_York', '2024-07-04', '2024-07-05T03:59:00Z'],
  ])('%s on %s ends at %s', (zone, date, expected) => {
    expect(new Date(expiryInstant(date, zone)).toISOString()).toBe(new Date(utc(expected)).toISOString());
  });

  it.each([
    // Spring forward: the day itself is 23 hours long and ends in summer time.
    ['America/New_York', '2024-03-09', '2024-03-10T04:59:00Z'],
    ['America/New_York', '2024-03-10', '2024-03-11T03:59:00Z'],
    // Fall back: the day is 25 hours long and ends in standard time.
    ['America/New_York', '2024-11-02', '2024-11-03T03:59:00Z'],
    ['America/New_York', '2024-11-03', '2024-11-04T04:59:00Z'],
    ['Europe/London', '2024-03-30', '2024-03-30T23:59:00Z'],
    ['Europe/London', '2024-03-31', '2024-03-31T22:59:00Z'],
    ['Europe/London', '2024-10-27', '2024-10-27T23:59:00Z'],
    // Southern hemisphere: DST ends in April and starts in October.
    ['Australia/Sydney', '2024-04-06', '2024-04-06T12:59:00Z'],
    ['Australia/Sydney', '2024-04-07', '2024-04-07T13:59:00Z'],
    ['Australia/Sydney', '2024-10-06', '2024-10-06T12:59:00Z'],
  ])('is DST-correct: %s on %s ends at %s', (zone, date, expected) => {
    expect(expiryInstant(date, zone)).toBe(utc(expected));
  });

  it('refuses an impossible date or an unknown zone', () => {
    expect(() => expiryInstant('2023-02-29', 'UTC')).toThrow(RangeError);
    expect(() => expiryInstant('2024-6-1', 'UTC')).toThrow(RangeError);
    expect(() => expiryInstant('2024-06-01', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('zonedTimeToInstant', () => {
  it('pushes a wall time in a spring-forward gap past the gap', () => {
    // 02:30 does not exist in New York on 2024-03-10; it reads as 03:30 EDT.
    expect(zonedTimeToInstant({ year: 2024, month: 3, day: 10, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      utc('2024-03-10T07:30:00Z'),
    );
  });

  it('takes the earlier of a repeated fall-back hour, and the right side just after a change', () => {
    expect(zonedTimeToInstant({ year: 2024, month: 11, day: 3, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      utc('2024-11-03T05:30:00Z'),
    );
    expect(zonedTimeToInstant({ year: 2024, month: 3, day: 10, hour: 3, minute: 30 }, 'America/New_York')).toBe(
      utc('2024-03-10T07:30:00Z'),
    );
  });
});

describe('calendar helpers', () => {
  it('reads the local day of an instant per zone', () => {
    const instant = utc('2024-06-15T20:00:00Z');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2024-06-16');
    expect(localDate(instant, 'America/New_York')).toBe('2024-06-15');
    expect(localDate(instant, 'UTC')).toBe('2024-06-15');
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-06-15', 0)).toBe('2024-06-15');
  });

  it('validates dates and zones', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('tomorrow')).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('hasExpired and effectiveStatus', () => {
  const end = utc('2024-06-15T14:59:00Z'); // 2024-06-15 23:59 in Tokyo

  it('switches at the expiry instant exactly', () => {
    expect(hasExpired('2024-06-15', 'Asia/Tokyo', end - 1)).toBe(false);
    expect(hasExpired('2024-06-15', 'Asia/Tokyo', end)).toBe(true);
    expect(hasExpired(null, 'Asia/Tokyo', end + 1e12)).toBe(false);
  });

  it('reads EXPIRED past the instant whatever the stored status, else the stored status', () => {
    const user = { accessExpiresOn: '2024-06-15', timeZone: 'Asia/Tokyo' };
    expect(effectiveStatus({ ...user, status: 'ACTIVE' }, end - 60_000)).toBe('ACTIVE');
    expect(effectiveStatus({ ...user, status: 'ACTIVE' }, end)).toBe('EXPIRED');
    expect(effectiveStatus({ ...user, status: 'SUSPENDED' }, end + 1)).toBe('EXPIRED');
    expect(effectiveStatus({ ...user, status: 'REQUESTED', accessExpiresOn: null }, end)).toBe('REQUESTED');
  });

  it('gives the same calendar day different instants in different zones', () => {
    const now = utc('2024-06-15T16:00:00Z');
    // Past 23:59 in Tokyo and Sydney, not yet in London or New York.
    expect(hasExpired('2024-06-15', 'Asia/Tokyo', now)).toBe(true);
    expect(hasExpired('2024-06-15', 'Australia/Sydney', now)).toBe(true);
    expect(hasExpired('2024-06-15', 'Europe/London', now)).toBe(false);
    expect(hasExpired('2024-06-15', 'America/New_York', now)).toBe(false);
  });
});
