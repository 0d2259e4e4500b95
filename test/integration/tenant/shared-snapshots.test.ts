/**
 * Snapshots shared by the instances of one Postgres (issue 17): the first instance builds them as
 * leader; a second one started later finds them fresh, refreshes nothing, and answers from them;
 * a refresh by either is seen by the other at its next look at the store. Registered only with
 * TEST_DATABASE_URL (as the other multi-instance tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import type { TestGateway } from '../../helpers/gateway.js';
import { freshSchema, postgresUrl } from '../operations/instances.js';
import { measured, snapshotsReady, startGatewayOn } from './tenant.kit.js';

describe.runIf(postgresUrl)('UEM snapshots shared by two instances on one Postgres', () => {
  let sims: Simulators;
  let schema: { databaseUrl: string; drop(): Promise<void> };
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    sims = await startSimulators({ sizes: { devices: 1_200, uemUsers: 400 } });
    schema = await freshSchema(postgresUrl!);
    const env = { DATABASE_URL: schema.databaseUrl, UEM_SNAPSHOTS: 'on' };
    first = await startGatewayOn(sims, env);
    await snapshotsReady(first);
    second = await startGatewayOn(sims, env);
    await second.app.services.snapshots.settled();
  }, 300_000);

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await sims?.close();
    await schema?.drop();
  });

  it('the second instance finds the snapshots fresh and refreshes nothing', () => {
    const led = first.app.services.snapshots.history.filter((r) => r.refresh !== 'sizes').map((r) => r.refresh);
    expect(led).toEqual(expect.arrayContaining(['devicesFull', 'users', 'tags', 'smartGroups']));
    expect(second.app.services.snapshots.history.filter((r) => r.refresh !== 'sizes')).toEqual([]);
    for (const name of ['devices', 'users', 'tags', 'smartGroups'] as const) {
      expect(second.app.services.snapshots.status(name)).toMatchObject({ usable: true, generation: first.app.services.snapshots.status(name).generation });
    }
  });

  it('answers from the shared snapshots without an upstream request', async () => {
    const { cost, data, context } = await measured<{ deviceSummary: { totalCount: number } }>(second, '{ deviceSummary { totalCount } }');
    expect(cost.actual.uem, context).toBe(0);
    expect(data.deviceSummary.totalCount).toBe(sims.uem.state.devices.size);
    const person = await measured(second, '{ person(email: "omar.operator@demo.example") { uemUser { firstName } } }');
    expect(person.cost.actual.uem, person.context).toBe(0);
  });

  it('sees a refresh the other instance made', async () => {
    const before = second.app.services.snapshots.status('devices').generation!;
    expect(await first.app.services.snapshots.refresh('devicesIncremental')).toMatchObject({ outcome: 'ok' });
    await second.app.services.snapshots.sync();
    expect(second.app.services.snapshots.status('devices').generation).toBe(before + 1);
  });
});
