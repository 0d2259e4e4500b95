import { statSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../../helpers/gateway.js';
import { HARMONY_PERSONAS } from '../../../src/simulators/index.js';
import { asPersona } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const DEVICES = `query Devices($first: Int, $after: String, $platform: DevicePlatform) {
  devices(first: $first, after: $after, filter: { platform: $platform }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id platform friendlyName user { userName email firstName } } }
  }
}`;

describe('demo mode over real HTTP', () => {
  it('serves devices to a persona with a JWT, joined to their enrollment users', async () => {
    const data = expectData(await gw.gql<{ devices: { totalCount: number; edges: { node: { id: string; platform: string; user: { userName: string; firstName: string } } }[] } }>(DEVICES, {
      as: 'rita.reader@demo.example',
      variables: { first: 5, platform: 'ANDROID' },
    }), DEVICES);
    // Rita reads Production only (row scope): the Android devices of Production Devices (571).
    const raw = [...gw.app.simulators.uem!.state.devices.values()].filter((d) => d.platform === 'Android' && d.locationGroupId === 571);
    expect(data.devices.totalCount).toBe(raw.length);
    expect(data.devices.edges).toHaveLength(5);
    for (const { node } of data.devices.edges) {
      const device = gw.app.simulators.uem!.state.devices.get(Number(node.id))!;
      expect(node.platform).toBe('ANDROID');
      const user = gw.app.simulators.uem!.state.users.get(device.userId)!;
      expect(node.user.userName).toBe(user.userName);
      expect(node.user.firstName).toBe(user.firstName);
    }
  });

  it('pages with opaque cursors to the next page without overlap', async () => {
    const first = expectData(await gw.gql<{ devices: { pageInfo: { endCursor: string }; edges: { node: { id: string } }[] } }>(DEVICES, {
      as: 'ada.admin@demo.example',
      variables: { first: 3 },
    }));
    const second = expectData(await gw.gql<{ devices: { edges: { node: { id: string } }[] } }>(DEVICES, {
      as: 'ada.admin@demo.example',
      variables: { first: 3, after: first.devices.pageInfo.endCursor },
    }));
    const ids = [...first.devices.edges, ...second.devices.edges].map((e) => Number(e.node.id));
    const expected = [...gw.app.simulators.uem!.state.devices.keys()].sort((a, b) => a - b).slice(0, 6);
    expect(ids).toEqual(expected);
  });

  it('answers viewer from Harmony data for each persona', async () => {
    const q = '{ viewer { kind email permissions environmentAccess { environment { name } levels } } }';
    const omar = expectData(await gw.gql<{ viewer: { permissions: string[]; environmentAccess: { environment: { name: string }; levels: string[] }[] } }>(q, { as: 'Omar.Operator@demo.example' }));
    expect(omar.viewer).toMatchObject({ kind: 'HARMONY_USER', email: 'omar.operator@demo.example', permissions: ['READ'] });
    expect(omar.viewer.environmentAccess).toEqual([
      { environment: { name: 'Production' }, levels: ['EXECUTE'] },
      { environment: { name: 'Sandbox' }, levels: ['WRITE'] },
    ]);
    const ian = expectData(await asPersona<{ viewer: { permissions: string[] } }>(gw, 'ian.inactive@demo.example', q));
    expect(ian.viewer.permissions).toEqual([]);
  });

  it('refuses inventory to a persona without READ, naming the capability', async () => {
    const result = await asPersona(gw, 'agnes.agent@demo.example', DEVICES, { first: 1 });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', capability: 'readInventory' });
  });

  it('writes the demo credentials file with mode 0600 and working tokens and keys', async () => {
    const path = gw.app.demo!.path;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { jwtSecret: string; tokens: Record<string, string>; apiKeys: Record<string, string> };
    expect(file.jwtSecret).toBe(TEST_JWT_SECRET);
    expect(Object.keys(file.tokens).sort()).toEqual(HARMONY_PERSONAS.map((p) => p.email).sort());
    expect(Object.keys(file.apiKeys)).toEqual(['pat.partner@partner.example']);
    // The demo tokens live as long as the gateway accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS, 24 h), not longer.
    for (const token of Object.values(file.tokens)) {
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number; exp: number };
      expect(claims.exp - claims.iat).toBe(gw.app.config.auth.maxTokenLifetimeSeconds);
    }
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${file.tokens['ada.admin@demo.example']}` },
      body: JSON.stringify({ query: '{ viewer { email permissions } }' }),
    });
    expect(((await res.json()) as { data: { viewer: { permissions: string[] } } }).data.viewer.permissions).toContain('ADMIN');
    const partner = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': file.apiKeys['pat.partner@partner.example']! },
      body: JSON.stringify({ query: '{ viewer { kind email } }' }),
    });
    // The key authenticates (no 401); partners run registered documents only (test/integration/documents/).
    expect(partner.status).toBe(400);
    expect(((await partner.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
  });
});
