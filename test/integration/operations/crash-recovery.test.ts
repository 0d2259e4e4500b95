/**
 * No lost and no doubled writes across a crash (issue 16). Gateway processes of the test build
 * (crash-gateway.ts) kill themselves with SIGKILL in the middle of a device command: right after
 * claiming the idempotency key, or after UEM answered a batch but before its results were recorded.
 * A gateway started afterwards on the same embedded database takes the dead process's lock over,
 * marks its claims interrupted, and a replay of each key sends nothing destructive: it reconciles
 * every device with UEM and answers what really happened. Writes the dead process had acknowledged
 * are all there.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../../src/app.js';
import { signJwt } from '../../../src/auth/jwt.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { seededDataDir } from '../../helpers/db-template.js';
import { flatManifest, sha256 } from '../documents/helpers.js';
import { freePort, gatewayEnv, JWT_SECRET, startGatewayProcess } from './instances.js';

const ADA = 'ada.admin@demo.example';
const LONG = 900_000;
const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { replayed interrupted results { deviceId status errorCode message } }
}`;
type Result = { deviceId: string; status: string; errorCode: string | null; message: string | null };
type Payload = { replayed: boolean; interrupted: boolean; results: Result[] };
const DOC = 'query AcknowledgedBeforeCrash { viewer { email } }';

let sims: Simulators;
let dataDir: string;
let env: Record<string, string>;
let jwt: string;
let app: RunningApp | undefined;

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, auth = `Bearer ${jwt}`) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}
const send = async (url: string, input: Record<string, unknown>) => {
  const body = await gql(url, SEND, { input });
  if (!body.data?.sendDeviceCommand) throw new Error(`no data: ${JSON.stringify(body)}`);
  return body.data.sendDeviceCommand as Payload;
};

let next = 0;
function enrolled(count: number): string[] {
  const ids = sims.uem.state.deviceList
    .filter((d) => d.enrollmentStatus === 'Enrolled')
    .slice(next, next + count)
    .map((d) => String(d.id));
  next += count;
  return ids;
}
const commandCalls = () => {
  const s = sims.uem.stats().byRoute;
  return (s['POST /API/mdm/devices/commands/bulk'] ?? 0) + (s['POST /API/mdm/devices/{id}/commands'] ?? 0);
};
const history = (id: string) => sims.uem.state.commandHistory(Number(id)).map((c) => c.command);
const statusOf = (id: string) => sims.uem.state.devices.get(Number(id))?.enrollmentStatus;

/** Starts a test-build gateway that dies at `fault`, runs `before` on it, then sends `input`: the process dies while answering. */
async function crash(fault: 'afterClaim' | 'beforeResultsRecorded', input: Record<string, unknown>, before?: (url: string) => Promise<void>) {
  const gateway = await startGatewayProcess({ ...env, PORT: String(await freePort()), FAULT_AT: fault, FAULT_KEY: String(input.idempotencyKey) }, { entry: 'test/integration/operations/crash-gateway.ts', timeoutMs: 300_000 });
  await before?.(gateway.url);
  const exited = new Promise<void>((resolve) => gateway.child.once('exit', () => resolve()));
  const answer = await gql(gateway.url, SEND, { input }).catch((err: unknown) => err);
  expect(answer).toBeInstanceOf(Error); // the connection died with the process: no answer
  await exited;
}

const acknowledged: { apiKey?: string; k0?: Payload } = {};
const input = {
  wipeClaimed: { deviceIds: [] as string[], command: 'ENTERPRISE_WIPE', confirm: 'WIPE', idempotencyKey: 'wipe-crash-after-claim' },
  wipeSent: { deviceIds: [] as string[], command: 'ENTERPRISE_WIPE', confirm: 'WIPE', idempotencyKey: 'wipe-crash-after-send' },
  lockSent: { deviceIds: [] as string[], command: 'LOCK', idempotencyKey: 'lock-crash-after-send' },
  syncClaimed: { deviceIds: [] as string[], command: 'SYNC', idempotencyKey: 'sync-crash-after-claim' },
  k0: { deviceIds: [] as string[], command: 'QUERY', idempotencyKey: 'completed-before-crash' },
};
const callsAfterCrashes = { n: 0 };

beforeAll(async () => {
  sims = await startSimulators({ sizes: { devices: 300, uemUsers: 120 } });
  dataDir = seededDataDir('crash-');
  env = gatewayEnv(sims, '', 0, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  jwt = await signJwt(JWT_SECRET, ADA, 3600);
  input.wipeClaimed.deviceIds = enrolled(3);
  input.wipeSent.deviceIds = enrolled(60); // two batches: the EnterpriseWipe bulk limit is 50
  input.lockSent.deviceIds = enrolled(3);
  input.syncClaimed.deviceIds = enrolled(2);
  input.k0.deviceIds = enrolled(2);

  await crash('afterClaim', input.wipeClaimed, async (url) => {
    // Acknowledged to the caller before the crash: they must survive it.
    const key = await gql(url, 'mutation { createApiKey(input: { ownerEmail: "rita.reader@demo.example", kind: HARMONY_USER }) { key } }');
    acknowledged.apiKey = (key.data?.createApiKey as { key: string }).key;
    const registered = await gql(url, 'mutation R($m: String!) { registerPersistedDocuments(input: { manifest: $m, clientName: "crash" }) { created } }', { m: JSON.stringify(flatManifest(DOC)) });
    expect(registered.data).toEqual({ registerPersistedDocuments: { created: [sha256(DOC)] } });
    acknowledged.k0 = await send(url, input.k0);
  });
  await crash('beforeResultsRecorded', input.wipeSent);
  await crash('beforeResultsRecorded', input.lockSent);
  await crash('afterClaim', input.syncClaimed);
  callsAfterCrashes.n = commandCalls();
  app = await startApp(loadConfig({ ...env, PORT: '0' }), { logger: createLogger('silent') });
}, LONG);

afterAll(async () => {
  await app?.close();
  await sims?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('after a gateway was killed (kill -9) in the middle of device commands', () => {
  it('every write acknowledged before the crash is in the database', async () => {
    expect(acknowledged.k0?.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
    const viewer = await gql(app!.url, '{ viewer { email } }', {}, `ApiKey ${acknowledged.apiKey}`);
    expect(viewer.data).toEqual({ viewer: { email: 'rita.reader@demo.example' } });
    const doc = await fetch(`${app!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body: JSON.stringify({ documentId: sha256(DOC) }) });
    expect(await doc.json()).toEqual({ data: { viewer: { email: ADA } } });
    expect(await send(app!.url, input.k0)).toEqual({ ...acknowledged.k0, replayed: true });
  });

  it('interrupted requests left no PENDING audit row: the new gateway completed them from the record', async () => {
    const pending = await app!.services.db.selectFrom('audit_events').select('id').where('outcome', '=', 'PENDING').execute();
    expect(pending).toEqual([]);
    const first = await app!.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<boolean>`variables->>'idempotencyKey' = ${input.wipeClaimed.idempotencyKey}`)
      .execute();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ outcome: 'FAILURE', error_codes: ['NOT_SENT'], details: { interrupted: true, targets: { done: 0, mayHaveBeenReached: 0, notSent: 3 } } });
  });

  it('crash after the claim: the wipe was never sent, and the replay sends nothing', async () => {
    const replay = await send(app!.url, input.wipeClaimed);
    expect(replay).toMatchObject({ replayed: true, interrupted: true });
    for (const r of replay.results) expect(r).toMatchObject({ status: 'SKIPPED', errorCode: 'NOT_SENT' });
    for (const id of input.wipeClaimed.deviceIds) {
      expect(statusOf(id)).toBe('Enrolled');
      expect(history(id)).toEqual([]);
    }
    expect(commandCalls()).toBe(callsAfterCrashes.n);
  });

  it('crash after UEM answered a batch: the replay reconciles every device with UEM and wipes nothing twice', async () => {
    const replay = await send(app!.url, input.wipeSent);
    expect(replay).toMatchObject({ replayed: true, interrupted: true });
    expect(replay.results.map((r) => r.deviceId)).toEqual(input.wipeSent.deviceIds);
    for (const r of replay.results) {
      const wiped = statusOf(r.deviceId) === 'EnterpriseWipePending';
      expect(r.status).toBe(wiped ? 'ACCEPTED' : 'SKIPPED');
      if (wiped) expect(r.message).toBe('Confirmed with UEM after an interruption: the device is EnterpriseWipePending.');
      else expect(r.errorCode).toBe('NOT_SENT');
      expect(history(r.deviceId).filter((c) => c === 'EnterpriseWipe').length).toBe(wiped ? 1 : 0);
    }
    // The batch that answered before the crash reached UEM.
    expect(replay.results.filter((r) => r.status === 'ACCEPTED').length).toBeGreaterThanOrEqual(50);
    expect(commandCalls()).toBe(callsAfterCrashes.n);

    // Settled: later replays answer the same without asking UEM again.
    const reads = sims.uem.stats().total;
    expect(await send(app!.url, input.wipeSent)).toEqual(replay);
    expect(sims.uem.stats().total).toBe(reads);
    const rows = await app!.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<boolean>`variables->>'idempotencyKey' = ${input.wipeSent.idempotencyKey}`)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.outcome).slice(0, 1)).toEqual(['PARTIAL']);
    const reconciliation = (rows[1]?.details as { reconciliation?: { deviceId: string; evidence: string }[] }).reconciliation ?? [];
    expect(reconciliation.length).toBeGreaterThan(0);
    expect(reconciliation.every((r) => r.evidence === 'enrollment status in UEM')).toBe(true);
  });

  it("crash after UEM answered a lock: the replay confirms it from the device's event log", async () => {
    const replay = await send(app!.url, input.lockSent);
    expect(replay.interrupted).toBe(true);
    for (const r of replay.results) {
      expect(r).toMatchObject({ status: 'ACCEPTED', errorCode: null });
      expect(r.message).toContain('its event log shows "Lock Device Requested"');
      expect(history(r.deviceId)).toEqual(['Lock']);
    }
    expect(commandCalls()).toBe(callsAfterCrashes.n);
  });

  it('a non-destructive command interrupted before it was sent is sent on the replay, once', async () => {
    const replay = await send(app!.url, input.syncClaimed);
    expect(replay.interrupted).toBe(true);
    for (const r of replay.results) {
      expect(r).toMatchObject({ status: 'ACCEPTED', message: 'Sent again after an interruption (this command is harmless to repeat).' });
      expect(history(r.deviceId)).toEqual(['SyncDevice']);
    }
    expect(commandCalls()).toBe(callsAfterCrashes.n + 1);
    expect(await send(app!.url, input.syncClaimed)).toEqual(replay);
    expect(commandCalls()).toBe(callsAfterCrashes.n + 1);
  });
});
