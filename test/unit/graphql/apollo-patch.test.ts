/**
 * The one change the install makes to a dependency (scripts/patch-dependencies.mjs): Apollo
 * Server's gateway request context gets its `response.http.status` accessors from a class instead
 * of an object literal per request. Checked here: the installed files are patched, the patched
 * function behaves as Apollo's did, and the patch is idempotent and leaves unknown text alone.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKER, patchDependencies, patchText, TARGETS } from '../../../scripts/patch-dependencies.mjs';

const nodeModules = join(import.meta.dirname, '..', '..', '..', 'node_modules');
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

type MakeContext = (rc: unknown, server: unknown, internals: unknown) => { response: { http: { status?: number; headers: { get(name: string): string | null; set(name: string, value: string): void } } } };

describe('the Apollo Server patch', () => {
  it('is in every installed copy (npm install runs it)', () => {
    expect(patchDependencies(nodeModules, { check: true }).map((r) => r.outcome)).toEqual(TARGETS.map(() => 'already'));
  });

  it('keeps what a gateway executor sees of the response: status read and written through, headers shared', async () => {
    const file = join(nodeModules, '@apollo', 'server', 'dist', 'esm', 'utils', 'makeGatewayGraphQLRequestContext.js');
    const esm = (await import(pathToFileURL(file).href)) as { makeGatewayGraphQLRequestContext: MakeContext };
    const cjs = createRequire(import.meta.url)(file.replace(`${join('dist', 'esm')}`, join('dist', 'cjs'))) as { makeGatewayGraphQLRequestContext: MakeContext };
    for (const make of [esm.makeGatewayGraphQLRequestContext, cjs.makeGatewayGraphQLRequestContext]) {
      const headers = new Map<string, string>([['x-a', '1']]);
      const rc = { request: {}, response: { http: { status: undefined as number | undefined, headers } }, contextValue: {} };
      const made = make(rc, { logger: console, cache: undefined }, { includeStacktraceInErrorResponses: false });
      expect(made.response.http.status).toBeUndefined();
      rc.response.http.status = 418;
      expect(made.response.http.status).toBe(418);
      made.response.http.status = 207;
      expect(rc.response.http.status).toBe(207);
      expect(made.response.http.headers.get('x-a')).toBe('1');
      made.response.http.headers.set('x-b', '2');
      expect(headers.get('x-b')).toBe('2');
    }
  });

  it('patches the text it knows once, and leaves other text alone', () => {
    const installed = readFileSync(join(nodeModules, TARGETS[0]!), 'utf8');
    expect(installed).toContain(MARKER);
    expect(patchText(installed)).toEqual({ outcome: 'already', text: installed });
    const other = 'export function makeGatewayGraphQLRequestContext() { return {}; }\n';
    expect(patchText(other)).toEqual({ outcome: 'unknown', text: other });
  });

  it('patches an unpatched copy in place, and a second run changes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'apollo-patch-'));
    temp.push(root);
    const original = [
      'export function makeGatewayGraphQLRequestContext(newRequestContext) {',
      '    const response = {',
      '        http: {',
      '            headers: new FetcherHeadersForHeaderMap(newRequestContext.response.http.headers),',
      '            get status() {',
      '                return newRequestContext.response.http.status;',
      '            },',
      '            set status(newStatus) {',
      '                newRequestContext.response.http.status = newStatus;',
      '            },',
      '        },',
      '    };',
      '    return { response };',
      '}',
      'class FetcherHeadersForHeaderMap { constructor(map) { this.map = map; } }',
      '//# sourceMappingURL=x.js.map',
      '',
    ].join('\n');
    for (const target of TARGETS) {
      mkdirSync(dirname(join(root, target)), { recursive: true });
      writeFileSync(join(root, target), original);
    }
    expect(patchDependencies(root, { check: true }).map((r) => r.outcome)).toEqual(['unpatched', 'unpatched']);
    expect(readFileSync(join(root, TARGETS[0]!), 'utf8')).toBe(original);
    expect(patchDependencies(root).map((r) => r.outcome)).toEqual(['patched', 'patched']);
    const patched = readFileSync(join(root, TARGETS[0]!), 'utf8');
    expect(patched).not.toContain('get status() {\n                return newRequestContext');
    expect(patched).toContain('class GatewayResponseHttp');
    expect(patched.trimEnd().endsWith('//# sourceMappingURL=x.js.map')).toBe(true);
    expect(patchDependencies(root).map((r) => r.outcome)).toEqual(['already', 'already']);
    expect(readFileSync(join(root, TARGETS[0]!), 'utf8')).toBe(patched);
    rmSync(join(root, TARGETS[1]!));
    expect(patchDependencies(root).map((r) => r.outcome)).toEqual(['already', 'missing']);
  });
});
