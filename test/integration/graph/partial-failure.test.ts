/**
 * One upstream down never hides the other (docs/design.md §7): the healthy upstream's fields come back,
 * the failing fields are null with a coded error naming the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // Short TTLs so that Harmony data must be fetched again; a long stale-if-error bound so that the
  // caller's own permissions still resolve while Harmony is down.
  gw = await startTestGateway({
    PRINCIPAL_CACHE_TTL_SECONDS: '1',
    REFERENCE_CACHE_TTL_SECONDS: '1',
    PRINCIPAL_STALE_IF_ERROR_SECONDS: '600',
    UPSTREAM_MAX_RETRIES: '0',
  });
});
afterAll(async () => {
  await gw?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('partial failure', () => {
  it('UEM down: Harmony fields answer, UEM fields are null with UPSTREAM_UNAVAILABLE (uem)', async () => {
    const uem = gw.app.simulators.uem!;
    uem.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      const result = await gw.gql<{ harmonyUsers: { nodes: { email: string; uemUser: unknown }[] } }>(
        '{ harmonyUsers(first: 3) { nodes { email uemUser { userName } } } }',
        { as: 'ada.admin@demo.example' },
      );
      expect(result.status).toBe(200);
      const nodes = result.body.data!.harmonyUsers.nodes;
      expect(nodes.map((n) => n.email)).toHaveLength(3);
      expect(nodes.every((n) => n.uemUser === null)).toBe(true);
      expect(result.body.errors?.length).toBeGreaterThan(0);
      for (const e of result.body.errors ?? []) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem' });
    } finally {
      uem.clearFaults();
    }
  });

  it('Harmony down: UEM fields answer, Harmony fields are null with UPSTREAM_UNAVAILABLE (harmony)', async () => {
    // The caller is resolved once while Harmony is up; later it is served from the stale copy.
    expect((await gw.gql('{ viewer { email } }', { as: 'ada.admin@demo.example' })).status).toBe(200);
    const harmony = gw.app.simulators.harmony!;
    harmony.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      await sleep(1_100);
      const result = await gw.gql<{ devices: { nodes: { id: string }[] }; person: { email: string; externalUser: unknown } | null }>(
        '{ devices(first: 2) { nodes { id } } person(email: "pat.partner@partner.example") { email externalUser { status } } }',
        { as: 'ada.admin@demo.example' },
      );
      expect(result.status).toBe(200);
      expect(result.body.data?.devices.nodes).toHaveLength(2);
      const codes = (result.body.errors ?? []).map((e) => e.extensions);
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(c).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony' });
    } finally {
      harmony.clearFaults();
    }
  });

  it('Harmony down past the stale bound for an unknown caller: fails closed with UPSTREAM_UNAVAILABLE', async () => {
    const harmony = gw.app.simulators.harmony!;
    harmony.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      gw.app.services.cache.invalidate('harmony:*');
      const result = await gw.gql('{ viewer { email } }', { as: 'rita.reader@demo.example' });
      expect(result.status).toBe(502);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony' });
    } finally {
      harmony.clearFaults();
    }
  });
});
