/**
 * The GraphQL-over-HTTP server audit suite of `graphql-http`, against a running gateway (as an
 * admin). Every MUST audit passes; the SHOULD audits that do not are the ones README "GraphQL over
 * HTTP" lists with the reason.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN } from './safety.kit.js';

/** README "GraphQL over HTTP": Apollo Server answers 400 to these with application/json too. */
const KNOWN_SHOULD_FAILURES = ['572B', 'FDE2', '7B9B'];

describe('graphql-http server audits', () => {
  let gw: TestGateway;
  let results: { id: string; name: string; status: string; reason?: string }[] = [];
  beforeAll(async () => {
    gw = await startTestGateway();
    const token = await gw.token(ADMIN, 3600);
    const audits = serverAudits({
      url: `${gw.url}/graphql`,
      fetchFn: (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      },
    });
    results = [];
    for (const audit of audits) {
      const result = await audit.fn();
      results.push({ id: audit.id, name: audit.name, status: result.status, reason: 'reason' in result ? String(result.reason) : undefined });
    }
  }, 120_000);
  afterAll(() => gw?.close());

  it('passes every MUST audit', () => {
    expect(results.length).toBeGreaterThan(40);
    const failed = results.filter((r) => r.name.startsWith('MUST') && r.status !== 'ok');
    expect(failed).toEqual([]);
  });

  it('passes every SHOULD audit except those the README lists', () => {
    const failed = results.filter((r) => r.name.startsWith('SHOULD') && r.status !== 'ok').map((r) => r.id);
    expect(failed.sort()).toEqual([...KNOWN_SHOULD_FAILURES].sort());
  });
});
