/**
 * The validation gate (issue 15): the work estimate of graphql-js's quadratic rule on the real
 * schema, refusals past LIMIT_VALIDATION_WORK before anything validates, and validation results
 * kept per document so that a refused document costs a lookup the next time.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { parse } from 'graphql';
import type * as GraphQLModule from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { loadConfig } from '../../../src/config.js';
import type { GraphQLContext } from '../../../src/context.js';
import { createValidationGate, extraTokens } from '../../../src/safety/validation-gate.js';
import { rateLimited } from '../../../src/safety/refusal.js';
import { NODE_WEIGHT, validationWork } from '../../../src/safety/validation-work.js';
import { HEAVY_DOCUMENTS } from '../../helpers/heavy-documents.js';

const schema = buildSchema();
/** The schema is built by CommonJS packages: validate with that copy of graphql (see documents/registry.ts). */
const cjs = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;
const validate = (text: string) => cjs.validate(schema, cjs.parse(text));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const work = (text: string, budget = 1e9) => validationWork(parse(text), budget);

const HEAVY = HEAVY_DOCUMENTS;

describe('validation work estimate', () => {
  it('is small for ordinary documents, linear in their size', () => {
    const page = '{ devices(first: 100) { totalCount nodes { id friendlyName platform model complianceStatus user { userName email firstName lastName } } } }';
    expect(work(page)).toBeLessThan(200);
    const fragments = 'query Q { viewer { ...A ...B } } fragment A on Viewer { email kind } fragment B on Viewer { email permissions }';
    expect(work(fragments)).toBeLessThan(150);
    // Distinct fields cost their visits only: no pairs to compare.
    expect(work(`{ viewer { ${rep(500, (i) => `a${i}: email`)} } }`)).toBe(NODE_WEIGHT * 501 + 501);
  });

  it('grows with the pairs graphql-js compares: same-named fields, merged sub-selections, spread fragments', () => {
    expect(work(`{ ${rep(100, () => 'viewer { email }')} }`)).toBeGreaterThan(2 * (100 * 99) / 2);
    expect(work(`{ ${rep(200, () => 'viewer { email }')} }`)).toBeGreaterThan(3.5 * work(`{ ${rep(100, () => 'viewer { email }')} }`));
    for (const [shape, text] of Object.entries(HEAVY)) expect(work(text), shape).toBeGreaterThan(100_000);
  });

  it('stops counting once past the budget, so the estimate itself stays cheap', () => {
    const capped = work(HEAVY.repeatedField, 25_000);
    expect(capped).toBeGreaterThan(25_000);
    expect(capped).toBeLessThan(work(HEAVY.repeatedField));
  });

  it("bounds graphql-js's own work: documents under the default budget validate, those over it are the slow ones", () => {
    // Not timed: the comparison count of the rule grows as the estimate does (see BENCHMARKS.md for times).
    const under = `{ ${rep(60, () => 'viewer { email }')} }`;
    expect(work(under)).toBeLessThan(25_000);
    expect(validate(under)).toEqual([]);
  });
});

describe('validation gate', () => {
  const config = loadConfig({ LIMIT_VALIDATION_WORK: '25000' });
  const context = (kind: 'HARMONY_USER' | 'EXTERNAL_USER' = 'HARMONY_USER', source?: 'persisted' | 'text') =>
    ({ principal: { kind }, ...(source ? { document: { hash: undefined, source } } : {}) }) as unknown as GraphQLContext;
  const gate = () => createValidationGate(config, { hideSuggestions: (ctx) => ctx.principal.kind === 'EXTERNAL_USER' });

  it('charges a new document heavier than most extra tokens, once, before it is remembered', async () => {
    expect(extraTokens(200, 150)).toBe(0);
    expect(extraTokens(95_000, 24_000)).toBe(43 + 8);
    const charged: number[] = [];
    let refuse = true;
    const g = createValidationGate(config, {
      hideSuggestions: () => false,
      charge: async (_ctx, _headers, extra) => {
        charged.push(extra);
        return refuse ? rateLimited(3, 'principal') : undefined;
      },
    });
    const heavy = `{ viewer { ${rep(1_500, (i) => `a${i}: email`)} } }`;
    const limited = await g.screen(heavy, context(), {});
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '3' }, errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    refuse = false;
    expect(await g.screen(heavy, context(), {})).toBeUndefined();
    expect(await g.screen(heavy, context(), {})).toBeUndefined(); // remembered: not charged again
    expect(charged).toEqual([28, 28]);
    expect(await g.screen('{ viewer { email } }', context(), {})).toBeUndefined();
    expect(charged).toEqual([28, 28, 0]);
  });

  it('refuses a document over the work budget with QUERY_TOO_COMPLEX and the figures, before validation', async () => {
    const refused = await gate().screen(HEAVY.fragmentPairs, context(), {});
    expect(refused?.status).toBe(400);
    expect(refused?.errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'validationWork', max: 25_000 });
    expect(refused?.errors[0]?.extensions?.measured).toBeGreaterThan(25_000);
    expect(refused?.errors[0]?.extensions).not.toHaveProperty('http');
  });

  it('refuses a document over LIMIT_DOCUMENT_BYTES before parsing it', async () => {
    const refused = await gate().screen(`{ viewer { email } } ${'#'.repeat(config.safety.limits.documentBytes)}`, context(), {});
    expect(refused?.errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'documentBytes' });
  });

  it('lets ordinary documents, syntax errors (Apollo answers them) and registered documents through', async () => {
    const g = gate();
    expect(await g.screen('{ viewer { email } }', context(), {})).toBeUndefined();
    expect(await g.screen('{ viewer { ', context(), {})).toBeUndefined();
    expect(await g.screen(HEAVY.fragmentPairs, context('HARMONY_USER', 'persisted'), {})).toBeUndefined();
    expect(await g.screen(undefined, context(), {})).toBeUndefined();
  });

  it("answers a document Apollo's validation refused from what it said, hints hidden from partners", async () => {
    const g = gate();
    const text = '{ viewer { emial } }';
    expect(await g.screen(text, context(), {})).toBeUndefined();
    const errors = validate(text);
    expect(errors[0]?.message).toMatch(/Did you mean "email"\?/);
    g.recordInvalid(sha256(text), errors);
    const again = await g.screen(text, context(), {});
    expect(again).toEqual({
      status: 400,
      errors: [{ message: errors[0]!.message, locations: errors[0]!.locations, extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    expect((await g.screen(text, context('EXTERNAL_USER'), {}))?.errors[0]?.message).toBe('Cannot query field "emial" on type "Viewer".');
  });
});
