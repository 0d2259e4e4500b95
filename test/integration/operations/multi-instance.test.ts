/**
 * Several stateless gateway processes on one Postgres (issue 9): they start at once from an empty
 * database, and what one stores (API keys, idempotency keys) the other honours. Registered only
 * with TEST_DATABASE_URL; `instances-config.test.ts` fails on CI without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../src/auth/jwt.js';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { freePort, freshSchema, gatewayEnv, JWT_SECRET, postgresUrl, startGatewayProcess, type GatewayProcess } from './instances.js';

const gql = async (url: string, query: string, auth: Record<string, string>) => {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query }) });
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
      startGatewayProcess(gatewayEnv(sims, schema.databaseUrl, portA)),
      startGatewayProcess(gatewayEnv(sims, schema.databaseUrl, portB)),
    ]);
    admin = { authorization: `Bearer ${await signJwt(JWT_SECRET, 'ada.admin@demo.example', 600)}` };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
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

  it('stops gracefully on SIGTERM', async () => {
    expect(await b.stop()).toBe(0);
  });
});
