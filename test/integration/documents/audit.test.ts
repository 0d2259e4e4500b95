/**
 * The audit trail over HTTP: a row for every mutation kind (device commands, tags, Harmony
 * changes, API keys, documents), for denials (by the permission rules and per device) and
 * failures, variables redacted, partner reads, fail-closed when the row cannot be written, and
 * `auditEvents` filters and paging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADA, call, flatManifest, partnerKey, register, sha256 } from './helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

type Event = {
  id: string; at: string; requestId: string; principalKind: string; principalEmail: string; operationName: string | null; documentHash: string | null;
  field: string; targets: { type: string; id: string }[]; variables: string | null; outcome: string; errorCodes: string[]; details: string | null;
};
const EVENTS = `query Audit($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor }
    nodes { id at requestId principalKind principalEmail operationName documentHash field targets { type id } variables outcome errorCodes details }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Page = { auditEvents: { edges: { cursor: string }[]; nodes: Event[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

async function events(filter: Record<string, unknown>, first = 50, after?: string) {
  return expectData(await gw.gql<Page>(EVENTS, { as: ADA, variables: { filter, first, after } }), EVENTS).auditEvents;
}

async function deviceIn(environment: string): Promise<string> {
  const Q = `{ devices(first: 1, filter: { environment: "${environment}" }) { nodes { id } } }`;
  const id = expectData(await gw.gql<{ devices: { nodes: { id: string }[] } }>(Q, { as: ADA })).devices.nodes[0]?.id;
  if (!id) throw new Error(`no device in ${environment}`);
  return id;
}

describe('a row for every mutation', () => {
  it('device commands and tags, with targets, outcome and request id', async () => {
    const device = await deviceIn('Production');
    const sent = await gw.gql(`mutation Sync { sendDeviceCommand(input: { deviceIds: ["${device}"], command: SYNC }) { results { status } } }`, { as: ADA });
    expectData(sent);
    const [row] = (await events({ field: 'sendDeviceCommand', target: device })).nodes;
    expect(row).toMatchObject({ principalKind: 'HARMONY_USER', principalEmail: ADA, operationName: 'Sync', requestId: sent.requestId, outcome: 'SUCCESS' });
    expect(row?.documentHash).toMatch(/^[0-9a-f]{64}$/);
    // From the request id of a log line to what that request did.
    expect((await events({ requestId: sent.requestId })).nodes.map((e) => e.id)).toEqual([row?.id]);

    const tagged = await gw.gql(`mutation Tag { addDevicesToTag(tagId: "999999", deviceIds: ["${device}"]) { __typename } }`, { as: ADA });
    expect(tagged.status).toBe(200);
    const tagRows = (await events({ field: 'addDevicesToTag' })).nodes;
    expect(tagRows.length).toBe(1);
    expect(tagRows[0]?.outcome).not.toBe('PENDING');
  });

  it('a per-device denial (omar may not LOCK in Production) and a shield denial (rita may not create roles)', async () => {
    const device = await deviceIn('Production');
    await gw.gql(`mutation Lock { sendDeviceCommand(input: { deviceIds: ["${device}"], command: LOCK }) { results { status errorCode } } }`, { as: 'omar.operator@demo.example' });
    const [lock] = (await events({ principalEmail: 'omar.operator@demo.example', field: 'sendDeviceCommand' })).nodes;
    expect(['DENIED', 'FAILURE']).toContain(lock?.outcome);

    const denied = await gw.gql('mutation Sneak { createRole(input: { name: "Sneaky", permissions: [ADMIN] }) { role { id } } }', { as: 'rita.reader@demo.example' });
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const rows = (await events({ principalEmail: 'rita.reader@demo.example' })).nodes;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ field: 'createRole', operationName: 'Sneak', outcome: 'DENIED', errorCodes: ['FORBIDDEN'], requestId: denied.requestId });
  });

  it('a partner trying a free-text mutation is refused and recorded', async () => {
    const pat = { apiKey: await partnerKey(gw, 'pat.partner@partner.example') };
    const result = await call(gw, pat, { query: 'mutation PartnerWipe { sendDeviceCommand(input: { deviceIds: ["1"], command: DEVICE_WIPE }) { results { status } } }' });
    expect(errorCodes(result)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    const [row] = (await events({ principalEmail: 'pat.partner@partner.example', field: 'sendDeviceCommand' })).nodes;
    expect(row).toMatchObject({ principalKind: 'EXTERNAL_USER', outcome: 'DENIED', errorCodes: ['PERSISTED_QUERY_REQUIRED'] });
  });

  it('Harmony changes: success, a business-rule failure, and variables with personal data redacted', async () => {
    expectData(await gw.gql('mutation { createRole(input: { name: "Audited Role", permissions: [READ] }) { role { id } } }', { as: ADA }));
    await gw.gql('mutation { createRole(input: { name: "Audited Role", permissions: [READ] }) { role { id } } }', { as: ADA });
    const roles = (await events({ field: 'createRole', principalEmail: ADA })).nodes;
    expect(roles.map((r) => r.outcome)).toEqual(['FAILURE', 'SUCCESS']);
    expect(roles[0]?.errorCodes).toEqual(['BAD_USER_INPUT']);

    const invite = `mutation Invite($input: InviteExternalUserInput!) { inviteExternalUser(input: $input) { externalUser { id } } }`;
    await gw.gql(invite, { as: ADA, variables: { input: { email: 'newpartner@partner.example', name: 'New Partner', company: 'Acme', apiGroupIds: ['ag-1'] } } });
    const [row] = (await events({ field: 'inviteExternalUser' })).nodes;
    const variables = JSON.parse(row?.variables ?? 'null') as { input: Record<string, unknown> };
    expect(variables.input).toMatchObject({ email: '[REDACTED]', name: '[REDACTED]', company: 'Acme', apiGroupIds: ['ag-1'] });
    expect(row?.variables).not.toContain('New Partner');
  });

  it('API keys and documents; the key itself is never recorded', async () => {
    const created = await gw.gql<{ createApiKey: { key: string } }>('mutation { createApiKey(input: { ownerEmail: "rita.reader@demo.example", kind: HARMONY_USER, label: "script" }) { key } }', { as: ADA });
    const key = expectData(created).createApiKey.key;
    await gw.gql('mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") { revoked } }', { as: ADA });
    await register(gw, flatManifest('query AuditedDoc { viewer { email } }'), 'audited-client');
    const all = (await events({ principalEmail: ADA }, 200)).nodes;
    expect(all.find((e) => e.field === 'createApiKey')?.outcome).toBe('SUCCESS');
    expect(all.find((e) => e.field === 'revokeApiKey')).toMatchObject({ outcome: 'FAILURE', errorCodes: ['NOT_FOUND'] });
    expect(all.find((e) => e.field === 'registerPersistedDocuments')).toMatchObject({ outcome: 'SUCCESS', targets: [{ type: 'PersistedDocumentClient', id: 'audited-client' }] });
    expect(JSON.stringify(all)).not.toContain(key);
  });
});

describe('partner reads', () => {
  it('records who ran which document and how many objects came back', async () => {
    const DOC = 'query AuditedPartnerRead { devices(first: 3) { nodes { id } } }';
    await register(gw, flatManifest(DOC), 'partner-portal', 'device-inventory');
    const pat = { apiKey: await partnerKey(gw, 'pat.partner@partner.example') };
    const result = await call(gw, pat, { documentId: sha256(DOC) });
    expect(result.body.errors).toBeUndefined();
    const [row] = (await events({ target: sha256(DOC) })).nodes;
    expect(row).toMatchObject({ principalEmail: 'pat.partner@partner.example', field: 'devices', outcome: 'SUCCESS', documentHash: sha256(DOC), operationName: 'AuditedPartnerRead' });
    expect(JSON.parse(row?.details ?? '{}')).toEqual({ objects: 4 });
  });
});

describe('fail closed', () => {
  it('when the audit row cannot be written, nothing is sent upstream and the caller gets a coded error', async () => {
    const harmony = gw.app.simulators.harmony;
    if (!harmony) throw new Error('the Harmony simulator runs in-process in tests');
    const writes = () => Object.entries(harmony.stats().byRoute).filter(([route]) => !route.startsWith('GET')).reduce((n, [, count]) => n + count, 0);
    await gw.app.services.db.schema.alterTable('audit_events').renameTo('audit_events_away').execute();
    try {
      const before = writes();
      const result = await gw.gql('mutation { createRole(input: { name: "Never Sent", permissions: [READ] }) { role { id } } }', { as: ADA });
      expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(result.body.errors?.[0]?.extensions?.reason).toBe('AUDIT_UNAVAILABLE');
      expect(writes()).toBe(before);
    } finally {
      await gw.app.services.db.schema.alterTable('audit_events_away').renameTo('audit_events').execute();
    }
    const ROLES = '{ roles { name } }';
    const names = expectData(await gw.gql<{ roles: { name: string }[] }>(ROLES, { as: ADA })).roles.map((r) => r.name);
    expect(names).not.toContain('Never Sent');
  });
});

describe('auditEvents', () => {
  it('filters by principal, operation, target and time window, pages newest first, and is ADMIN only', async () => {
    const everything = await events({}, 500);
    expect(everything.nodes.length).toBeGreaterThan(5);
    const ids = everything.nodes.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await events({}, 2, after);
      paged.push(...page.nodes.map((e) => e.id));
      expect(page.edges.at(-1)?.cursor ?? null).toBe(page.pageInfo.endCursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    expect(paged).toEqual(everything.nodes.map((e) => e.id));

    expect((await events({ operationName: 'Sneak' })).nodes.map((e) => e.field)).toEqual(['createRole']);
    const newest = everything.nodes[0];
    const window = await events({ from: newest?.at, to: new Date(Date.parse(newest?.at ?? '') + 1).toISOString() });
    expect(window.nodes.map((e) => e.id)).toContain(newest?.id);
    expect((await events({ to: '2000-01-01T00:00:00Z' })).nodes).toEqual([]);
    expect(errorCodes(await gw.gql(EVENTS, { as: 'rita.reader@demo.example' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gw.gql(EVENTS, { as: ADA, variables: { after: 'bogus' } }))).toEqual(['BAD_USER_INPUT']);
  });
});
