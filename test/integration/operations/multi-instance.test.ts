/**
 * Several stateless gateway processes on one Postgres (issue 9): they start at once from an empty
 * database, and what one stores (API keys, idempotency keys, registered documents, rate-limit
 * buckets) the other honours. Registered only
 * with TEST_DATABASE_URL; `instances-config.test.ts` fails on CI without it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../src/auth/jwt.js';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { secretsIn } from '../../helpers/log-leaks.js';
import { freePort, freshSchema, gatewayEnv, JWT_SECRET, postgresUrl, startGatewayProcess, type GatewayProcess } from './instances.js';

// API keys get a small bucket on both instances: 4 at once, then 1 per second. A request whose
// idempotency key is in use waits for the other instance, even on a loaded machine.
const SETTINGS = { RATE_LIMIT_API_KEY_BURST: '4', RATE_LIMIT_API_KEY_PER_SECOND: '1', LOG_LEVEL: 'debug', IDEMPOTENCY_WAIT_SECONDS: '120' };

const gql = async (url: string, query: string, auth: Record<string, string>, extra: Record<string, unknown> = {}) => {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query, ...extra }) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { extensions?: Record<string, unknown> }[] } };
};

describe.runIf(postgresUrl)('two gateway processes on one Postgres', () => {
  let sims: Simulators;
  let schema: { databaseUrl: string; drop(): Promise<void> };
  let a: GatewayProcess;
  let b: GatewayProcess;
  let admin: Record<string, string>;

  beforeAll(async () => {
    sims = await startSimulators({ sizes: { devices: 300, uemUsers: 120 } });
    schema = await freshSchema(postgresUrl!);
    const [portA, portB] = [await freePort(), await freePort()];
    // Both start at once against the empty schema: migrations run under an advisory lock.
    [a, b] = await Promise.all([
      startGatewayProcess(gatewayEnv(sims, schema.databaseUrl, portA, SETTINGS)),
      startGatewayProcess(gatewayEnv(sims, schema.databaseUrl, portB, SETTINGS)),
    ]);
    admin = { authorization: `Bearer ${await signJwt(JWT_SECRET, 'ada.admin@demo.example', 600)}` };
  }, 400_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    // Both logged at debug level (every request and upstream call): no secret reached the logs.
    const secrets = new Map([
      [JWT_SECRET, 'JWT secret'],
      [sims.uem.credentials.password, 'UEM password'],
      [sims.uem.credentials.tenantCode, 'UEM tenant code'],
      [sims.harmony.credentials.password, 'Harmony password'],
    ]);
    expect(secretsIn(`${a?.output() ?? ''}${b?.output() ?? ''}`, secrets)).toEqual([]);
    await sims?.close();
    await schema?.drop();
  });

  it('both started from the empty database and are ready', async () => {
    for (const gw of [a, b]) expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  });

  it('an API key created through one works on the other', async () => {
    const created = await gql(a.url, 'mutation { createApiKey(input: { ownerEmail: "rita.reader@demo.example", kind: HARMONY_USER }) { key } }', admin);
    const key = (created.body.data?.createApiKey as { key: string }).key;
    const viewer = await gql(b.url, '{ viewer { email } }', { authorization: `ApiKey ${key}` });
    expect(viewer.body.data).toEqual({ viewer: { email: 'rita.reader@demo.example' } });
  });

  it('an idempotency key used on one is honoured by the other', async () => {
    const device = [...sims.uem.state.devices.values()].find((d) => d.enrollmentStatus === 'Enrolled')!;
    const mutation = `mutation { sendDeviceCommand(input: { deviceIds: ["${device.id}"], command: SYNC, idempotencyKey: "across-instances" }) { replayed results { status } } }`;
    sims.uem.resetStats();
    const first = await gql(a.url, mutation, admin);
    const second = await gql(b.url, mutation, admin);
    expect(first.body.data).toEqual({ sendDeviceCommand: { replayed: false, results: [{ status: 'ACCEPTED' }] } });
    expect(second.body.data).toEqual({ sendDeviceCommand: { replayed: true, results: [{ status: 'ACCEPTED' }] } });
    expect(sims.uem.stats().byRoute['POST /API/mdm/devices/{id}/commands']).toBe(1);
  });

  it('the same idempotency key sent to both at once: one upstream call per device, the same answer', async () => {
    const devices = [...sims.uem.state.devices.values()].filter((d) => d.enrollmentStatus === 'Enrolled').slice(10, 13);
    const ids = devices.map((d) => `"${d.id}"`).join(', ');
    const mutation = `mutation { sendDeviceCommand(input: { deviceIds: [${ids}], command: LOCK, idempotencyKey: "both-at-once" }) { replayed results { deviceId status errorCode } } }`;
    const before = sims.uem.stats().byRoute['POST /API/mdm/devices/commands/bulk'] ?? 0;
    const answers = await Promise.all([a, b, a, b].map((gw) => gql(gw.url, mutation, admin)));
    expect(sims.uem.stats().byRoute['POST /API/mdm/devices/commands/bulk']).toBe(before + 1);
    for (const d of devices) expect(sims.uem.state.commandHistory(d.id).map((c) => c.command)).toEqual(['Lock']);
    const results = answers.map((r) => JSON.stringify((r.body.data?.sendDeviceCommand as { results: unknown }).results));
    expect(new Set(results).size).toBe(1);
    expect(answers.filter((r) => !(r.body.data?.sendDeviceCommand as { replayed: boolean }).replayed)).toHaveLength(1);
  });

  it('an instance killed in the middle of a wipe: another one takes its claim over once the lease runs out, and sends nothing again', async () => {
    const devices = [...sims.uem.state.devices.values()].filter((d) => d.enrollmentStatus === 'Enrolled').slice(20, 23);
    const mutation = `mutation { sendDeviceCommand(input: { deviceIds: [${devices.map((d) => `"${d.id}"`).join(', ')}], command: DEVICE_WIPE, confirm: "WIPE", idempotencyKey: "killed-instance" }) { replayed interrupted results { deviceId status message } } }`;
    const doomed = await startGatewayProcess(
      gatewayEnv(sims, schema.databaseUrl, await freePort(), { ...SETTINGS, IDEMPOTENCY_LEASE_SECONDS: '2', FAULT_AT: 'beforeResultsRecorded', FAULT_KEY: 'killed-instance' }),
      { entry: 'test/integration/operations/crash-gateway.ts', timeoutMs: 300_000 },
    );
    const exited = new Promise((resolve) => doomed.child.once('exit', resolve));
    expect(await gql(doomed.url, mutation, admin).catch((err: unknown) => err)).toBeInstanceOf(Error);
    await exited;
    for (const d of devices) expect(sims.uem.state.commandHistory(d.id).map((c) => c.command)).toEqual(['DeviceWipe']);
    const calls = sims.uem.stats().byRoute['POST /API/mdm/devices/commands/bulk'] ?? 0;

    // Instance a waits for the dead claim's lease to run out, then reconciles it with UEM.
    const replay = await gql(a.url, mutation, admin);
    const payload = replay.body.data?.sendDeviceCommand as { replayed: boolean; interrupted: boolean; results: { status: string; message: string }[] };
    expect(payload).toMatchObject({ replayed: true, interrupted: true });
    for (const r of payload.results) expect(r).toMatchObject({ status: 'ACCEPTED', message: 'Confirmed with UEM after an interruption: the device is DeviceWipePending.' });
    expect(sims.uem.stats().byRoute['POST /API/mdm/devices/commands/bulk'] ?? 0).toBe(calls);
    for (const d of devices) expect(sims.uem.state.commandHistory(d.id).map((c) => c.command)).toEqual(['DeviceWipe']);
  }, 600_000);

  it('a document registered through one is served by the other', async () => {
    const body = 'query CrossInstanceDoc { viewer { email } }';
    const id = createHash('sha256').update(body).digest('hex');
    const register = `mutation Register($input: RegisterPersistedDocumentsInput!) { registerPersistedDocuments(input: $input) { created } }`;
    const registered = await gql(a.url, register, admin, { variables: { input: { manifest: JSON.stringify({ [id]: body }), clientName: 'cross-instance' } } });
    expect(registered.body.data).toEqual({ registerPersistedDocuments: { created: [id] } });
    const served = await gql(b.url, undefined as unknown as string, admin, { documentId: id });
    expect(served.body).toEqual({ data: { viewer: { email: 'ada.admin@demo.example' } } });
  });

  it('rate limits add up across both instances', async () => {
    const created = await gql(a.url, 'mutation { createApiKey(input: { ownerEmail: "rita.reader@demo.example", kind: HARMONY_USER }) { key } }', admin);
    const key = { authorization: `ApiKey ${(created.body.data?.createApiKey as { key: string }).key}` };
    const started = Date.now();
    const answers = [];
    // Three requests on each instance: within either one's burst of 4, over the shared one.
    for (const gw of [a, b, a, b, a, b]) answers.push(await gql(gw.url, '{ viewer { email } }', key));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const ok = answers.filter((r) => r.status === 200 && r.body.data).length;
    const refused = answers.filter((r) => r.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED').length;
    expect(ok + refused).toBe(6);
    expect(ok).toBeLessThanOrEqual(4 + Math.ceil(elapsedSeconds));
    if (elapsedSeconds < 1) expect(refused).toBeGreaterThanOrEqual(2);
    else expect(refused).toBeGreaterThanOrEqual(1);
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await b.stop()).toBe(0);
  });
});
