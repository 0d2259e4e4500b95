/**
 * The seven scenarios of the benchmark issue, each with its critical path: the number of sequential
 * upstream round trips one request needs in steady state (after warm-up, with batching and the
 * cross-request caches on), counted from how the gateway resolves the query (README, "Batching
 * strategy"). Lists cached across requests (the caller's Harmony users/roles/access for
 * PRINCIPAL_CACHE_TTL_SECONDS, reference data and the user directory for
 * REFERENCE_CACHE_TTL_SECONDS, device scans for 30 s) cost no round trip in steady state; the
 * refresh when a TTL lapses is amortised into the measured upstream requests per operation.
 */

export interface ScenarioContext {
  adminBearer: string;
  partnerApiKey: string;
  adminApiKey: string;
  partnerDocumentHash: string;
  /** Whether the gateway runs persisted documents by `documentId` (probed at start). */
  documentsServed: boolean;
  /** 50 device ids of the demo tenant, for the dry run. */
  deviceIds: string[];
  /**
   * Pages of the device list, by page size: each filter of PAGE_FILTERS with the `after` cursors of
   * its consecutive pages (null = the first page). Requests rotate over them so that identical
   * upstream calls in flight at the same moment, which the gateway shares, do not flatter the figures.
   */
  devicePages: Record<number, DevicePage[]>;
}

/** One page of the device list: a filter (null: none) and the cursor it starts after. */
export interface DevicePage {
  filter: Record<string, string> | null;
  after: string | null;
}

export interface ScenarioRequest {
  headers: Record<string, string>;
  body: string;
  /** Bodies the load rotates over (varied pages and filters); `body` is the first. */
  variants?: string[];
  /** How the request is sent, when that differs from the scenario's name (scenario 5's fallback). */
  note?: string;
}

export interface Scenario {
  name: string;
  title: string;
  /** Sequential upstream round trips in steady state. */
  levels: number;
  /** Why `levels` is what it is. */
  levelsNote: string;
  /**
   * The issue's upstream budget for a cold request, where it states one; `harmony` null where the
   * issue budgets UEM only (the caller's own permission lists are not part of it).
   */
  budget?: { uem: number; harmony: number | null };
  /** Whether the issue's p50 and on/off targets apply (scenarios 2 to 4). */
  targeted: boolean;
  request(ctx: ScenarioContext): ScenarioRequest;
}

const json = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
const asAdmin = (ctx: ScenarioContext, query: string, variables?: Record<string, unknown>): ScenarioRequest => ({
  headers: { ...json, authorization: ctx.adminBearer },
  body: JSON.stringify({ query, variables }),
});

/** One request per discovered page of the device list (`$filter`, `$after`); the first is the unfiltered first page. */
function overPages(ctx: ScenarioContext, pageSize: number, query: string): ScenarioRequest {
  const pages = ctx.devicePages[pageSize] ?? [{ filter: null, after: null }];
  const variants = pages.map(({ filter, after }) => JSON.stringify({ query, variables: { after, filter } }));
  return { headers: { ...json, authorization: ctx.adminBearer }, body: variants[0] as string, variants };
}

/** The page sizes whose cursors the benchmark discovers, and how many pages of each filter at most. */
export const DISCOVERED_PAGES: Readonly<Record<number, number>> = { 100: 8, 500: 4 };

/**
 * The filters whose pages the load rotates over besides the unfiltered list: each is its own UEM
 * search, so 50 connections over the demo tenant's 2,000 devices send ~80 different 100-device
 * searches (~18 of 500) rather than 8 (4), and the loaded figures are not those of a few shared pages.
 */
export const PAGE_FILTERS: readonly (Record<string, string> | null)[] = [
  null,
  ...['APPLE', 'ANDROID', 'WINDOWS', 'MACOS'].map((platform) => ({ platform })),
  ...['CORPORATE', 'EMPLOYEE', 'SHARED'].map((ownership) => ({ ownership })),
  ...['COMPLIANT', 'NON_COMPLIANT'].map((complianceStatus) => ({ complianceStatus })),
];

/** The partner's registered operation (API group device-inventory, Production). */
export const PARTNER_DOCUMENT = {
  operationName: 'PartnerDeviceInventory',
  query:
    'query PartnerDeviceInventory { devices(first: 100, filter: { environment: "Production" }) { totalCount pageInfo { hasNextPage endCursor } nodes { id friendlyName platform model osVersion complianceStatus lastSeen } } }',
};

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'viewer',
    title: '1. viewer',
    levels: 0,
    levelsNote: "the caller's permissions come from the cached Harmony lists",
    targeted: false,
    request: (ctx) => asAdmin(ctx, '{ viewer { kind email permissions environmentAccess { environment { id name } levels } } }'),
  },
  {
    name: 'devices-page',
    title: '2. 100 devices + enrollment user',
    levels: 1,
    levelsNote: '1 device search; the user directory is cached',
    budget: { uem: 3, harmony: null },
    targeted: true,
    request: (ctx) =>
      overPages(
        ctx,
        100,
        'query ($after: String, $filter: DeviceFilter) { devices(first: 100, after: $after, filter: $filter) { totalCount nodes { id friendlyName platform model complianceStatus user { userName email firstName lastName } } } }',
      ),
  },
  {
    name: 'harmony-users',
    title: '3. Harmony users + roles + access',
    levels: 0,
    levelsNote: 'users, roles and environment access are cached lists',
    budget: { uem: 0, harmony: 4 },
    targeted: true,
    request: (ctx) =>
      asAdmin(ctx, '{ harmonyUsers(first: 50) { nodes { email roles { role { name permissions environmentAccess { environment { name } levels } } } } } }'),
  },
  {
    name: 'users-device-compliance',
    title: '4. Harmony users → devices compliance',
    levels: 0,
    levelsNote: 'cached Harmony lists, cached directory, cached device scan grouped by user',
    budget: { uem: 10, harmony: 4 },
    targeted: true,
    request: (ctx) => asAdmin(ctx, '{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { complianceStatus } } } } } }'),
  },
  {
    name: 'partner-document',
    title: "5. partner's persisted document",
    levels: 1,
    levelsNote: '1 device search (the environment filter is pushed to UEM as the group id)',
    targeted: false,
    request: (ctx) =>
      ctx.documentsServed
        ? {
            headers: { ...json, 'x-api-key': ctx.partnerApiKey },
            body: JSON.stringify({ documentId: `sha256:${ctx.partnerDocumentHash}` }),
          }
        : {
            headers: { ...json, authorization: `ApiKey ${ctx.adminApiKey}` },
            body: JSON.stringify({ query: PARTNER_DOCUMENT.query }),
            note: "FALLBACK: the gateway does not run documents by documentId yet, so the partner's query is sent as text with a Harmony user's API key (partners may not send free text)",
          },
  },
  {
    name: 'device-summary',
    title: '6. deviceSummary by platform × compliance',
    levels: 0,
    levelsNote: 'the device scan is cached for 30 s',
    targeted: false,
    request: (ctx) => asAdmin(ctx, '{ deviceSummary(groupBy: [PLATFORM, COMPLIANCE_STATUS]) { totalCount buckets { platform complianceStatus count } } }'),
  },
  {
    name: 'command-dry-run',
    title: '7. sendDeviceCommand dry run, 50 devices',
    levels: 1,
    levelsNote: '1 batched read of the 50 devices (POST /mdm/devices/id)',
    targeted: false,
    request: (ctx) =>
      asAdmin(
        ctx,
        'mutation DryRun($ids: [ID!]!) { sendDeviceCommand(input: { deviceIds: $ids, command: SYNC, dryRun: true }) { dryRun results { deviceId status errorCode } } }',
        { ids: ctx.deviceIds },
      ),
  },
  {
    name: 'devices-500',
    title: '8. 500 devices, plain list',
    levels: 1,
    levelsNote: '1 device search page of 500',
    budget: { uem: 1, harmony: null },
    targeted: false,
    request: (ctx) =>
      overPages(
        ctx,
        500,
        'query ($after: String, $filter: DeviceFilter) { devices(first: 500, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { id uuid serialNumber friendlyName platform model osVersion ownership enrollmentStatus complianceStatus lastSeen organizationGroup { id name } } } }',
      ),
  },
];

export function selectScenarios(names: string[] | undefined): Scenario[] {
  if (!names || names.length === 0) return [...SCENARIOS];
  const picked = names.map((n) => {
    const byNumber = /^\d+$/.test(n) ? SCENARIOS[Number(n) - 1] : undefined;
    const found = byNumber ?? SCENARIOS.find((s) => s.name === n);
    if (!found) throw new Error(`unknown scenario "${n}" (one of ${SCENARIOS.map((s, i) => `${i + 1}/${s.name}`).join(', ')})`);
    return found;
  });
  return [...new Set(picked)];
}
