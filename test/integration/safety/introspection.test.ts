/**
 * Introspection that tools can use: the standard query of `graphql` (`getIntrospectionQuery()`,
 * 15 levels deep) is answered to every Harmony persona, bounded by rules of its own, and
 * graphql-codegen builds types from the live URL. Documents that only look like introspection,
 * or go past its bounds, are refused with the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARMONY_PERSONAS } from '../../../src/simulators/index.js';
import { INTROSPECTION_LIMITS } from '../../../src/safety/introspection.js';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN } from './safety.kit.js';
import { scratchDir } from '../../helpers/db-template.js';

/** What GraphiQL, graphql-codegen's URL loader and Postman ask for (every option on). */
const STANDARD = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** `type { ofType { ofType … { name } } }` with `n` ofType. */
const ofTypeChain = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypeChain(n - 1)} }`);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 120_000);
afterAll(() => gw?.close());

describe('good-faith introspection', () => {
  it('answers the standard introspection query to every Harmony persona, with a usable schema', async () => {
    for (const persona of HARMONY_PERSONAS) {
      const result = await gw.gql<IntrospectionQuery>(STANDARD, { as: persona.email });
      expect(result.status, `${persona.email}: ${JSON.stringify(result.body.errors)}`).toBe(200);
      expect(result.body.errors).toBeUndefined();
      const schema = buildClientSchema(result.body.data!);
      expect(schema.getQueryType()?.getFields().devices, persona.email).toBeDefined();
      expect(schema.getType('Device')).toBeDefined();
    }
  });

  it('measures it by its own bounds, not the depth limit and the cost', async () => {
    // 15 levels deep with the standard chain of nine ofType; the depth limit is 12.
    expect(STANDARD).toContain(`ofType {\n${' '.repeat(8)}name`);
    const result = await gw.gql(`{ __type(name: "DeviceConnection") { fields { type { ${ofTypeChain(INTROSPECTION_LIMITS.ofType)} } } } }`, {
      as: ADMIN,
      headers: { 'x-gateway-cost': '1' },
    });
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  it('refuses more than one __schema, too many __type, long ofType chains, with the figures', async () => {
    const cases: [string, string, number][] = [
      ['{ a: __schema { queryType { name } } b: __schema { queryType { name } } }', 'introspectionSchema', 2],
      [`{ ${Array.from({ length: 11 }, (_, i) => `t${i}: __type(name: "Device") { name }`).join(' ')} }`, 'introspectionTypes', 11],
      [`{ __type(name: "Device") { fields { type { ${ofTypeChain(13)} } } } }`, 'introspectionOfType', 13],
      // Fragments count where they are spread.
      [`query { ...S ...S } fragment S on Query { __schema { queryType { name } } }`, 'introspectionSchema', 2],
    ];
    for (const [query, limit, measured] of cases) {
      const result = await gw.gql(query, { as: ADMIN });
      expect(result.status, query).toBe(400);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, measured });
    }
  });

  it('bounds the depth of what is not an ofType chain, and graphql refuses fields/type cycles', async () => {
    const deep = '{ __schema { types { fields { args { type { ofType { fields { args { type { ofType { enumValues { name } } } } } } } } } } } }';
    const result = await gw.gql(deep, { as: ADMIN });
    expect(result.status).toBe(400);
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'introspectionDepth', max: INTROSPECTION_LIMITS.depth, measured: 12 });
    const cycle = await gw.gql('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }', { as: ADMIN });
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors?.[0]?.message).toMatch(/Maximum introspection depth exceeded/);
  });

  it('keeps every usual limit for a document that also selects data', async () => {
    const mixed = `{ viewer { email } __type(name: "Device") { fields { type { ${ofTypeChain(9)} } } } }`;
    const result = await gw.gql(mixed, { as: ADMIN });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12 });
  });

  it('never answers it to a partner', async () => {
    const key = gw.app.demo!.credentials.apiKeys['pat.partner@partner.example']!;
    gw.logs.used.add(key);
    const result = await gw.gql(STANDARD, { headers: { 'x-api-key': key } });
    expect(result.status).toBe(400);
    expect(result.body.data ?? null).toBeNull();
    expect(errorCodes(result)).toEqual(['PERSISTED_QUERY_REQUIRED']);
  });
});

describe('graphql-codegen against the live URL', () => {
  it('generates TypeScript types from the running gateway', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(scratchDir(), 'codegen-url-'));
    try {
      const token = await gw.token('rita.reader@demo.example');
      writeFileSync(
        join(dir, 'codegen.json'),
        JSON.stringify({
          schema: [{ [`${gw.url}/graphql`]: { headers: { Authorization: `Bearer ${token}` } } }],
          generates: { [join(dir, 'types.ts')]: { plugins: ['typescript'] }, [join(dir, 'schema.graphql')]: { plugins: ['schema-ast'] } },
        }),
      );
      const bin = join(process.cwd(), 'node_modules', '.bin', 'graphql-codegen');
      const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(bin, ['--config', join(dir, 'codegen.json')], { cwd: process.cwd(), env: { PATH: process.env.PATH, HOME: process.env.HOME } });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
      expect(run.code, run.output).toBe(0);
      const types = readFileSync(join(dir, 'types.ts'), 'utf8');
      expect(types).toContain('export type Device = {');
      expect(types).toContain('export type QueryDevicesArgs = {');
      const sdl = readFileSync(join(dir, 'schema.graphql'), 'utf8');
      expect(sdl).toMatch(/type Query \{[\s\S]*devices\(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
