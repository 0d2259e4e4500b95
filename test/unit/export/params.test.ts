import { describe, expect, it } from 'vitest';
import { negotiateFormat, readExportParams } from '../../../src/export/params.js';
import { ExportRefusal } from '../../../src/export/refusal.js';
import { REPORTS, ReportCatalog } from '../../../src/export/reports.js';

const reports = new ReportCatalog();
const read = (query: string, accept?: string) => readExportParams(new URL(`http://gw/export?${query}`), accept, reports);
const refused = (query: string) => {
  try {
    read(query);
  } catch (err) {
    if (err instanceof ExportRefusal) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('format', () => {
  it('takes format= first, then the first known media type of Accept, else CSV', () => {
    expect(negotiateFormat('jsonl', 'text/csv')).toBe('jsonl');
    expect(negotiateFormat('NDJSON', undefined)).toBe('jsonl');
    expect(negotiateFormat(null, 'application/x-ndjson')).toBe('jsonl');
    expect(negotiateFormat(null, 'application/json;q=0.9, text/csv')).toBe('csv');
    expect(negotiateFormat(null, 'text/csv;q=0, application/jsonl')).toBe('jsonl');
    expect(negotiateFormat(null, '*/*')).toBe('csv');
    expect(negotiateFormat(null, undefined)).toBe('csv');
    expect(() => negotiateFormat('xlsx', undefined)).toThrow(ExportRefusal);
  });
});

describe('parameters', () => {
  it('reads path, explode and variables', () => {
    const p = read(`query=${encodeURIComponent('{ x }')}&path=app.devices&explode=smartGroups&variables=${encodeURIComponent('{"id":"1"}')}`);
    expect(p.path).toEqual(['app', 'devices']);
    expect(p.explode).toEqual(['smartGroups']);
    expect(p.variables).toEqual({ id: '1' });
    expect(p.report).toBeUndefined();
    expect(read('query=x&explode=').explode).toBeNull();
    expect(read('query=x').explode).toBeUndefined();
  });

  it('turns a report name into its documentId', () => {
    const p = read('report=non-compliant-devices');
    expect(p.report?.operationName).toBe('NonCompliantDevicesReport');
    expect(new URLSearchParams(p.search).get('documentId')).toBe(`sha256:${REPORTS[0]!.hash}`);
    expect(read('report=AppDeploymentStatusReport').report?.name).toBe('app-deployment-status');
  });

  it('refuses what it cannot read with BAD_USER_INPUT', () => {
    expect(refused('variables=[1]')).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(refused('variables={nope')).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refused('path=devices..nodes').message).toMatch(/"path" must be response keys/);
    expect(refused('report=weekly').message).toMatch(/No report "weekly"/);
    expect(refused('report=non-compliant-devices&query=x').message).toMatch(/not several/);
  });
});
