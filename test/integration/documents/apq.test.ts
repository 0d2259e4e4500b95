/**
 * Automatic persisted queries over the exact wire protocol of Apollo Client's persisted-query link
 * (`@apollo/client` is not installed here): the hash alone, PERSISTED_QUERY_NOT_FOUND on a miss,
 * then hash plus text registers it; later the hash alone runs, by POST or GET. Entries live in the
 * database (shared by every instance) behind an in-memory cache. APQ never lets a partner run free
 * text and never makes a document trusted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { call, partnerKey, sha256, type Auth } from './helpers.js';

let gw: TestGateway;
let rita: Auth;
beforeAll(async () => {
  gw = await startTestGateway();
  rita = { jwt: await gw.token('rita.reader@demo.example') };
});
afterAll(async () => {
  await gw?.close();
});

const QUERY = 'query ApqDevices($first: Int) { devices(first: $first) { totalCount } }';
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('APQ, as Apollo Client sends it', () => {
  it('miss, register with the text, then the hash alone by POST and by GET', async () => {
    const hash = sha256(QUERY);
    const miss = await call(gw, rita, { extensions: apq(hash), variables: { first: 1 }, operationName: 'ApqDevices' });
    expect(miss.status).toBe(200);
    expect(miss.body.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });

    const registered = await call<{ devices: { totalCount: number } }>(gw, rita, { query: QUERY, extensions: apq(hash), variables: { first: 1 }, operationName: 'ApqDevices' });
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data?.devices.totalCount).toBeGreaterThan(0);

    const post = await call<{ devices: { totalCount: number } }>(gw, rita, { extensions: apq(hash), variables: { first: 1 } });
    expect(post.body.data).toEqual(registered.body.data);
    const get = await call<{ devices: { totalCount: number } }>(gw, rita, { extensions: apq(hash), variables: { first: 1 }, method: 'GET' });
    expect(get.body.data).toEqual(registered.body.data);

    // Stored in the database, for every instance; not a trusted document.
    const row = await gw.app.services.db.selectFrom('apq_documents').selectAll().where('hash', '=', hash).executeTakeFirst();
    expect(row?.body).toBe(QUERY);
    expect(await gw.app.services.documents.trusted(hash)).toBeUndefined();
  });

  it('refuses a hash that is not the sha256 of the text', async () => {
    const result = await call(gw, rita, { query: QUERY, extensions: apq(sha256('another text')) });
    expect(result.status).toBe(400);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.errors?.[0]?.extensions?.reason).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it('never lets a partner register or run APQ text, even one a Harmony user registered', async () => {
    const pat = { apiKey: await partnerKey(gw, 'pat.partner@partner.example') };
    const hash = sha256(QUERY); // registered by rita above
    const byHash = await call(gw, pat, { extensions: apq(hash) });
    expect(errorCodes(byHash)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const withText = await call(gw, pat, { query: QUERY, extensions: apq(hash) });
    expect(errorCodes(withText)).toEqual(['PERSISTED_QUERY_REQUIRED']);
  });

  it("Apollo Server's own APQ is off: the gateway's store answers for every instance", async () => {
    const text = 'query SharedApq { viewer { email } }';
    await gw.app.services.documents.apqPut(sha256(text), text);
    // As if registered by another instance: straight into the database, not this instance's cache.
    const other = 'query OtherInstance { viewer { kind } }';
    await gw.app.services.db.insertInto('apq_documents').values({ hash: sha256(other), body: other }).execute();
    const result = await call<{ viewer: { kind: string } }>(gw, rita, { extensions: apq(sha256(other)) });
    expect(result.body.data?.viewer.kind).toBe('HARMONY_USER');
  });
});
