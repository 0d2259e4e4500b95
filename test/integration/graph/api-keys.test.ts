import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { seededDataDir } from '../../helpers/db-template.js';
import { runCli, runCliProcess } from '../../helpers/cli.js';

let gw: TestGateway;
/** Partners run registered documents only: the viewer query is one, under pat's API group. */
const VIEWER = 'query KeyViewer { viewer { kind email } }';
const VIEWER_ID = `sha256:${createHash('sha256').update(VIEWER).digest('hex')}`;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.app.services.documents.register({ [VIEWER_ID]: VIEWER }, { clientName: 'tests', apiGroup: 'device-inventory', createdBy: 'tests' });
});
afterAll(async () => {
  await gw?.close();
});

const CREATE = `mutation Create($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { id prefix ownerEmail kind label } }
}`;
type Created = { createApiKey: { key: string; apiKey: { id: string; prefix: string; ownerEmail: string } } };

async function create(ownerEmail: string, kind: string, as = 'ada.admin@demo.example') {
  return expectData(await gw.gql<Created>(CREATE, { as, variables: { input: { ownerEmail, kind, label: 'test' } } }), CREATE).createApiKey;
}

async function viewerWithKey(key: string) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `ApiKey ${key}` },
    body: JSON.stringify({ documentId: VIEWER_ID }),
  });
  return { status: res.status, body: (await res.json()) as { data?: { viewer: { kind: string; email: string } }; errors?: { extensions: { reason?: string } }[] } };
}

describe('API keys', () => {
  it('are created by ADMIN, shown once, stored only as a hash, and work until revoked', async () => {
    const created = await create('Pat.Partner@partner.example', 'EXTERNAL_USER');
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey.ownerEmail).toBe('pat.partner@partner.example');
    const rows = await gw.app.services.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(created.key);
    expect((await viewerWithKey(created.key)).body.data?.viewer).toEqual({ kind: 'EXTERNAL_USER', email: 'pat.partner@partner.example' });

    const listed = expectData(await gw.gql<{ apiKeys: { id: string }[] }>('{ apiKeys { id } }', { as: 'ada.admin@demo.example' }));
    expect(listed.apiKeys.map((k) => k.id)).toContain(created.apiKey.id);

    const revoke = `mutation { revokeApiKey(id: "${created.apiKey.id}") { revoked } }`;
    expect(expectData(await gw.gql<{ revokeApiKey: { revoked: boolean } }>(revoke, { as: 'ada.admin@demo.example' })).revokeApiKey.revoked).toBe(true);
    const after = await viewerWithKey(created.key);
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.extensions.reason).toBe('invalid_api_key');
  });

  it('refuse keys of suspended, expired and never-registered external users', async () => {
    for (const [email, reason] of [
      ['sam.suspended@partner.example', 'user_not_active'],
      ['eve.expired@partner.example', 'access_expired'],
      ['rex.requested@partner.example', 'user_not_active'],
    ] as const) {
      const { key } = await create(email, 'EXTERNAL_USER');
      const result = await viewerWithKey(key);
      expect(result.status, email).toBe(401);
      expect(result.body.errors?.[0]?.extensions.reason, email).toBe(reason);
    }
  });

  it('give a Harmony user’s script that user’s permissions', async () => {
    const { key } = await create('rita.reader@demo.example', 'HARMONY_USER');
    expect((await viewerWithKey(key)).body.data?.viewer).toEqual({ kind: 'HARMONY_USER', email: 'rita.reader@demo.example' });
  });

  it('are refused to non-admins and for unknown owners', async () => {
    const byRita = await gw.gql(CREATE, { as: 'rita.reader@demo.example', variables: { input: { ownerEmail: 'pat.partner@partner.example', kind: 'EXTERNAL_USER' } } });
    expect(errorCodes(byRita)).toEqual(['FORBIDDEN']);
    const unknown = await gw.gql(CREATE, { as: 'ada.admin@demo.example', variables: { input: { ownerEmail: 'nobody@partner.example', kind: 'EXTERNAL_USER' } } });
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    const audited = await gw.app.services.db.selectFrom('audit_events').select(['field', 'outcome']).where('field', '=', 'createApiKey').execute();
    expect(audited.map((r) => r.outcome)).toContain('FAILURE');
  });

  // One process (the wiring: exit code, the key on stdout), the other commands in-process.
  it('can be managed from the command line against the configured database', { timeout: 400_000 }, async () => {
    // PGlite is single-process: the CLI uses its own data directory here (a copy of the template).
    const env = { DATA_DIR: seededDataDir('keys-cli-') };
    const created = runCliProcess('keys', ['create', '--owner', 'pat.partner@partner.example', '--kind', 'EXTERNAL_USER'], env);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).toBe('');
    const id = /id:\s+(\S+)/.exec(created.stdout)?.[1];
    expect(created.stdout).toMatch(/key: uhg_/);
    const listed = await runCli('keys', ['list'], env);
    expect(listed.stdout).toContain(`${id}`);
    const revoked = await runCli('keys', ['revoke', id!], env);
    expect(revoked.stdout).toContain(`revoked ${id}`);
    expect((await runCli('keys', ['list'], env)).stdout).toBe('no keys\n');
    const bad = await runCli('keys', ['create', '--owner', 'x'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--owner <email> is required.');
  });
});
