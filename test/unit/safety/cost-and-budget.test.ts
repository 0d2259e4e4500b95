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

function analyse(query: string, variables?: Record<string, unknown>) {
  const { document, operation } = parsed(query);
  const walk = walkContext(document, operation, variables);
  return { cost: operationCost(schema, walk, operation, 500), upstream: estimateUpstream(schema, walk, operation, 500) };
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

describe('upstream estimate (README "Batching strategy, per relation")', () => {
  const cases: [string, number, number][] = [
    ['{ devices(first: 100) { nodes { id platform user { userName email } } } }', 1, 0],
    ['{ devices(first: 100) { nodes { id user { firstName lastName status } } } }', 3, 0],
    ['{ devices(first: 10) { nodes { id user { firstName } } } }', 11, 0],
    ['{ devices(first: 30) { nodes { apps { name } compliance { status } } } }', 61, 0],
    ['{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { complianceStatus } } } } } }', 6, 1],
    ['{ harmonyUsers(first: 50) { nodes { email roles { role { name environmentAccess { levels } } } } } }', 0, 3],
    ['{ deviceSummary(groupBy: [PLATFORM]) { totalCount } devices(filter: { environment: "Production" }) { totalCount } }', 5, 0],
    ['{ device(id: "1") { id } a: device(id: "2") { id } }', 1, 0],
    // The tag list, each member list, and a non-admin's scope check of the members (at most the tenant's devices).
    ['{ tags(first: 20) { nodes { name deviceCount } } }', 26, 0],
    ['{ tag(id: "11") { name } }', 2, 0],
    ['{ organizationGroups { nodes { name parent { name } children { name } environment { name } } } }', 1, 0],
    ['mutation { updateDeviceTags(deviceIds: ["1", "2"], add: ["A"], remove: ["B"]) { results { deviceId } } }', 24, 0],
    ['mutation { createTag(name: "A") { created } }', 4, 0],
    // Scoped counts (issue 18 cell 12): organization groups from the cached group list alone; smart
    // groups as tags (list, member lists, the scope check); an app's record and, for a non-admin, its
    // assigned and installed devices, with the scope check.
    ['{ organizationGroups { nodes { name deviceCount userCount children { deviceCount } } } }', 1, 0],
    ['{ smartGroups(first: 20) { nodes { name deviceCount } } }', 26, 0],
    ['{ apps(first: 10) { nodes { name installSummary { assigned installed notInstalled } } } }', 35, 0],
    ['{ userGroups(first: 10) { nodes { name userCount } } }', 11, 0],
  ];
  for (const [query, uem, harmony] of cases) {
    it(`${query.slice(0, 80)} → ${uem} UEM, ${harmony} Harmony`, () => {
      expect(analyse(query).upstream).toEqual({ uem, harmony, total: uem + harmony });
    });
  }
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
