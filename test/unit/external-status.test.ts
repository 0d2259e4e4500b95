import { describe, expect, it } from 'vitest';
import { externalAccessEndsAt, externalStatus } from '../../src/domain/external-status.js';

const user = (status: 'REQUESTED' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED', accessExpiresOn: string | null, timeZone = 'Asia/Tokyo') => ({
  status,
  accessExpiresOn,
  timeZone,
});

describe('externalStatus', () => {
  // 2026-03-10 23:59 in Tokyo (UTC+9) is 14:59 UTC.
  const end = Date.UTC(2026, 2, 10, 14, 59);

  it('keeps the stored status until 23:59 of the expiry day in the user time zone', () => {
    expect(externalStatus(user('ACTIVE', '2026-03-10'), end - 1)).toBe('ACTIVE');
    expect(externalStatus(user('SUSPENDED', '2026-03-10'), end - 1)).toBe('SUSPENDED');
  });

  it('reads EXPIRED from that instant on, whatever was stored', () => {
    expect(externalStatus(user('ACTIVE', '2026-03-10'), end)).toBe('EXPIRED');
    expect(externalStatus(user('SUSPENDED', '2026-03-10'), end + 1)).toBe('EXPIRED');
  });

  it('follows the user time zone, not UTC', () => {
    // Same wall-clock instant: already past 23:59 in Tokyo, still 10:59 in New York (UTC-4, DST).
    expect(externalStatus(user('ACTIVE', '2026-03-10', 'America/New_York'), end)).toBe('ACTIVE');
  });

  it('never expires without a date, and fails closed on an unreadable one', () => {
    expect(externalStatus(user('ACTIVE', null), Date.UTC(2100, 0, 1))).toBe('ACTIVE');
    expect(externalStatus(user('ACTIVE', 'soon'), end)).toBe('EXPIRED');
  });

  it('gives the instant access ends', () => {
    expect(externalAccessEndsAt(user('ACTIVE', '2026-03-10'))).toBe('2026-03-10T14:59:00.000Z');
    expect(externalAccessEndsAt(user('ACTIVE', null))).toBeNull();
  });
});
