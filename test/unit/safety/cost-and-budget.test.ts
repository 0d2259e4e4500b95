/**
 * The cost model (IBM @cost/@listSize semantics, as annotated in schema/*.graphql), the static
 * figures and the upstream-request estimator, on the real schema and without a server.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { operationCost } from '../../../src/safety/cost.js';
import { measureOperation } from '../../../src/safety/limits.js';
import { maskErrors } from '../../../src/safety/masking.js';
import { estimateUpstream } from '../../../src/safety/upstream-budget.js';
import { walkContext } from '../../../src/safety/walk.js';
import { createLogger } from '../../../src/logger.js';
import { loadConfig } from '../../../src/config.js';
import type { TenantKnowledge } from '../../../src/loaders/plans.js';
import { knowledgeOf } from '../../helpers/tenant.js';

const schema = buildSchema();

function parsed(query: string) {
  const document = parse(query);
  return { document, operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')! };
}

/** The static figures only: cost and estimate inline fragments, so they run after the limits. */
const figuresOf = (query: string) => {
  const { document, operation } = parsed(query);
  return measureOperation(document, operation);
};

function analyse(query: string, variables?: Record<string, unknown>, knowledge: TenantKnowledge = knowledgeOf()) {
  const { document, operation } = parsed(query);
  const walk = walkContext(document, operation, variables);
  return { cost: operationCost(schema, walk, operation, 500), upstream: estimateUpstream(schema, walk, operation, 500, { knowledge }) };
}

describe('cost', () => {
  it('multiplies a connection page by the slicing argument, capped at the page size cap', () => {
    expect(analyse('{ devices(first: 100) { nodes { id platform user { userName email } } } }').cost).toBe(1 + 100 * 2);
    expect(analyse('{ devices(first: 5000) { nodes { id } } }').cost).toBe(1 + 500);
    expect(analyse('query ($n: Int) { devices(first: $n) { edges { node { id } } } }', { n: 7 }).cost).toBe(1 + 7 * 2);
    // The argument's default (first: 50) when absent.
    expect(analyse('{ devices { nodes { id } } }').cost).toBe(1 + 50);
  });

  it('uses the annotated weights and assumed sizes, and 10 per mutation root field', () => {
    // compliance weighs 5 (one UEM request per device); apps are assumed 20 per device.
    expect(analyse('{ devices(first: 10) { nodes { compliance { status } apps { name } } } }').cost).toBe(1 + 10 * (1 + 5 + 20));
    expect(analyse('{ deviceSummary(groupBy: [PLATFORM]) { totalCount } }').cost).toBe(20);
    expect(analyse('mutation { revokeApiKey(id: "1") { id } }').cost).toBe(10);
  });
});

describe('static figures', () => {
  it('follows fragments without expanding them: a fan-out is counted, not walked', () => {
    let doc = '{ roles { ...F0 } }\n';
    for (let i = 0; i < 30; i++) doc += `fragment F${i} on Role { name ${Array.from({ length: 10 }, () => `...F${i + 1}`).join(' ')} }\n`;
    doc += 'fragment F30 on Role { id }';
    const figures = figuresOf(doc);
    expect(figures.fields).toBeGreaterThan(1e29);
    expect(figures.depth).toBe(2);
    expect(figures.rootFields).toBe(1);
  });

  it('counts depth, aliases, directives and root fields through fragments', () => {
    const figures = figuresOf('query ($a: Boolean!) { x: viewer { ...V } y: viewer { email @include(if: $a) } } fragment V on Viewer { e: email environmentAccess { environment { name } } }');
    expect(figures).toMatchObject({ depth: 4, aliases: 3, directives: 1, rootFields: 2, variables: 1 });
  });
});

describe('upstream estimate: the loaders\' plans for this tenant (README "Batching strategy, per relation")', () => {
  // The demo tenant (2,000 devices: 4 pages; 800 users: 2 pages), a cold cache, no snapshot.
  const cases: [string, number, number][] = [
    ['{ devices(first: 100) { nodes { id platform user { userName email } } } }', 1, 0],
    // 100 users: per-id GETs (100) or the directory (2 pages): the directory.
    ['{ devices(first: 100) { nodes { id user { firstName lastName status } } } }', 3, 0],
    ['{ devices(first: 10) { nodes { id user { firstName } } } }', 3, 0],
    // One user: one GET beats two directory pages.
    ['{ devices(first: 1) { nodes { id user { firstName } } } }', 2, 0],
    ['{ devices(first: 30) { nodes { apps { name } compliance { status } } } }', 61, 0],
    // 50 emails: the directory (2); 50 users' devices: one scan (4).
    ['{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { complianceStatus } } } } } }', 6, 1],
    ['{ harmonyUsers(first: 50) { nodes { email roles { role { name environmentAccess { levels } } } } } }', 0, 3],
    // Without the resolvers' planner an environment filter counts the scan the summary shares.
    ['{ deviceSummary(groupBy: [PLATFORM]) { totalCount } devices(filter: { environment: "Production" }) { totalCount } }', 4, 0],
    ['{ device(id: "1") { id } a: device(id: "2") { id } }', 1, 0],
    // One email: one users/search?email= (the directory would be 2).
    ['{ person(email: "ada.admin@demo.example") { email uemUser { firstName } devices { nodes { id } } } }', 2, 2],
    // A command's state: the command, plus its device in the by-id batch (shared with other device reads).
    ['{ deviceCommand(id: "x") { state device { id } } device(id: "1") { id } }', 2, 0],
    // A page of each device's command history: one request per device.
    ['{ devices(first: 20) { nodes { commands(first: 5) { nodes { state } } } } }', 21, 0],
    // Following what a send sent: up to one history read per device named (3 devices, one bulk call, the device batch).
    ['mutation { sendDeviceCommand(input: { deviceIds: ["1", "2", "3"], command: SYNC }) { results { deviceId status } } }', 2, 0],
    ['mutation { sendDeviceCommand(input: { deviceIds: ["1", "2", "3"], command: SYNC }) { results { commandId } } }', 5, 0],
    // The tag list, the membership (the list and 10 member lists), and a non-admin's scope check of
    // the members, planned as the scan (4 pages).
    ['{ tags(first: 20) { nodes { name deviceCount } } }', 16, 0],
    ['{ tag(id: "11") { name } }', 2, 0],
    ['{ organizationGroups { nodes { name parent { name } children { name } environment { name } } } }', 1, 0],
    // The devices in one batch, the membership (11), one bulk call per tag.
    ['mutation { updateDeviceTags(deviceIds: ["1", "2"], add: ["A"], remove: ["B"]) { results { deviceId } } }', 14, 0],
    ['mutation { createTag(name: "A") { created } }', 4, 0],
    // Scoped counts (issue 18 cell 12): organization groups from the cached group list alone; smart
    // groups as tags (the membership, the scope check planned as the scan); an app's record and, for a non-admin, its
    // assigned and installed devices, with the scope check.
    ['{ organizationGroups { nodes { name deviceCount userCount children { deviceCount } } } }', 1, 0],
    ['{ smartGroups(first: 20) { nodes { name deviceCount } } }', 14, 0],
    ['{ apps(first: 10) { nodes { name installSummary { assigned installed notInstalled } } } }', 35, 0],
    ['{ userGroups(first: 10) { nodes { name userCount } } }', 11, 0],
  ];
  for (const [query, uem, harmony] of cases) {
    it(`${query.slice(0, 80)} → ${uem} UEM, ${harmony} Harmony`, () => {
      expect(analyse(query).upstream).toMatchObject({ uem, harmony, total: uem + harmony });
    });
  }

  it('follows the tenant\'s sizes: 50,000 devices and 20,000 users', () => {
    const big = knowledgeOf({ sizes: { devices: 50_000, users: 20_000 } });
    // 100 users: 100 GETs or 40 directory pages.
    expect(analyse('{ devices(first: 100) { nodes { id user { firstName } } } }', undefined, big).upstream).toMatchObject({ uem: 41 });
    // A person is one search by email at any size.
    expect(analyse('{ person(email: "a@b.c") { uemUser { firstName } } }', undefined, big).upstream).toMatchObject({ uem: 1 });
    // 50 Harmony users' devices: 40 directory pages and 50 searches (a scan is 100).
    const joined = analyse('{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { id } } } } } }', undefined, big).upstream;
    expect(joined).toMatchObject({ uem: 90, harmony: 1 });
    expect(joined.plans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ relation: 'devicesOfUsers', strategy: 'per-key', calls: 50, keys: 50 }),
        expect.objectContaining({ relation: 'userByEmail', strategy: 'scan', calls: 40 }),
      ]),
    );
    expect(analyse('{ deviceSummary(groupBy: [PLATFORM]) { totalCount } }', undefined, big).upstream).toMatchObject({ uem: 100 });
  });

  it('counts nothing for what the snapshots and the caches answer', () => {
    const snapshots = knowledgeOf({ sizes: { devices: 50_000, users: 20_000 }, snapshots: ['devices', 'users', 'tags', 'smartGroups'] });
    expect(analyse('{ devices(first: 100) { nodes { id user { firstName } tags { name } } } }', undefined, snapshots).upstream).toMatchObject({ uem: 1 });
    expect(analyse('{ deviceSummary(groupBy: [PLATFORM]) { totalCount } }', undefined, snapshots).upstream).toMatchObject({ uem: 0 });
    expect(analyse('{ harmonyUsers(first: 50) { nodes { uemUser { devices { nodes { id } } } } } }', undefined, snapshots).upstream).toMatchObject({ uem: 0 });
    const warm = knowledgeOf({ cached: ['uem:user-directory', 'harmony:users'] });
    expect(analyse('{ harmonyUsers(first: 50) { nodes { uemUser { firstName } } } }', undefined, warm).upstream).toMatchObject({ uem: 0, harmony: 0 });
  });

  it('never counts a whole read as cheap before the sizes are known', () => {
    const unknown = knowledgeOf({ sizes: { devices: 0, users: 0, source: 'unknown' } });
    expect(analyse('{ devices(first: 100) { nodes { user { firstName } } } }', undefined, unknown).upstream).toMatchObject({ uem: 101 });
  });
});

describe('masking', () => {
  const logger = createLogger('silent');
  const formatted = [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, { message: 'no', extensions: { code: 'FORBIDDEN' } }];
  it('adds the request id, and details only with EXPOSE_ERRORS', () => {
    const original = new Error('secret detail');
    const masked = maskErrors(formatted, [original, undefined], 'req-1', { logger, exposeErrors: false });
    expect(masked?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' });
    expect(masked?.[1]).toBe(formatted[1]);
    const exposed = maskErrors(formatted, [original, undefined], 'req-1', { logger, exposeErrors: true });
    expect(exposed?.[0]?.extensions?.details).toMatchObject({ message: 'secret detail' });
  });

  it('refuses EXPOSE_ERRORS in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', EXPOSE_ERRORS: 'true' })).toThrow(/EXPOSE_ERRORS/);
    expect(loadConfig({ EXPOSE_ERRORS: 'true' }).safety.exposeErrors).toBe(true);
  });
});
