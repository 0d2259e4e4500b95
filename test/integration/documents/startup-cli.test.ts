/**
 * The command line and start-up: `npm run documents -- push|list|remove` and `npm run audit --
 * export` against the embedded database in DATA_DIR (the commands in-process, and one run of each
 * tool as a process: its exit code, stdout and stderr); a gateway started on that database checks
 * every registered document against the schema, reports those that no longer validate in
 * `/readyz` (and the logs) and refuses to serve them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrations/index.js';
import { upsertDocument } from '../../../src/store/documents.repository.js';
import { errorCodes, expectData, startTestGateway } from '../../helpers/gateway.js';
import { seededDataDir } from '../../helpers/db-template.js';
import { runCli, runCliProcess } from '../../helpers/cli.js';
import { ADA, call, flatManifest, sha256 } from './helpers.js';

/** A copy of the migrated template: each command is a process opening it, none runs initdb. */
const dataDir = seededDataDir('documents-cli-');
const env = { DATA_DIR: dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PARTNER = 'query CliPartnerDevices { devices(first: 3) { totalCount } }';
const API_DOC = 'query CliLookupDevices { devices(first: 2) { totalCount } }';
/** Each command opens the embedded database; one per tool is a process loading the gateway's modules. */
const CLI_TIMEOUT = 600_000;
const STALE = 'query StaleDocument { viewer { fieldRemovedLater } }';

describe('npm run documents', () => {
  it('pushes a manifest idempotently, lists and rejects a manifest with a wrong hash', async () => {
    const file = join(dataDir, 'manifest.json');
    writeFileSync(file, JSON.stringify(flatManifest(PARTNER)));
    const first = await runCli('documents', ['push', file, '--client', 'cli-portal', '--api-group', 'device-inventory'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('created 1, unchanged 0, updated 0');
    expect((await runCli('documents', ['push', file, '--client', 'cli-portal', '--api-group', 'device-inventory'], env)).stdout).toContain('created 0, unchanged 1, updated 0');
    const listed = await runCli('documents', ['list', '--api-group', 'device-inventory'], env);
    expect(listed.stdout).toContain(`sha256:${sha256(PARTNER)}`);
    expect(listed.stdout).toContain('CliPartnerDevices');

    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ [sha256('x')]: 'query Other { viewer { email } }' }));
    // As a process: the exit code, the reason on stderr and nothing on stdout.
    const rejected = runCliProcess('documents', ['push', bad, '--client', 'cli-portal'], env);
    expect(rejected.status, rejected.stderr).toBe(1);
    expect(rejected.stderr).toContain('nothing was stored');
    expect(rejected.stdout).toBe('');
    const inProcess = await runCli('documents', ['push', bad, '--client', 'cli-portal'], env);
    expect(inProcess).toEqual(rejected);
    const usage = await runCli('documents', ['push'], env);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage:');

    // Under an API (issue 18, job 8): listed with its scope; an API group and an API together are refused.
    const apiFile = join(dataDir, 'api-manifest.json');
    writeFileSync(apiFile, JSON.stringify(flatManifest(API_DOC)));
    expect((await runCli('documents', ['push', apiFile, '--client', 'cli-lookup', '--api', 'api-device-lookup'], env)).stdout).toContain('created 1, unchanged 0, updated 0');
    const byApi = await runCli('documents', ['list', '--api', 'api-device-lookup'], env);
    expect(byApi.stdout).toMatch(new RegExp(`sha256:${sha256(API_DOC)} .*CliLookupDevices .*cli-lookup  api:api-device-lookup`));
    expect(byApi.stdout).not.toContain('CliPartnerDevices');
    const both = await runCli('documents', ['push', apiFile, '--client', 'cli-lookup', '--api', 'api-orders', '--api-group', 'device-inventory'], env);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('not both');
  }, CLI_TIMEOUT);
});

describe('a gateway started on registered documents', () => {
  it('reports a document that no longer validates in /readyz, refuses it, and serves the others', async () => {
    // A document registered under an older schema (written directly: registration would refuse it).
    const store = await createDatabase({ dataDir });
    await migrateToLatest(store.db);
    await upsertDocument(store.db, { hash: sha256(STALE), body: STALE, operationName: 'StaleDocument', operationType: 'query', clientName: 'old-app', apiGroup: null, createdBy: 'cli' });
    await store.close();

    const gw = await startTestGateway(env);
    try {
      const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as { checks: { documents: { ok: boolean; gating: boolean; invalid: { hash: string; problems: string[] }[] } } };
      expect(ready.checks.documents.ok).toBe(false);
      expect(ready.checks.documents.gating).toBe(false);
      expect(ready.checks.documents.invalid.map((d) => d.hash)).toEqual([sha256(STALE)]);
      expect(ready.checks.documents.invalid[0]?.problems.join()).toContain('fieldRemovedLater');

      const ada = { jwt: await gw.token(ADA) };
      const stale = await call(gw, ada, { documentId: sha256(STALE) });
      expect(stale.status).toBe(500);
      expect(errorCodes(stale)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(stale.body.errors?.[0]?.extensions?.reason).toBe('PERSISTED_DOCUMENT_INVALID');
      const listed = expectData(await gw.gql<{ persistedDocuments: { operationName: string; problems: string[] }[] }>('{ persistedDocuments { operationName problems } }', { as: ADA }));
      expect(listed.persistedDocuments.find((d) => d.operationName === 'StaleDocument')?.problems.length).toBeGreaterThan(0);

      const patKey = gw.app.demo?.credentials.apiKeys['pat.partner@partner.example'];
      expect(patKey).toBeDefined();
      const partner = await call<{ devices: { totalCount: number } }>(gw, { apiKey: patKey ?? '' }, { documentId: sha256(PARTNER) });
      expect(partner.body.errors).toBeUndefined();
      expect(partner.body.data?.devices.totalCount).toBeGreaterThan(0);
      // A mutation to export below.
      await gw.gql('mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") { revoked } }', { as: ADA });
    } finally {
      await gw.close();
    }
    expect((await runCli('documents', ['remove', `sha256:${sha256(STALE)}`], env)).stdout).toContain('removed');
  }, CLI_TIMEOUT);
});

describe('npm run audit -- export', () => {
  it('writes CSV and JSON lines, filtered by time', async () => {
    // As a process: the export on stdout, nothing on stderr, exit code 0.
    const csv = runCliProcess('audit', ['export', '--format', 'csv'], env);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stderr).toBe('');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,requestId,principalKind,principalEmail,operationName,documentHash,field,targets,variables,outcome,errorCodes,details');
    expect(csv.stdout).toContain('revokeApiKey');
    expect(csv.stdout).toContain('pat.partner@partner.example');

    const jsonl = await runCli('audit', ['export', '--format', 'jsonl'], env);
    const events = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { field: string; outcome: string; principalEmail: string; details: unknown });
    expect(events.length).toBe(lines.length - 1);
    expect(events.find((e) => e.field === 'revokeApiKey')).toMatchObject({ outcome: 'FAILURE', principalEmail: ADA });
    expect(events.find((e) => e.principalEmail === 'pat.partner@partner.example')).toMatchObject({ field: 'devices', outcome: 'SUCCESS', details: { objects: expect.any(Number) } });

    const future = await runCli('audit', ['export', '--format', 'jsonl', '--from', new Date(Date.now() + 3_600_000).toISOString()], env);
    expect(future.stdout).toBe('');
    expect((await runCli('audit', ['export', '--format', 'csv'], env)).stdout).toBe(csv.stdout);
    const xml = await runCli('audit', ['export', '--format', 'xml'], env);
    expect(xml.status).toBe(2);
    expect(xml.stderr).toContain('--format must be csv or jsonl.');
  }, CLI_TIMEOUT);
});
