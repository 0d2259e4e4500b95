/**
 * Shield overhead on a big list (issue 6): a 1,000-node device list executed in-process with
 * graphql's `execute`, through the full schema with the permission layer as served (a rule on every
 * field) against the same schema with rules only on the root fields, and without any (for
 * reference). The devices are fetched once from the UEM simulator through the real resolver and
 * then served from memory, and the caller's principal is resolved once, so what is timed is
 * execution: resolvers of 1,000 devices × the selected fields, plus the middleware around them.
 *
 *   npx tsx bench/shield-overhead.ts [iterations]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { allow, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import { startApp } from '../src/app.js';
import { resolveHarmonyPrincipal } from '../src/auth/resolve-principal.js';
import { holds, type CapabilityName } from '../src/auth/capabilities.js';
import { permissions, ruleTree } from '../src/auth/permissions.js';
import { forbidden } from '../src/errors.js';
import { loadConfig } from '../src/config.js';
import { createRequestScope, requestContext, type GraphQLContext } from '../src/context.js';
import type { UemDevice } from '../src/datasources/uem/uem.schemas.js';
import type { Connection } from '../src/graphql/connection.js';
import { loadTypeDefs } from '../src/graphql/type-defs.js';
import { createLogger } from '../src/logger.js';
import { deviceConnection } from '../src/resolvers/devices/device-search.service.js';
import { resolvers } from '../src/resolvers/index.js';

type Resolve = (parent: unknown, args: unknown, ctx: GraphQLContext, info: unknown) => unknown;
const ITERATIONS = Number(process.argv[2] ?? 200);
const NODES = 1_000;
const QUERY = parse(`{
  devices(first: ${NODES}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id uuid serialNumber friendlyName platform model osVersion ownership enrollmentStatus complianceStatus lastSeen
      organizationGroup { id name }
      environment { id name }
    }
  }
}`);

const dataDir = mkdtempSync(join(tmpdir(), 'shield-bench-'));
const app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { logger: createLogger('silent') });
try {
  const services = app.services;
  const context = async (): Promise<GraphQLContext> => {
    const scope = createRequestScope(services, 'bench');
    const principal = await resolveHarmonyPrincipal(scope.loaders.harmony, 'ada.admin@demo.example');
    if (!principal) throw new Error('ada is not a Harmony user');
    return requestContext(scope, principal, services);
  };

  // 1,000 devices, fetched once through the real resolver (two pages of 500).
  const ctx = await context();
  const first = await deviceConnection(ctx, { first: 500 });
  const second = await deviceConnection(ctx, { first: 500, after: first.pageInfo.endCursor });
  const devices: Connection<UemDevice> = {
    edges: [...first.edges, ...second.edges],
    nodes: [...first.nodes, ...second.nodes],
    pageInfo: second.pageInfo,
    totalCount: first.totalCount,
  };
  if (devices.nodes.length !== NODES) throw new Error(`expected ${NODES} devices, got ${devices.nodes.length}`);

  const base = () =>
    makeExecutableSchema({
      typeDefs: loadTypeDefs(),
      resolvers: [...resolvers, { Query: { devices: () => devices } }] as never,
    });
  /** A plain middleware checking one capability synchronously (the rules read only the principal). */
  const guard = (capability: CapabilityName) => (resolve: Resolve, parent: unknown, args: unknown, c: GraphQLContext, info: unknown) =>
    holds(c.principal, capability) ? resolve(parent, args, c, info) : forbidden(`needs ${capability}`);
  const rootGuards = { Query: { devices: guard('readInventory') } };
  const variants: Record<string, GraphQLSchema> = {
    'shield on every field (as served)': applyMiddleware(base(), permissions()),
    // graphql-shield applies its fallback rule to every field it is not told about, so even a
    // tree of root rules wraps every field: this is the shield's floor.
    'shield, root rules + fallback allow': applyMiddleware(
      base(),
      shield({ Query: ruleTree.Query, Mutation: ruleTree.Mutation }, { fallbackRule: allow, allowExternalErrors: true }) as never,
    ),
    'root rules only (plain middleware)': applyMiddleware(base(), rootGuards as never),
    'root + boundary fields (plain middleware)': applyMiddleware(base(), {
      Query: rootGuards.Query,
      Device: { imei: guard('readSensitiveIdentifiers'), macAddress: guard('readSensitiveIdentifiers'), phoneNumber: guard('readSensitiveIdentifiers') },
    } as never),
    'no permission layer': base(),
  };

  const run = async (schema: GraphQLSchema) => {
    const contextValue = await context();
    const started = performance.now();
    const result = await execute({ schema, document: QUERY, contextValue });
    const ms = performance.now() - started;
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    const nodes = (result.data as { devices: { nodes: unknown[] } }).devices.nodes.length;
    if (nodes !== NODES) throw new Error(`expected ${NODES} nodes, got ${nodes}`);
    return ms;
  };

  const names = Object.keys(variants);
  const times = new Map(names.map((n) => [n, [] as number[]]));
  for (let i = 0; i < 20; i++) for (const n of names) await run(variants[n]!);
  // Interleaved rounds, so drift (GC, JIT, thermal) hits every variant alike.
  for (let i = 0; i < ITERATIONS; i++) for (const n of names) times.get(n)!.push(await run(variants[n]!));

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
    return { median: at(0.5), p90: at(0.9), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
  };
  const rootOnly = stats(times.get('root rules only (plain middleware)')!);
  console.log(`${NODES}-node device list, ${ITERATIONS} iterations per variant (after 20 warm-up), graphql execute in-process, Node ${process.version}`);
  console.log(`${'variant'.padEnd(44)}median ms   p90 ms   mean ms   vs root rules only (median)`);
  for (const n of names) {
    const s = stats(times.get(n)!);
    console.log(
      `${n.padEnd(44)}${s.median.toFixed(2).padStart(9)}${s.p90.toFixed(2).padStart(9)}${s.mean.toFixed(2).padStart(10)}   ${((s.median / rootOnly.median - 1) * 100).toFixed(1).padStart(6)}%`,
    );
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
