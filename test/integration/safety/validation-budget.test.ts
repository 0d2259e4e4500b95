/**
 * Validation time is bounded (issue 15): documents whose validation would compare hundreds of
 * thousands of field pairs are refused QUERY_TOO_COMPLEX (`limit: validationWork`) from an estimate,
 * on /graphql and /export, before any upstream request; a document that fails validation is
 * answered the same way the second time, from the gateway's memory of it; ordinary documents run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { exportGet } from '../export/export.kit.js';
import { HEAVY_DOCUMENTS as HEAVY } from '../../helpers/heavy-documents.js';
import { ADMIN, JSON_HEADERS, codesOf, expectNoUemRequest, jsonBody, raw, refusalOf, resetUpstreams } from './safety.kit.js';

describe('the validation budget', () => {
  let gw: TestGateway;
  let auth: Record<string, string>;
  beforeAll(async () => {
    gw = await startTestGateway();
    auth = { ...JSON_HEADERS, authorization: `Bearer ${await gw.token(ADMIN)}` };
    expectData(await gw.gql('{ viewer { email } }', { as: ADMIN })); // the caller is resolved (and cached) first
  }, 120_000);
  afterAll(() => gw?.close());

  it('refuses every validation-heavy shape with QUERY_TOO_COMPLEX validationWork and the figures, upstreams untouched', async () => {
    resetUpstreams(gw);
    const max = gw.app.config.safety.limits.validationWork;
    for (const [shape, query] of Object.entries(HEAVY)) {
      const result = await raw(gw, { body: jsonBody({ query }), headers: auth });
      expect(result.status, `${shape}: ${result.text.slice(0, 300)}`).toBe(400);
      expect(codesOf(result)).toEqual(['QUERY_TOO_COMPLEX']);
      const figures = refusalOf(result);
      expect(figures).toMatchObject({ limit: 'validationWork', max });
      expect(figures?.measured as number).toBeGreaterThan(max);
    }
    expectNoUemRequest(gw, 'validation-heavy documents');
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_refusals_total\{code="QUERY_TOO_COMPLEX",reason="validationWork"\} [1-9]/);
  });

  it('refuses them on /export too', async () => {
    const res = await exportGet(gw, { query: HEAVY.repeatedNested });
    expect(res.status, res.describe()).toBe(400);
    expect(res.errors()[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'validationWork' });
  });

  it('answers a document that failed validation the same way again, from what validation said the first time', async () => {
    const body = jsonBody({ query: `{ viewer { emial ${Array.from({ length: 40 }, (_, i) => `unknown${i}`).join(' ')} } }` });
    const first = await raw(gw, { body, headers: auth });
    expect(first.status).toBe(400);
    expect(first.json?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    expect(first.json?.errors).toHaveLength(41);
    const second = await raw(gw, { body, headers: auth });
    expect(second.status).toBe(400);
    expect(second.json).toEqual(first.json);
  });

  it('runs ordinary documents, with fragments and repeated fields within the budget', async () => {
    const query = `query Page { viewer { ...Who } devices(first: 3) { nodes { id ...DeviceBits } } a: viewer { email } b: viewer { email } }
      fragment Who on Viewer { email kind } fragment DeviceBits on Device { friendlyName platform }`;
    const data = expectData(await gw.gql<{ viewer: { email: string }; devices: { nodes: unknown[] } }>(query, { as: ADMIN }), query);
    expect(data.viewer.email).toBe(ADMIN);
    expect(data.devices.nodes).toHaveLength(3);
  });
});
