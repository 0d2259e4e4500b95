import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { documentProblems } from '../../../src/documents/registry.js';
import { planExport } from '../../../src/export/plan.js';
import { REPORTS, ReportCatalog, registerReports, type ReportRegistry } from '../../../src/export/reports.js';
import { createLogger } from '../../../src/logger.js';

const schema = buildSchema();

describe('the ready-made reports', () => {
  it('validate against the schema and export as registered, at their default path', () => {
    for (const report of REPORTS) {
      expect(documentProblems(schema, report.body), report.name).toEqual([]);
      const outcome = planExport({ schema, text: report.body, operationName: undefined, path: report.path, explode: report.explode, variables: {}, mayRewrite: false, maxTokens: 5000 });
      expect(outcome.kind, report.name).toBe('plan');
      if (outcome.kind === 'plan') expect(outcome.plan.operationName).toBe(report.operationName);
    }
  });

  it('are listed in the README with their stable names and current documentIds', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const report of REPORTS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${report.name}\``));
      expect(row, report.name).toBeDefined();
      expect(row).toContain(report.operationName);
      expect(row).toContain(report.hash);
    }
  });

  it('are found by name or operation name, and by hash', () => {
    const catalog = new ReportCatalog();
    expect(catalog.byName('Non-Compliant-Devices')?.name).toBe('non-compliant-devices');
    expect(catalog.byName('provisioningresultsreport')?.name).toBe('provisioning-results');
    expect(catalog.byHash(REPORTS[2]!.hash)?.name).toBe('app-deployment-status');
    expect(catalog.byName('weekly')).toBeUndefined();
  });

  it('are registered once, and a report already registered (e.g. under an API group) is left alone', async () => {
    const stored = new Map<string, unknown>([[REPORTS[0]!.hash, { apiGroup: 'device-inventory' }]]);
    const manifests: Record<string, string>[] = [];
    const registry: ReportRegistry = {
      trusted: async (hash) => stored.get(hash),
      register: async (manifest, options) => {
        expect(options).toMatchObject({ clientName: 'gateway-reports', apiGroup: null });
        manifests.push(manifest as Record<string, string>);
        for (const hash of Object.keys(manifest as object)) stored.set(hash, { apiGroup: null });
        return { created: Object.keys(manifest as object) };
      },
    };
    const logger = createLogger('silent');
    await registerReports(registry, logger);
    await registerReports(registry, logger);
    expect(manifests).toHaveLength(1);
    expect(Object.keys(manifests[0]!).sort()).toEqual([REPORTS[1]!.hash, REPORTS[2]!.hash].sort());
    expect(stored.get(REPORTS[0]!.hash)).toEqual({ apiGroup: 'device-inventory' });
  });
});
