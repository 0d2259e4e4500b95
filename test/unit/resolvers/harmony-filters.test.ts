/**
 * The Harmony list filters (src/resolvers/harmony/harmony.filters.ts): in memory over Harmony's
 * whole lists, by the same effective-access rules as the permission layer, ordered by email.
 */
import { describe, expect, it } from 'vitest';
import type { HarmonyLoaders } from '../../../src/loaders/harmony.loaders.js';
import type { HarmonyExternalUser } from '../../../src/datasources/harmony/harmony.schemas.js';
import { filterExternalUsers, filterHarmonyUsers } from '../../../src/resolvers/harmony/harmony.filters.js';
import { contextOf, ADA } from './resolver-world.js';

const harmony = contextOf(ADA).loaders.harmony;
const emails = async (filter: Parameters<typeof filterHarmonyUsers>[1]) => (await filterHarmonyUsers(harmony, filter)).map((u) => u.email);

describe('filterHarmonyUsers', () => {
  it('answers everyone ordered by email regardless of case, and filters by part of the email and by role', async () => {
    expect(await emails(null)).toEqual(['Ada.Admin@example.com', 'agnes.agent@example.com', 'lena.logs@example.com', 'omar.operator@example.com', 'rita.reader@example.com']);
    expect(await emails({ emailContains: 'ADA' })).toEqual(['Ada.Admin@example.com']);
    // An inactive assignment still names the role.
    expect(await emails({ roleId: 'r-ops' })).toEqual(['agnes.agent@example.com', 'omar.operator@example.com']);
  });

  it('filters by effective permission: ADMIN implies every one, inactive assignments grant nothing', async () => {
    expect(await emails({ permission: 'AGENT_INSTALL' })).toEqual(['Ada.Admin@example.com', 'agnes.agent@example.com']);
    expect(await emails({ permission: 'READ' })).toEqual(['Ada.Admin@example.com', 'lena.logs@example.com', 'omar.operator@example.com', 'rita.reader@example.com']);
  });

  // Access levels are the roles' own rows: ADMIN implies permissions, not levels in environments.
  it('filters by environment (name in any case, or id) and access level held there', async () => {
    expect(await emails({ environment: 'sandbox' })).toEqual(['omar.operator@example.com']);
    expect(await emails({ environment: 'e1' })).toEqual(['lena.logs@example.com', 'omar.operator@example.com', 'rita.reader@example.com']);
    expect(await emails({ environment: 'e1', accessLevel: 'VIEW_LOGS' })).toEqual(['lena.logs@example.com']);
    expect(await emails({ accessLevel: 'EXECUTE' })).toEqual(['omar.operator@example.com']);
    expect(await emails({ environment: 'Development', permission: 'READ' })).toEqual([]);
  });
});

describe('filterExternalUsers', () => {
  const NOW = Date.UTC(2025, 5, 15, 12);
  const user = (email: string, extra: Partial<HarmonyExternalUser>): HarmonyExternalUser => ({
    externalUserId: email,
    email,
    name: email,
    company: 'Partner Co',
    status: 'ACTIVE',
    accessExpiresOn: null,
    timeZone: 'UTC',
    lastLogin: null,
    memberSince: null,
    apiGroupIds: [],
    apis: [],
    ...extra,
  });
  const loaders = {
    externalUsers: async () => [
      user('zed@partner.example', { apiGroupIds: ['g1'] }),
      user('Amy@other.example', { company: 'Other Ltd', status: 'SUSPENDED' }),
      user('bob@partner.example', { accessExpiresOn: '2025-06-14', apiGroupIds: ['g1', 'g2'] }),
    ],
  } as unknown as HarmonyLoaders;
  const emailsOf = async (filter: Parameters<typeof filterExternalUsers>[1]) => (await filterExternalUsers(loaders, filter, NOW)).map((u) => u.email);

  it('orders by email and filters by company (any case), API group and email part', async () => {
    expect(await emailsOf(undefined)).toEqual(['Amy@other.example', 'bob@partner.example', 'zed@partner.example']);
    expect(await emailsOf({ company: 'partner co' })).toEqual(['bob@partner.example', 'zed@partner.example']);
    expect(await emailsOf({ apiGroupId: 'g2' })).toEqual(['bob@partner.example']);
    expect(await emailsOf({ emailContains: 'AMY' })).toEqual(['Amy@other.example']);
  });

  it('filters by the status as of now: an expiry in the past is EXPIRED whatever Harmony says', async () => {
    expect(await emailsOf({ status: 'EXPIRED' })).toEqual(['bob@partner.example']);
    expect(await emailsOf({ status: 'ACTIVE' })).toEqual(['zed@partner.example']);
    expect(await emailsOf({ status: 'SUSPENDED' })).toEqual(['Amy@other.example']);
  });
});
