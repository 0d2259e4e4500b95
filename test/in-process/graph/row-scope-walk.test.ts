/**
 * Row scope, for every field that returns a UEM device or enrollment user (issue 6), derived from
 * the schema and the resolver map rather than a list: the walk finds each such field, builds a
 * query that reaches it from `Query` (the cheapest path; required arguments from ARGS, which point
 * at objects outside the caller's scope wherever an argument names one), runs it as omar
 * (Production and Sandbox; the demo data has Lab devices and users on every path) and checks:
 *
 * - that no device or user outside omar's scope comes back;
 * - that the field goes through the access service (issue 20, src/auth/access/): its resolver is
 *   the resolver map's own (no default property read), and resolving it asks `ctx.access` for the
 *   caller's scope more often than resolving the same path without it (the service is
 *   instrumented: a spy on its one entry to the scope, `AccessCore.scope`).
 *
 * A new field is walked as soon as it is in the schema; one the walk cannot reach fails here until
 * ARGS says how. Fields of connections and edges hand on what their parent list already cut.
 * Fields reachable only from mutations, and fields that show what their parent object carries, are
 * listed with the reason they cannot leak, and those lists must match the schema too.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccessCore } from '../../../src/auth/access/core.js';
import { loadTypeDefs } from '../../../src/graphql/type-defs.js';
import { resolvers } from '../../../src/resolvers/index.js';
import type { TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';

const OMAR = 'omar.operator@demo.example';
const IN_SCOPE_GROUPS = new Set([571, 572]); // Production Devices, Sandbox Devices
const LAB = 573;
const TARGET_TYPES = new Set(['Device', 'DeviceConnection', 'DeviceEdge', 'UemUser', 'UemUserConnection', 'UemUserEdge']);
/** Payload fields reachable only from Mutation, and why they cannot show an out-of-scope object. */
const MUTATION_ONLY: Record<string, string> = {
  'UemUserPayload.user': 'the user the caller just changed: provisioning needs WRITE in its environment, a level that reads',
};
/** Fields that show what their parent object carries (no read of their own), and why that cannot leak. */
const VIA_PARENT: Record<string, string> = {
  'Device.user': 'the owner of a device the caller reads, named on that device (which went through the access service)',
};
/** Connections and edges: their fields hand on the list their parent field cut. */
const isProjection = (type: string) => TARGET_TYPES.has(type) && /(Connection|Edge)$/.test(type);
/** The resolver the resolver map gives a field, if any. */
const resolverOf = (type: string, field: string) =>
  resolvers.map((map) => (map as unknown as Record<string, Record<string, unknown> | undefined>)[type]?.[field]).find((r) => r !== undefined);

interface Shape {
  name?: string;
  ofType?: Shape;
  getFields?: () => Record<string, { name: string; type: Shape; args: readonly { name: string; type: Shape }[] }>;
  getInterfaces?: unknown;
}
const named = (t: Shape): string => (t.ofType ? named(t.ofType) : (t.name ?? ''));
const required = (t: Shape): boolean => t.constructor?.name === 'GraphQLNonNull' || String(t).endsWith('!');

const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
const types = schema.getTypeMap() as unknown as Record<string, Shape>;
const objectType = (name: string) => (types[name]?.getFields && types[name]?.getInterfaces && !name.startsWith('__') ? types[name] : undefined);

let gw: TestGateway;
const sim = () => gw.app.simulators.uem!;
const labDevice = () => [...sim().state.devices.values()].find((d) => d.locationGroupId === LAB)!;
const labUser = () => [...sim().state.users.values()].find((u) => u.locationGroupId === LAB && u.email)!;
/** Required arguments, by `Type.field.argument` (values computed from the demo data). */
const ARGS: Record<string, () => unknown> = {
  'Query.device.id': () => String(labDevice().id),
  'Query.uemUser.id': () => String(labUser().id),
  'Query.person.email': () => OMAR, // omar's own devices include a Lab one
  'Query.harmonyUser.email': () => OMAR,
  'Query.app.id': () => String([...sim().state.apps.values()].find((a) => sim().state.appDeviceIds(a).length > 0)!.id),
};

interface Step {
  type: string;
  field: string;
  args: string;
}

/** The cheapest path of fields from Query to `target` (arguments to invent cost more than none). */
function pathTo(target: string): Step[] | undefined {
  const best = new Map<string, { cost: number; path: Step[] }>([['Query', { cost: 0, path: [] }]]);
  const queue = ['Query'];
  while (queue.length > 0) {
    queue.sort((a, b) => best.get(a)!.cost - best.get(b)!.cost);
    const type = queue.shift()!;
    const here = best.get(type)!;
    if (type === target) return here.path;
    for (const field of Object.values(objectType(type)?.getFields?.() ?? {})) {
      const next = named(field.type);
      if (!objectType(next)) continue;
      const args = argumentsOf(type, field);
      if (args === undefined) continue;
      const cost = here.cost + (field.args.some((a) => required(a.type)) ? 10 : 1);
      if ((best.get(next)?.cost ?? Infinity) <= cost) continue;
      best.set(next, { cost, path: [...here.path, { type, field: field.name, args }] });
      queue.push(next);
    }
  }
  return undefined;
}

/**
 * `(a: …)` for the required arguments, '' when there are none, undefined when one is unknown; a
 * list that pages gets `first: page` (small along the path, to stay within the upstream budget).
 */
function argumentsOf(type: string, field: { name: string; args: readonly { name: string; type: Shape }[] }, page = 3): string | undefined {
  const parts: string[] = field.args.some((a) => a.name === 'first') ? [`first: ${page}`] : [];
  for (const arg of field.args.filter((a) => required(a.type))) {
    const value = ARGS[`${type}.${field.name}.${arg.name}`];
    if (!value) return undefined;
    parts.push(`${arg.name}: ${JSON.stringify(value())}`);
  }
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

const LEAF: Record<string, string> = {
  Device: '{ __typename id }',
  UemUser: '{ __typename id }',
  DeviceEdge: '{ node { __typename id } }',
  UemUserEdge: '{ node { __typename id } }',
  DeviceConnection: '{ nodes { __typename id } edges { node { __typename id } } }',
  UemUserConnection: '{ nodes { __typename id } edges { node { __typename id } } }',
};

function queryFor(path: Step[], field: string, args: string, returns: string): string {
  return pathQuery(path, `${field}${args} ${LEAF[returns]}`);
}

/** The path from Query with `inner` at its end (`__typename` alone: the path without the field). */
function pathQuery(path: Step[], inner: string): string {
  for (const step of [...path].reverse()) inner = `${step.field}${step.args} { __typename ${inner} }`;
  return `{ ${inner} }`;
}

/** Every object with a __typename in the answer, and whether `field` appeared under a `type` object. */
function collect(value: unknown, type: string, field: string, out: { objects: { __typename: string; id: string }[]; reached: boolean }) {
  if (Array.isArray(value)) for (const v of value) collect(v, type, field, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.__typename === 'string' && typeof o.id === 'string') out.objects.push(o as { __typename: string; id: string });
    if (o.__typename === type && field in o) out.reached = true;
    for (const v of Object.values(o)) collect(v, type, field, out);
  }
  return out;
}

const targets: { type: string; field: string; returns: string; args: readonly { name: string; type: Shape }[] }[] = [];
for (const [typeName] of Object.entries(types)) {
  if (!objectType(typeName)) continue;
  for (const field of Object.values(objectType(typeName)!.getFields!())) {
    if (TARGET_TYPES.has(named(field.type))) targets.push({ type: typeName, field: field.name, returns: named(field.type), args: field.args });
  }
}

/** Every time the access service is asked for the caller's scope (every decision about a UEM object starts there). */
const consulted = vi.spyOn(AccessCore.prototype, 'scope');
afterAll(() => consulted.mockRestore());

/** How often one request asked the access service. */
async function consultations(query: string): Promise<number> {
  consulted.mockClear();
  await gw.gql(query, { as: OMAR });
  return consulted.mock.calls.length;
}

beforeAll(async () => {
  gw = await demoGateway();
  // Command history exists only once commands were sent: give every device a SYNC (harmless, and
  // the same for every file sharing this gateway), so Device.commands and its records are walked.
  const state = sim().state;
  for (const device of state.devices.values()) if (state.commandHistory(device.id).length === 0) state.applyCommand(device, 'SyncDevice', 'single');
});

describe('row scope on every field that returns a device or an enrollment user', () => {
  it('finds such fields in the schema', () => {
    expect(targets.length).toBeGreaterThan(10);
  });

  it('lists exactly the fields reachable only from mutations', () => {
    const unreachable = targets.filter((t) => t.type !== 'Query' && !pathTo(t.type)).map((t) => `${t.type}.${t.field}`);
    expect(unreachable.sort()).toEqual(Object.keys(MUTATION_ONLY).sort());
  });

  it('gives every such field read from Query, but projections of a list, a resolver of its own in the resolver map', () => {
    const named = targets.filter((t) => !isProjection(t.type) && !MUTATION_ONLY[`${t.type}.${t.field}`]).map((t) => `${t.type}.${t.field}`);
    for (const name of Object.keys(VIA_PARENT)) expect(named, `${name} is not a field that returns a device or a user`).toContain(name);
    for (const name of named) {
      const [type, field] = name.split('.') as [string, string];
      expect(typeof resolverOf(type, field), `${name} has no resolver: a default property read cannot ask the access service`).toBe('function');
    }
  });

  it.each(targets.filter((t) => !MUTATION_ONLY[`${t.type}.${t.field}`]).map((t) => [`${t.type}.${t.field}`, t] as const))(
    '%s shows omar nothing outside Production and Sandbox',
    async (_name, target) => {
      const path = pathTo(target.type);
      expect(path, `no way from Query to ${target.type}: add its required arguments to ARGS`).toBeDefined();
      const args = argumentsOf(target.type, { name: target.field, args: target.args }, 50);
      expect(args, `${target.type}.${target.field} has a required argument ARGS does not know`).toBeDefined();
      const query = queryFor(path!, target.field, args!, target.returns);
      const name = `${target.type}.${target.field}`;
      if (!isProjection(target.type) && !VIA_PARENT[name]) {
        const without = await consultations(pathQuery(path!, '__typename'));
        const withField = await consultations(query);
        expect(withField, `${name} did not ask the access service (src/auth/access/)\n${query}`).toBeGreaterThan(without);
      }
      const result = await gw.gql(query, { as: OMAR });
      const found = collect(result.body.data, target.type, target.field, { objects: [], reached: false });
      expect(found.reached || target.type === 'Query', `the walk did not reach ${target.type}.${target.field}\n${query}\n${JSON.stringify(result.body).slice(0, 1500)}`).toBe(true);
      const codes = (result.body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.filter((c) => c !== 'FORBIDDEN'), `${query}\n${JSON.stringify(result.body.errors)}`).toEqual([]);

      const state = sim().state;
      const visibleDevices = new Set([...state.devices.values()].filter((d) => IN_SCOPE_GROUPS.has(d.locationGroupId)).map((d) => String(d.id)));
      // An enrollment user is visible in its own group's environment, and as the owner of a visible device (Device.user).
      const owners = target.field === 'user' && target.type === 'Device' ? new Set([...state.devices.values()].filter((d) => visibleDevices.has(String(d.id))).map((d) => String(d.userId))) : new Set<string>();
      const visibleUsers = new Set([...state.users.values()].filter((u) => IN_SCOPE_GROUPS.has(u.locationGroupId)).map((u) => String(u.id)));
      for (const o of found.objects) {
        if (o.__typename === 'Device') expect(visibleDevices.has(o.id), `device ${o.id} via ${query}`).toBe(true);
        if (o.__typename === 'UemUser') expect(visibleUsers.has(o.id) || owners.has(o.id), `user ${o.id} via ${query}`).toBe(true);
      }
    },
  );
});
