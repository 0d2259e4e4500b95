import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARMONY_PERSONAS } from '../../../src/simulators/dataset/demo-org.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { startTestSimulator, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator demo personas and determinism over HTTP', () => {
  let a: { sim: UemSimulator; client: UemTestClient };
  let b: { sim: UemSimulator; client: UemTestClient };
  let tiny: { sim: UemSimulator; client: UemTestClient };

  beforeAll(async () => {
    [a, b, tiny] = await Promise.all([
      startTestSimulator({ seed: 1234 }),
      startTestSimulator({ seed: 1234 }),
      startTestSimulator({ sizes: { devices: 10, uemUsers: 12, apps: 8 } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a.sim.close(), b.sim.close(), tiny.sim.close()]);
  });

  it('gives every persona devices in Production, Sandbox and Lab Devices, with the UEM email spelling', async () => {
    for (const { client } of [a, tiny]) {
      for (const persona of HARMONY_PERSONAS) {
        const userName = persona.email.split('@')[0] ?? '';
        const r = await client.get(`/API/mdm/devices/search?user=${userName}`);
        expect(r.status, persona.email).toBe(200);
        const devices = r.json.Devices as Item[];
        expect(new Set(devices.map((d) => d.LocationGroupName))).toEqual(new Set(['Production Devices', 'Sandbox Devices', 'Lab Devices']));
        expect(devices.every((d) => (d.UserEmailAddress as string).toLowerCase() === persona.email)).toBe(true);
        for (const lgid of [571, 572, 573]) {
          expect((await client.get(`/API/mdm/devices/search?user=${userName}&lgid=${lgid}`)).json.Total, `${persona.email} in ${lgid}`).toBeGreaterThan(0);
        }
      }
    }
    const omar = await a.client.get('/API/mdm/devices/search?user=omar.operator&pagesize=1');
    expect(omar.json.Devices[0].UserEmailAddress).toBe('Omar.Operator@Demo.example');
  });

  it('serves the same data from two simulators with the same seed', async () => {
    for (const path of [
      '/API/mdm/devices/search?page=1&orderby=LastSeen',
      '/API/system/users/search?pagesize=50',
      '/API/mam/apps/search',
      '/API/mdm/tags/13/devices',
      '/API/mdm/devices/777/apps',
    ]) {
      const [x, y] = await Promise.all([a.client.get(path), b.client.get(path)]);
      expect(x.status, path).toBe(200);
      expect(x.json, path).toEqual(y.json);
    }
  });
});
