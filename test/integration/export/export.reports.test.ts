/**
 * The three ready-made reports of the UEM guide: registered at start-up, exported by name through
 * /export, and run by documentId through /graphql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { call } from '../documents/helpers.js';
import { REPORTS, registerReports } from '../../../src/export/reports.js';
import { createLogger } from '../../../src/logger.js';
import { ADA, RITA, exportGet, readCsv } from './export.kit.js';

const report = (name: string) => REPORTS.find((r) => r.name === name)!;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

describe('registration', () => {
  it('registers the three reports at start-up under client gateway-reports, once', async () => {
    const query = '{ persistedDocuments(clientName: "gateway-reports") { hash operationName apiGroup problems } }';
    type Docs = { persistedDocuments: { hash: string; operationName: string; apiGroup: string | null; problems: string[] }[] };
    const docs = expectData(await gw.gql<Docs>(query, { as: ADA }), query).persistedDocuments;
    expect(docs.map((d) => d.hash).sort()).toEqual(REPORTS.map((r) => r.hash).sort());
    expect(docs.every((d) => d.apiGroup === null && d.problems.length === 0)).toBe(true);
    await registerReports(gw.app.services.documents, createLogger('silent'));
    expect(expectData(await gw.gql<Docs>(query, { as: ADA }), query).persistedDocuments).toHaveLength(3);
  });
});

describe('non-compliant devices with their failing policies', () => {
  it('has one row per non-compliant device, each with the policies it fails', async () => {
    const query = '{ devices(first: 1, filter: { complianceStatus: NON_COMPLIANT }) { totalCount } }';
    const total = expectData(await gw.gql<{ devices: { totalCount: number } }>(query, { as: ADA }), query).devices.totalCount;
    const res = await exportGet(gw, { report: 'non-compliant-devices' });
    expect(res.status, res.describe()).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('NonCompliantDevicesReport.csv');
    const csv = readCsv(res.text);
    expect(csv.trailer).toBeUndefined();
    expect(csv.header).toEqual(expect.arrayContaining(['id', 'serialNumber', 'friendlyName', 'user.email', 'organizationGroup.name', 'compliance.status', 'compliance.failingPolicies.name', 'compliance.failingPolicies.actionsTaken']));
    expect(csv.rows).toHaveLength(total);
    expect(total).toBeGreaterThan(100);
    expect(csv.rows.every((r) => r['compliance.status'] === 'NON_COMPLIANT' && r['compliance.failingPolicies.name'] !== '')).toBe(true);
  });

  it('narrows by environment, and follows the caller\'s row scope', async () => {
    const production = readCsv((await exportGet(gw, { report: 'non-compliant-devices', variables: { environment: 'Production' } })).text).rows;
    expect(production.length).toBeGreaterThan(0);
    expect(new Set(production.map((r) => r['environment.name']))).toEqual(new Set(['Production']));
    const rita = await exportGet(gw, { report: 'non-compliant-devices' }, { as: RITA });
    expect(rita.status, rita.describe()).toBe(200);
    expect(readCsv(rita.text).rows.map((r) => r.id)).toEqual(production.map((r) => r.id));
  });
});

describe('app deployment status per app and smart group', () => {
  it('has one row per app and assigned smart group, and one per unassigned app, with the install counts', async () => {
    const query = '{ apps(first: 500) { totalCount nodes { id smartGroups { id } } } }';
    const apps = expectData(await gw.gql<{ apps: { nodes: { id: string; smartGroups: { id: string }[] }[] } }>(query, { as: ADA }), query).apps.nodes;
    const res = await exportGet(gw, { report: 'app-deployment-status' });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.header).toEqual(['id', 'name', 'bundleId', 'version', 'platform', 'status', 'smartGroups.id', 'smartGroups.name', 'smartGroups.deviceCount', 'installSummary.assigned', 'installSummary.installed', 'installSummary.notInstalled']);
    expect(csv.rows).toHaveLength(apps.reduce((n, a) => n + Math.max(1, a.smartGroups.length), 0));
    const pairs = csv.rows.map((r) => `${r.id}/${r['smartGroups.id']}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(csv.rows.every((r) => /^\d+$/.test(r['installSummary.installed']!))).toBe(true);
  });
});

describe('provisioning results from the audit trail', () => {
  it('lists the audited provisioning calls only, newest first (ADMIN)', async () => {
    const audit = gw.app.services.store.audit;
    const base = { principalKind: 'HARMONY_USER' as const, principalEmail: ADA };
    await audit.insertAuditEvent({ ...base, requestId: 'prov-1', field: 'provisionUemUsers', outcome: 'PARTIAL', errorCodes: ['BAD_USER_INPUT'], targets: [{ type: 'UemUser', id: '501', label: 'new.hire1' }, { type: 'UemUser', id: '502', label: 'new.hire2' }], details: { created: 1, failed: 1 } });
    await audit.insertAuditEvent({ ...base, requestId: 'prov-2', field: 'createUemUser', outcome: 'SUCCESS', targets: [{ type: 'UemUser', id: '503', label: 'new.hire3' }] });
    await audit.insertAuditEvent({ ...base, requestId: 'other', field: 'sendDeviceCommand', outcome: 'SUCCESS' });
    const res = await exportGet(gw, { report: 'provisioning-results', format: 'csv' });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.rows.map((r) => r.requestId)).toEqual(['prov-2', 'prov-1']);
    expect(csv.rows[1]).toMatchObject({ field: 'provisionUemUsers', outcome: 'PARTIAL', errorCodes: 'BAD_USER_INPUT', 'targets.label': 'new.hire1|new.hire2' });
    expect(JSON.parse(csv.rows[1]!.details!)).toEqual({ created: 1, failed: 1 });

    const rita = await exportGet(gw, { report: 'provisioning-results' }, { as: RITA });
    expect(rita.status, rita.describe()).toBe(403);
    expect(rita.errors()[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('through /graphql', () => {
  it('runs every report by documentId, with its variables', async () => {
    const ada = { jwt: await gw.token(ADA) };
    const variables: Record<string, Record<string, unknown>> = {
      'non-compliant-devices': { first: 5, platform: 'APPLE' },
      'provisioning-results': { first: 5 },
      'app-deployment-status': { first: 5 },
    };
    for (const r of REPORTS) {
      const result = await call(gw, ada, { documentId: `sha256:${r.hash}`, variables: variables[r.name] });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.errors, r.name).toBeUndefined();
      expect(Object.keys(result.body.data ?? {})).toEqual(r.path);
    }
    const devices = await call<{ devices: { nodes: { platform: string }[] } }>(gw, ada, { documentId: report('non-compliant-devices').hash, variables: variables['non-compliant-devices'] });
    expect(devices.body.data?.devices.nodes.every((n) => n.platform === 'APPLE')).toBe(true);
  });
});
