/**
 * `viewer`, UEM inventory reads and the sensitive identifiers, for every Harmony persona, derived
 * from the table. Which rows a persona sees (environment scope) is row-scope-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, envsOf, HARMONY_PERSONAS, LENA } from '../../helpers/matrix.table.js';
import { asPersona, devicesIn, expectForbiddenAt, show } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

/** Each inventory root field, alone in its document (a refused non-null root nulls the whole data). */
const READS: [string, string][] = [
  ['devices', `{ devices(first: 3) { totalCount nodes { id friendlyName } } }`],
  ['device', `query D($id: ID!) { device(id: $id) { id friendlyName } }`],
  ['uemUsers', `{ uemUsers(first: 3) { totalCount nodes { id } } }`],
  ['apps', `{ apps(first: 3) { totalCount nodes { id } } }`],
  ['deviceSummary', `{ deviceSummary { totalCount } }`],
];

describe('viewer', () => {
  it.each(HARMONY_PERSONAS)('answers %s who they are', async (persona) => {
    expect(allows(persona, 'viewer')).toBe(true);
    const data = expectData(await asPersona<{ viewer: { kind: string; email: string } }>(gw, persona, `{ viewer { kind email } }`));
    expect(data.viewer).toEqual({ kind: 'HARMONY_USER', email: persona });
  });
});

describe('inventory reads', () => {
  const readers = HARMONY_PERSONAS.filter((p) => allows(p, 'readInventory'));
  const nonReaders = HARMONY_PERSONAS.filter((p) => !allows(p, 'readInventory'));

  it.each(readers)('answers every inventory root field to %s (in an environment of theirs)', async (persona) => {
    const [id] = devicesIn(gw, envsOf(persona, 'readInventory')[0]!, 1);
    for (const [field, query] of READS) {
      const result = await asPersona<Record<string, unknown>>(gw, persona, query, field === 'device' ? { id } : undefined);
      const data = expectData(result, query);
      expect(data[field], show(`${persona} ${field}`, result)).not.toBeNull();
    }
  });

  // Lena holds READ but no environment: she passes the root rule and must then see nothing, which
  // is row scope (row-scope-matrix.test.ts). The others hold no READ at all: refused at the root.
  it.each(nonReaders.filter((p) => p !== LENA))('refuses every inventory root field to %s (FORBIDDEN)', async (persona) => {
    const [id] = devicesIn(gw, 'Production', 1);
    for (const [field, query] of READS) {
      const result = await asPersona(gw, persona, query, field === 'device' ? { id } : undefined);
      expectForbiddenAt(result, [field], `${persona} ${field}`);
      expect(result.body.errors?.[0]?.extensions?.capability).toBe('readInventory');
    }
  });
});

describe('sensitive identifiers', () => {
  const SENSITIVE = ['imei', 'macAddress', 'phoneNumber'] as const;
  const QUERY = `query D($id: ID!) { device(id: $id) { id serialNumber friendlyName imei macAddress phoneNumber } }`;
  type D = { device: Record<string, string | null> | null };

  it.each(HARMONY_PERSONAS.filter((p) => allows(p, 'readInventory')))('%s: values for admins, null + FORBIDDEN on that field only for others', async (persona) => {
    const [id] = devicesIn(gw, envsOf(persona, 'readInventory')[0]!, 1, 5);
    const device = gw.app.simulators.uem!.state.devices.get(Number(id))!;
    const result = await asPersona<D>(gw, persona, QUERY, { id });
    const data = result.body.data?.device;
    expect(data?.id, show(persona, result)).toBe(id);
    expect(data?.serialNumber).toBe(device.serialNumber);
    if (allows(persona, 'readSensitiveIdentifiers')) {
      expect(result.body.errors, show(persona, result)).toBeUndefined();
      // UEM answers an empty string for identifiers a device does not have (no SIM: no phone number).
      for (const f of SENSITIVE) expect(data?.[f] ?? '', f).toBe(device[f]);
      expect(data?.imei, 'imei').toBeTruthy();
    } else {
      for (const f of SENSITIVE) expect(data?.[f], f).toBeNull();
      const errors = (result.body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.capability, e.path?.join('.')]);
      expect(errors.sort()).toEqual(SENSITIVE.map((f) => ['FORBIDDEN', 'readSensitiveIdentifiers', `device.${f}`]).sort());
    }
  });

  it('are refused in lists too, per node, without losing the rest of the node', async () => {
    const persona = HARMONY_PERSONAS.find((p) => allows(p, 'readInventory') && !allows(p, 'readSensitiveIdentifiers'))!;
    const result = await asPersona<{ devices: { nodes: { id: string; imei: string | null }[] } }>(gw, persona, `{ devices(first: 2) { nodes { id imei } } }`);
    const nodes = result.body.data?.devices.nodes ?? [];
    expect(nodes.length, show(persona, result)).toBe(2);
    for (const n of nodes) expect(n).toMatchObject({ id: expect.any(String), imei: null });
    expect((result.body.errors ?? []).map((e) => e.path)).toEqual([['devices', 'nodes', 0, 'imei'], ['devices', 'nodes', 1, 'imei']]);
  });
});
