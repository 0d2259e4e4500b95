/**
 * Between UEM's wire spellings and the graph's enums (src/resolvers/devices/device-enums.ts):
 * every member round-trips, any letter case reads, and unknown values fall back to a neutral one.
 */
import { describe, expect, it } from 'vitest';
import {
  complianceParam,
  ownershipParam,
  platformParam,
  toCompliance,
  toEnrollment,
  toOwnership,
  toPlatform,
} from '../../../src/resolvers/devices/device-enums.js';

describe('device enums', () => {
  it('round-trips every member through its UEM spelling', () => {
    for (const p of ['APPLE', 'ANDROID', 'WINDOWS', 'MACOS'] as const) expect(toPlatform(platformParam(p))).toBe(p);
    for (const o of ['CORPORATE', 'EMPLOYEE', 'SHARED', 'UNDEFINED'] as const) expect(toOwnership(ownershipParam(o))).toBe(o);
    for (const c of ['COMPLIANT', 'NON_COMPLIANT'] as const) expect(toCompliance(complianceParam(c))).toBe(c);
  });

  it('reads UEM spellings in any letter case', () => {
    expect([toPlatform('winrt'), toPlatform('APPLEOSX'), toOwnership('c'), toEnrollment('enterprisewipepending'), toCompliance('noncompliant')]).toEqual([
      'WINDOWS',
      'MACOS',
      'CORPORATE',
      'ENTERPRISE_WIPE_PENDING',
      'NON_COMPLIANT',
    ]);
  });

  it('falls back to a neutral member for unknown or missing values', () => {
    expect([toPlatform('BlackBerry'), toPlatform(null)]).toEqual(['OTHER', 'OTHER']);
    expect([toOwnership('X'), toOwnership(null)]).toEqual(['UNDEFINED', 'UNDEFINED']);
    expect([toEnrollment('Registered'), toEnrollment(null)]).toEqual(['UNENROLLED', 'UNENROLLED']);
    expect([toCompliance('Unknown'), toCompliance(null)]).toEqual(['NON_COMPLIANT', 'NON_COMPLIANT']);
  });

  it('sends UEM the spellings its search expects', () => {
    expect([platformParam('WINDOWS'), ownershipParam('EMPLOYEE'), complianceParam('NON_COMPLIANT')]).toEqual(['WinRT', 'E', 'NonCompliant']);
  });
});
