/**
 * The failure-boundary rule (README, "Failure semantics"), enforced on the schema as it is: every
 * root field is nullable, and so is every field whose resolver can start a call of its own. Both
 * are read from the code, not from a list kept by hand: a resolver that takes the context can
 * (statically), and running every resolver with a context that records what it reaches shows
 * which ones do (a loader, a datasource, the database), permission rules included. A failure
 * then nulls that field alone, with one error at its path.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
// The schema is built by @graphql-tools (Node's resolution: graphql's CommonJS build); use the same instance.
import { execute, getNamedType, isObjectType, parse, type GraphQLSchema } from 'graphql/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveHarmonyPrincipal } from '../../../src/auth/resolve-principal.js';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { createRequestScope, requestContext, type GraphQLContext } from '../../../src/context.js';
import { resolvers } from '../../../src/resolvers/index.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { contextResolvers, everythingQuery, instrument, nonNullFields, nonNullRootFields, type EverythingOptions } from './boundaries.kit.js';

/** Emails known to both systems (and the partner's), a well-formed command id; any other required ID or String is "1". */
const SAMPLE_VALUES: Record<string, string> = {
  'Query.person': 'rita.reader@demo.example',
  'Query.harmonyUser': 'rita.reader@demo.example',
  'Query.externalUser': 'pat.partner@partner.example',
  'Query.deviceCommand': '00000000-0000-4000-a000-000000000000',
};
const SAMPLES: EverythingOptions = { pageSize: 3, sample: (field) => SAMPLE_VALUES[field] ?? '1' };

/** Object types a query can reach; the others (mutation payloads) have their fields checked statically only. */
function queryReachable(schema: GraphQLSchema): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const type = schema.getType(name);
    if (seen.has(name) || !isObjectType(type)) return;
    seen.add(name);
    for (const f of Object.values(type.getFields())) visit(getNamedType(f.type).name);
  };
  visit('Query');
  return seen;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  // Commands in UEM's history for the walk to read (`Device.commands`, `deviceCommand`).
  const uem = gw.app.simulators.uem!.state;
  const sent = uem.deviceList.slice(0, 3).map((d) => uem.applyCommand(d, 'SyncDevice', 'single'));
  SAMPLE_VALUES['Query.deviceCommand'] = sent[0]!.uuid;
});
afterAll(async () => {
  await gw?.close();
});

async function adminContext(): Promise<GraphQLContext> {
  const scope = createRequestScope(gw.app.services, 'boundary-walk');
  const principal = await resolveHarmonyPrincipal(scope.loaders.harmony, 'ada.admin@demo.example');
  if (!principal) throw new Error('ada.admin did not resolve');
  return requestContext(scope, principal, gw.app.services);
}

describe('failure boundaries', () => {
  it('every root field is nullable', () => {
    expect(nonNullRootFields(buildSchema())).toEqual([]);
  });

  it('every field whose resolver takes the context is nullable; non-null fields read their parent alone', () => {
    expect(nonNullFields(buildSchema(), contextResolvers(resolvers as never)), 'non-null fields whose resolver can start a call').toEqual([]);
  });

  it('every field whose resolver reaches a loader, a datasource or the database is nullable', async () => {
    const schema = buildSchema();
    const probe = instrument(schema);
    const query = everythingQuery(schema, SAMPLES);
    const result = await execute({ schema, document: parse(query), contextValue: await adminContext() });
    expect(result.errors ?? [], `the walk itself failed:\n${query}`).toEqual([]);

    // Every resolver that can receive the context ran: a new one the walk cannot reach fails here.
    const reachable = queryReachable(schema);
    const missed = contextResolvers(resolvers as never).filter((c) => reachable.has(c.split('.')[0]!) && !probe.ran.has(c));
    expect(missed, `resolvers the walk never ran (give them data or a sample argument):\n${query}`).toEqual([]);

    expect(nonNullFields(schema, probe.reachedIo), 'non-null fields that start calls of their own').toEqual([]);
    // The probe sees through helpers: joins reached only inside services are found too.
    expect([...probe.reachedIo]).toEqual(expect.arrayContaining(['HarmonyUser.devices', 'UemUser.harmonyUser', 'Device.apps', 'Person.uemUser', 'Role.assignments']));
    // Fields served from the parent's own record are not boundaries.
    expect([...probe.reachedIo]).not.toEqual(expect.arrayContaining(['Device.id']));
    expect(probe.reachedIo.has('UemUser.userName')).toBe(false);
  });

  it('the check names a non-null join someone adds', async () => {
    const schema = makeExecutableSchema({
      typeDefs: 'type Query { team: Team } type Team { name: String! lead: Person! } type Person { email: String! }',
      resolvers: {
        Query: { team: () => ({ name: 'a' }) },
        Team: { lead: (_t: unknown, _a: unknown, ctx: { loaders: { lead(): Promise<unknown> } }) => ctx.loaders.lead() },
      },
    });
    const probe = instrument(schema);
    const query = everythingQuery(schema, SAMPLES);
    const contextValue = { loaders: { lead: async () => ({ email: 'x@example.com' }) } };
    expect((await execute({ schema, document: parse(query), contextValue })).errors).toBeUndefined();
    expect(nonNullFields(schema, probe.reachedIo)).toEqual(['Team.lead']);
  });
});
