/**
 * External users' individual API grants (issue 18, job 8; seed 004: "Under APIs, select an
 * environment, then select the APIs"), over real HTTP against the Harmony simulator: `apis` and
 * `ExternalUser.apis` for the readers of Harmony (lena; rita is refused), set with
 * `inviteExternalUser` and `updateExternalUser` by an administrator (ada; omar is refused) — the
 * list replaces the grants, API groups apart — checked before anything is sent and audited; and a
 * failing API list nulls only `ExternalUser.apis`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { harmonyMutationKit, OPERATOR, READER } from './harmony-mutations.helpers.js';

const LENA = 'lena.logs@demo.example';
const PAT = 'pat.partner@partner.example';
const APIS_ROUTE = 'GET /jitterbit-cloud-restful-service/orgs/{orgId}/apis';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ UPSTREAM_MAX_RETRIES: '0' });
});
afterAll(async () => {
  await gw?.close();
});

const { sim, state, run, ok, refused, audits, writes } = harmonyMutationKit(() => gw);
const idOf = (email: string) => state().externalUsers.find((u) => u.email === email)!.externalUserId;

type Api = { id: string; name: string; environment: { name: string } | null };
const API_FIELDS = 'id name environment { name }';
const UPDATE = `mutation Update($id: ID!, $input: UpdateExternalUserInput!) {
  updateExternalUser(externalUserId: $id, input: $input) { externalUser { email apiGroups { name } apis { ${API_FIELDS} } } }
}`;
const INVITE = `mutation Invite($input: InviteExternalUserInput!) {
  inviteExternalUser(input: $input) { externalUser { id status apiGroups { name } apis { ${API_FIELDS} } } }
}`;
type Updated = { updateExternalUser: { externalUser: { email: string; apiGroups: { name: string }[]; apis: Api[] } } };

describe('a failing API list (failure boundary)', () => {
  it('nulls ExternalUser.apis with an upstream error; the user and its API groups still answer', async () => {
    sim().setFaults({ errorRate: 1, errorStatus: 503, routes: [APIS_ROUTE] });
    try {
      const result = await run<{ externalUser: { email: string; apiGroups: { name: string }[]; apis: Api[] | null } }>(
        `query { externalUser(email: "${PAT}") { email apiGroups { name } apis { id } } }`,
        {},
        LENA,
      );
      expect(result.body.data?.externalUser).toEqual({ email: PAT, apiGroups: [{ name: 'device-inventory' }], apis: null });
      expect(result.body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.upstream])).toEqual([
        [['externalUser', 'apis'], 'UPSTREAM_UNAVAILABLE', 'harmony'],
      ]);
    } finally {
      sim().clearFaults();
    }
  });
});

describe('reading APIs and grants', () => {
  it('lists the published APIs, per environment, for the readers of Harmony', async () => {
    const all = await ok<{ apis: Api[] }>(`{ apis { ${API_FIELDS} } }`, {}, LENA);
    expect(all.apis).toContainEqual({ id: 'api-orders', name: 'Order status', environment: { name: 'Production' } });
    expect(all.apis.map((a) => a.id)).toEqual(state().apis.map((a) => a.apiId));
    const lab = await ok<{ apis: Api[] }>(`{ apis(environmentId: "103") { ${API_FIELDS} } }`, {}, LENA);
    expect(lab.apis).toEqual([{ id: 'api-lab-devices', name: 'Lab devices', environment: { name: 'Development' } }]);
  });

  it('answers each user\'s grants with the API\'s name and environment, as Harmony holds them', async () => {
    const data = await ok<{ externalUsers: { nodes: { email: string; apis: Api[] }[] } }>(
      `{ externalUsers(first: 100) { nodes { email apis { ${API_FIELDS} } } } }`,
      {},
      LENA,
    );
    const byId = new Map(state().apis.map((a) => [a.apiId, a]));
    const envName = new Map(state().environments.map((e) => [e.envId, e.envName]));
    for (const node of data.externalUsers.nodes) {
      const held = state().externalUsers.find((u) => u.email === node.email)!;
      expect(node.apis, node.email).toEqual(
        held.apis.map((g) => ({ id: g.apiId, name: byId.get(g.apiId)!.name, environment: { name: envName.get(g.envId) } })),
      );
    }
    expect(data.externalUsers.nodes.some((n) => n.apis.length > 0)).toBe(true);
  });

  it('filters external users by an API granted on its own', async () => {
    const granted = state().externalUsers.filter((u) => u.apis.some((a) => a.apiId === 'api-device-lookup')).map((u) => u.email);
    const data = await ok<{ externalUsers: { totalCount: number; nodes: { email: string }[] } }>(
      `{ externalUsers(first: 100, filter: { apiId: "api-device-lookup" }) { totalCount nodes { email } } }`,
      {},
      LENA,
    );
    expect(data.externalUsers.nodes.map((n) => n.email).sort()).toEqual([...granted].sort());
  });

  it('refuses rita (no EXECUTE or VIEW_LOGS anywhere) as for every Harmony read', async () => {
    const result = await run(`{ apis { id } externalUser(email: "${PAT}") { apis { id } } }`, {}, READER);
    expect(result.body.data).toEqual({ apis: null, externalUser: null });
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('setting grants', () => {
  it('invites with APIs per environment beside API groups', async () => {
    const data = await ok<{ inviteExternalUser: { externalUser: { id: string; status: string; apiGroups: { name: string }[]; apis: Api[] } } }>(INVITE, {
      input: {
        email: 'apis.partner@partner.example',
        apiGroupIds: ['ag-2'],
        apis: [
          { apiId: 'api-device-lookup', environmentId: '101' },
          { apiId: 'api-lab-devices', environmentId: '103' },
          { apiId: 'api-device-lookup', environmentId: '101' },
        ],
      },
    });
    expect(data.inviteExternalUser.externalUser).toMatchObject({
      status: 'REQUESTED',
      apiGroups: [{ name: 'sandbox-inventory' }],
      apis: [
        { id: 'api-device-lookup', name: 'Device lookup', environment: { name: 'Production' } },
        { id: 'api-lab-devices', name: 'Lab devices', environment: { name: 'Development' } },
      ],
    });
    expect(state().externalUsers.find((u) => u.email === 'apis.partner@partner.example')?.apis).toEqual([
      { envId: '101', apiId: 'api-device-lookup' },
      { envId: '103', apiId: 'api-lab-devices' },
    ]);
  });

  it('replaces the APIs on an edit, leaves the API groups alone, and revokes them all with an empty list', async () => {
    const id = idOf(PAT);
    const set = await ok<Updated>(UPDATE, { id, input: { apis: [{ apiId: 'api-orders', environmentId: '101' }] } });
    expect(set.updateExternalUser.externalUser).toEqual({
      email: PAT,
      apiGroups: [{ name: 'device-inventory' }],
      apis: [{ id: 'api-orders', name: 'Order status', environment: { name: 'Production' } }],
    });
    // Another change leaves the APIs as they are.
    const renamed = await ok<Updated>(UPDATE, { id, input: { name: 'Pat P.' } });
    expect(renamed.updateExternalUser.externalUser.apis.map((a) => a.id)).toEqual(['api-orders']);
    // So does a change of API groups.
    const groups = await ok<Updated>(UPDATE, { id, input: { apiGroupIds: ['ag-1', 'ag-3'] } });
    expect(groups.updateExternalUser.externalUser.apis.map((a) => a.id)).toEqual(['api-orders']);
    const revoked = await ok<Updated>(UPDATE, { id, input: { apis: [], apiGroupIds: ['ag-1'] } });
    expect(revoked.updateExternalUser.externalUser).toMatchObject({ apiGroups: [{ name: 'device-inventory' }], apis: [] });
    expect(state().externalUsers.find((u) => u.email === PAT)?.apis).toEqual([]);

    const [row] = await audits('updateExternalUser');
    expect(row).toMatchObject({ outcome: 'SUCCESS', principalEmail: 'ada.admin@demo.example', targets: [{ type: 'ExternalUser', id }] });
    expect(row?.variables).toMatchObject({ externalUserId: id, input: { apis: [], apiGroupIds: ['ag-1'] } });
  });

  it('refuses unknown environments, unknown APIs and APIs of another environment before anything is sent', async () => {
    const id = idOf(PAT);
    const unknownEnv = await refused(UPDATE, { id, input: { apis: [{ apiId: 'api-orders', environmentId: '999' }] } }, 'NOT_FOUND', 'NOT_FOUND');
    expect(unknownEnv).toMatchObject({ message: 'There is no environment with id 999.', extensions: { field: 'apis' } });
    const unknownApi = await refused(INVITE, { input: { email: 'x@partner.example', apis: [{ apiId: 'api-nope', environmentId: '101' }] } }, 'NOT_FOUND', 'NOT_FOUND');
    expect(unknownApi.message).toBe('There is no API with id api-nope.');
    const elsewhere = await refused(UPDATE, { id, input: { apis: [{ apiId: 'api-lab-devices', environmentId: '101' }] } }, 'NOT_FOUND', 'NOT_FOUND');
    expect(elsewhere.message).toBe('API api-lab-devices is published in Development (103), not in environment 101.');
    const [row] = await audits('updateExternalUser');
    expect(row).toMatchObject({ outcome: 'FAILURE', errorCodes: ['NOT_FOUND'] });
  });

  it('refuses omar (not an administrator) with FORBIDDEN, and writes nothing', async () => {
    const before = writes();
    const result = await run(UPDATE, { id: idOf(PAT), input: { apis: [{ apiId: 'api-orders', environmentId: '101' }] } }, OPERATOR);
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(result.body.data?.updateExternalUser ?? null).toBeNull();
    expect(writes()).toBe(before);
    expect(state().externalUsers.find((u) => u.email === PAT)?.apis).toEqual([]);
  });
});
