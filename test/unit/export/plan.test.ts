/**
 * How an export reads a query (src/export/plan.ts) and sizes its pages (budget.ts), on the real
 * schema without a server.
 */
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { loadConfig } from '../../../src/config.js';
import { knowledgeOf } from '../../helpers/tenant.js';
import { choosePageSize, estimateExport, estimatePage, overBudget, pageVariables, pagesFor } from '../../../src/export/budget.js';
import { planExport, type ExportPlan, type PlanInput } from '../../../src/export/plan.js';
import { ExportRefusal } from '../../../src/export/refusal.js';

const schema = buildSchema();
const config = loadConfig({});

function plan(text: string, options: Partial<PlanInput> = {}): ExportPlan {
  const outcome = planExport({ schema, text, operationName: undefined, path: undefined, explode: undefined, variables: {}, mayRewrite: true, maxTokens: 5000, ...options });
  if (outcome.kind !== 'plan') throw new Error('expected a plan');
  return outcome.plan;
}

function refusal(text: string, options: Partial<PlanInput> = {}): { message: string; code: string } {
  try {
    plan(text, options);
  } catch (err) {
    if (err instanceof ExportRefusal) return { message: err.message, code: err.code };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('free text', () => {
  it('gets the paging it lacks: after and first from new variables, pageInfo and totalCount under aliases', () => {
    const p = plan('{ devices(filter: { platform: APPLE }) { nodes { id user { email } } } }');
    expect(p.rewritten).toBe(true);
    expect(p.afterVariable).toBe('exportAfter');
    expect(p.firstVariable).toBe('exportFirst');
    expect(p.fixedFirst).toBeUndefined();
    expect(p.keys).toEqual({ rows: 'nodes', pageInfo: 'exportPageInfo', hasNextPage: 'hasNextPage', endCursor: 'endCursor', totalCount: 'exportTotalCount' });
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'user.email']);
    expect(print(p.document)).toContain('devices(filter: {platform: APPLE}, after: $exportAfter, first: $exportFirst)');
  });

  it('keeps what the text already has, aliases included, and only the chosen operation', () => {
    const text = `query A($n: Int, $c: String) { d: devices(first: $n, after: $c) { total: totalCount info: pageInfo { more: hasNextPage end: endCursor } list: nodes { id } } }
      query B { viewer { email } }`;
    const p = plan(text, { operationName: 'A', variables: { n: 25 } });
    expect(p.rewritten).toBe(false);
    expect(p.path).toEqual(['d']);
    expect(p.keys).toEqual({ rows: 'list', pageInfo: 'info', hasNextPage: 'more', endCursor: 'end', totalCount: 'total' });
    expect(p.afterVariable).toBe('c');
    expect(p.fixedFirst).toBe(25);
  });

  it('takes a literal first as the page size, and renames the variables it adds around the caller\'s', () => {
    expect(plan('{ devices(first: 7) { nodes { id } } }').fixedFirst).toBe(7);
    const p = plan('query($exportAfter: Int) { devices(first: $exportAfter) { nodes { id } } }', { variables: { exportAfter: 7 } });
    expect(p.fixedFirst).toBe(7);
    expect(p.afterVariable).toBe('exportAfter2');
  });

  it('pages through a nested connection and reads edges, node fields unprefixed', () => {
    const p = plan('{ app(id: "2001") { name devices(status: FAILED) { edges { cursor node { id user { email } } } } } }', { path: ['app', 'devices'] });
    expect(p.keys.rows).toBe('edges');
    expect(p.keys.node).toBe('node');
    expect(p.columns).toEqual([
      { name: 'cursor', path: ['cursor'] },
      { name: 'id', path: ['node', 'id'] },
      { name: 'user.email', path: ['node', 'user', 'email'] },
    ]);
  });

  it('validates explode: a list of the rows, named itself', () => {
    const p = plan('{ devices { nodes { id compliance { policies { name } } } } }', { explode: ['compliance', 'policies'] });
    expect(p.explode).toEqual(['compliance', 'policies']);
    expect(refusal('{ devices { nodes { id compliance { policies { name } } } } }', { explode: ['compliance'] }).message).toMatch(/not a list/);
    expect(refusal('{ devices { nodes { id } } }', { explode: ['tags'] }).message).toMatch(/not a field/);
  });
});

describe('refusals', () => {
  it('runs registered documents as registered: after from a variable and pageInfo are required', () => {
    const r = refusal('query Q { devices(first: 10) { totalCount nodes { id } } }', { mayRewrite: false });
    expect(r.code).toBe('BAD_USER_INPUT');
    expect(r.message).toMatch(/"after" from a variable and pageInfo/);
    const ok = plan('query Q($after: String) { devices(after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }', { mayRewrite: false });
    expect(ok.rewritten).toBe(false);
    expect(ok.fixedFirst).toBe(50);
    expect(ok.keys.totalCount).toBeUndefined();
  });

  it('names the connection problems in plain words', () => {
    expect(refusal('{ viewer { email } }').message).toMatch(/no connection at its root/);
    expect(refusal('{ devices { nodes { id } } apps { nodes { id } } }').message).toMatch(/several connections.*devices, apps/);
    expect(refusal('{ devices { nodes { id } } }', { path: ['apps'] }).message).toMatch(/"apps" is not a field/);
    expect(refusal('{ devices { nodes { id } } }', { path: ['devices', 'nodes'] }).message).toMatch(/"devices.nodes" is not a connection/);
    const nested = '{ devices { nodes { user { devices { nodes { id } } } } } }';
    expect(refusal(nested, { path: ['devices', 'nodes', 'user', 'devices'] }).message).toMatch(/"devices.nodes" is a list/);
    expect(refusal('{ devices { totalCount } }').message).toMatch(/Select the rows/);
    expect(refusal('{ devices(after: "abc") { nodes { id } } }').message).toMatch(/must be a variable/);
    expect(refusal('mutation { revokeApiKey(id: "1") { revoked } }').message).toMatch(/runs a query/);
  });

  it('leaves documents that do not parse or validate to Apollo', () => {
    const invalid = (text: string) => planExport({ schema, text, operationName: undefined, path: undefined, explode: undefined, variables: {}, mayRewrite: true, maxTokens: 5000 }).kind;
    expect(invalid('{ devices { nodes { id }')).toBe('invalid');
    expect(invalid('{ devices { nodes { nope } } }')).toBe('invalid');
    expect(invalid('query A { viewer { email } } query B { viewer { email } }')).toBe('invalid');
  });
});

describe('page size and budget', () => {
  it('asks for the largest page that fits one operation (500 plain devices, fewer with per-device reads)', () => {
    const plain = plan('{ devices { nodes { id friendlyName } } }');
    expect(choosePageSize(schema, plain, {}, config, false, knowledgeOf())).toBe(500);
    const withCompliance = plan('{ devices { nodes { id compliance { status } } } }');
    const size = choosePageSize(schema, withCompliance, {}, config, false, knowledgeOf())!;
    expect(size).toBeLessThan(100);
    const later = estimatePage(schema, withCompliance, pageVariables(withCompliance, {}, size, 'cursor'), config.maxPageSize, knowledgeOf());
    expect(later.upstream.total).toBeLessThanOrEqual(config.safety.limits.upstreamRequests);
    const over = estimatePage(schema, withCompliance, pageVariables(withCompliance, {}, size + 1, 'cursor'), config.maxPageSize, knowledgeOf());
    expect(over.upstream.total).toBeGreaterThan(config.safety.limits.upstreamRequests);
  });

  it('estimates the whole export as the first page plus the later ones, and names the figure over budget', () => {
    const first = { cost: 10, upstream: { uem: 1, harmony: 0, total: 1 } };
    const later = { cost: 10, upstream: { uem: 2, harmony: 0, total: 2 } };
    expect(pagesFor(2000, 500)).toBe(4);
    expect(pagesFor(0, 500)).toBe(1);
    const estimate = estimateExport(first, later, 4, 2000, 500);
    expect(estimate.upstreamRequests).toEqual({ uem: 7, harmony: 0, total: 7 });
    expect(estimate.cost).toBe(40);
    expect(overBudget(estimate, { cost: 100, upstreamRequests: 10, analyst: false }, undefined)).toBeUndefined();
    const error = overBudget(estimate, { cost: 100, upstreamRequests: 5, analyst: false }, undefined);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'exportUpstreamRequests', max: 5, measured: 7, estimate: { rows: 2000, pages: 4 } });
    expect(overBudget(estimate, { cost: 30, upstreamRequests: 50, analyst: true }, undefined)?.extensions?.limit).toBe('exportCost');
    expect(overBudget(estimate, { cost: undefined, upstreamRequests: 50, analyst: false }, 6)?.extensions?.limit).toBe('uemQuotaRemaining');
  });
});
