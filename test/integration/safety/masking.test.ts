/**
 * Errors are masked with a request id (the full error goes to the log under it); introspection and
 * field suggestions follow the configuration, and partners never get introspection.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN } from './safety.kit.js';

describe('masking, introspection and suggestions (INTROSPECTION=false)', () => {
  let gw: TestGateway;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    gw = await startTestGateway({ INTROSPECTION: 'false' }, { logger: createLogger('error', sink) });
  }, 120_000);
  afterAll(() => gw?.close());

  it('masks an unexpected error as INTERNAL_SERVER_ERROR with the request id, and logs it in full under that id', async () => {
    const store = gw.app.services.store.apiKeys;
    const list = store.list;
    store.list = () => Promise.reject(new Error('connection to db-7.internal:5432 failed for user gateway'));
    try {
      const result = await gw.gql('{ apiKeys { id } }', { as: ADMIN });
      const error = result.body.errors?.[0];
      expect(error?.message).toBe('Internal server error.');
      expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: result.requestId });
      const text = JSON.stringify(result.body);
      expect(text).not.toContain('db-7.internal');
      expect(text).not.toMatch(/stack|\bat \//);
      const logged = lines.map((l) => JSON.parse(l) as { requestId?: string; err?: { message?: string; stack?: string } }).find((l) => l.requestId === result.requestId);
      expect(logged?.err?.message).toContain('db-7.internal');
      expect(logged?.err?.stack).toBeTruthy();
    } finally {
      store.list = list;
    }
  });

  it('refuses introspection and hides field suggestions when introspection is off', async () => {
    const introspection = await gw.gql('{ __schema { types { name } } }', { as: ADMIN });
    expect(introspection.status).toBe(400);
    expect(introspection.body.data ?? null).toBeNull();
    expect(introspection.body.errors?.[0]?.message).toMatch(/^Introspection is turned off on this gateway \(INTROSPECTION=false/);
    const typo = await gw.gql('{ viewer { emial } }', { as: ADMIN });
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0]?.message).toContain('Cannot query field "emial"');
    expect(typo.body.errors?.[0]?.message).not.toContain('Did you mean');
  });
});

describe('introspection in demo mode (on for Harmony users, never for partners)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 120_000);
  afterAll(() => gw?.close());

  it('answers introspection and suggests fields to Harmony users', async () => {
    const result = await gw.gql<{ __type: { name: string } }>('{ __type(name: "Device") { name } }', { as: ADMIN });
    expect(result.body.data?.__type.name).toBe('Device');
    const typo = await gw.gql('{ viewer { emial } }', { as: ADMIN });
    expect(typo.body.errors?.[0]?.message).toContain('Did you mean');
  });

  it('never answers introspection to a partner', async () => {
    const key = gw.app.demo?.credentials.apiKeys['pat.partner@partner.example'];
    expect(key).toBeTruthy();
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Device") { fields { name } } }']) {
      const result = await gw.gql(query, { headers: { 'x-api-key': key! } });
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.body.data ?? null).toBeNull();
      expect(['FORBIDDEN', 'PERSISTED_QUERY_REQUIRED']).toContain(errorCodes(result)[0]);
    }
  });
});
