import { describe, expect, it } from 'vitest';
import { accessEndsAt, accessHasEnded } from '../../src/domain/external-expiry.js';

describe('external-user expiry', () => {
  it('ends at 23:59 local time in the user’s zone', () => {
    expect(new Date(accessEndsAt('2026-11-23', 'UTC')).toISOString()).toBe('2026-11-23T23:59:00.000Z');
    expect(new Date(accessEndsAt('2026-11-23', 'Asia/Tokyo')).toISOString()).toBe('2026-11-23T14:59:00.000Z');
    expect(new Date(accessEndsAt('2026-11-23', 'America/New_York')).toISOString()).toBe('2026-11-24T04:59:00.000Z');
    expect(new Date(accessEndsAt('2026-11-23', 'Asia/Kathmandu')).toISOString()).toBe('2026-11-23T18:14:00.000Z');
  });

  it('follows daylight saving time', () => {
    // New York in July is UTC-4; on the spring-forward day (2026-03-08) 23:59 is already EDT.
    expect(new Date(accessEndsAt('2026-07-01', 'America/New_York')).toISOString()).toBe('2026-07-02T03:59:00.000Z');
    expect(new Date(accessEndsAt('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-09T03:59:00.000Z');
    // Sydney on the day DST ends (2026-04-05) is AEST, UTC+10, at 23:59.
    expect(new Date(accessEndsAt('2026-04-05', 'Australia/Sydney')).toISOString()).toBe('2026-04-05T13:59:00.000Z');
  });

  it('is never for no date, and fails closed for unreadable input', () => {
    const end = accessEndsAt('2026-11-23', 'Europe/London');
    expect(accessHasEnded(null, 'UTC', Date.now())).toBe(false);
    expect(accessHasEnded('2026-11-23', 'Europe/London', end - 1)).toBe(false);
    expect(accessHasEnded('2026-11-23', 'Europe/London', end)).toBe(true);
    expect(accessHasEnded('23/11/2026', 'UTC', 0)).toBe(true);
    expect(accessHasEnded('2026-11-23', 'Mars/Olympus', 0)).toBe(true);
  });
});
