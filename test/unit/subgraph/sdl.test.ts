/**
 * The subgraph SDL (issue 19): federation additions on the subgraph only, never on the direct
 * schema; the entity tables agree with each other and with the built schema; and the printed SDL
 * composes with another team's subgraph under a real composition library (the CI check).
 */
import { readFileSync } from 'node:fs';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ENTITY_CAPABILITIES } from '../../../src/auth/access/entities.js';
import { ENTITY_KEYS, FEDERATION_LINK, printedSubgraphSchema } from '../../../src/subgraph/sdl.js';
import { buildSubgraph } from '../../../src/subgraph/schema.js';
import { HELPDESK_SDL } from '../../integration/subgraph/helpdesk.fixture.js';

const sdl = printedSubgraphSchema();

describe('the subgraph SDL', () => {
  it('links federation v2 and keys the entities', () => {
    expect(sdl.startsWith(`extend schema @link(url: "${FEDERATION_LINK}", import: ["@key", "@shareable"])`)).toBe(true);
    expect(sdl).toContain('type Device @key(fields: "id") @key(fields: "serialNumber") {');
    expect(sdl).toContain('type UemUser @key(fields: "id") {');
    expect(sdl).toContain('type HarmonyUser @key(fields: "email") {');
    expect(sdl).toContain('type Person @key(fields: "email") {');
    expect(sdl).toContain('type PageInfo @shareable {');
  });

  it('leaves out the gateway’s own cost directives and the fields the library adds', () => {
    for (const absent of ['@cost', '@listSize', '_entities', '_service', '_Any', 'directive @key']) expect(sdl).not.toContain(absent);
  });

  it('is what docs/subgraph.graphql holds, and federation never reaches docs/schema.graphql', () => {
    expect(readFileSync('docs/subgraph.graphql', 'utf8')).toBe(sdl);
    const direct = readFileSync('docs/schema.graphql', 'utf8');
    for (const absent of ['@key', '@link', '@shareable', '_entities', '_service']) expect(direct).not.toContain(absent);
  });

  it('names the same entities as the access table and the built schema', () => {
    expect(Object.keys(ENTITY_KEYS).sort()).toEqual(Object.keys(ENTITY_CAPABILITIES).sort());
    const union = buildSubgraph().getType('_Entity') as unknown as { getTypes(): { name: string }[] };
    expect(union.getTypes().map((t) => t.name).sort()).toEqual(Object.keys(ENTITY_KEYS).sort());
  });
});

describe('composition with another subgraph', () => {
  const compose = (helpdesk = HELPDESK_SDL) =>
    composeServices([
      { name: 'uem-harmony', typeDefs: parse(sdl), url: 'http://gateway.internal/subgraph' },
      { name: 'helpdesk', typeDefs: helpdesk, url: 'http://helpdesk.internal/graphql' },
    ]);

  it('composes a subgraph that references devices and Harmony users', () => {
    const result = compose();
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
    const device = /type Device\b[^{]*/.exec(result.supergraphSdl ?? '')?.[0];
    expect(device).toContain('@join__type(graph: UEM_HARMONY, key: "id")');
    expect(device).toContain('@join__type(graph: UEM_HARMONY, key: "serialNumber")');
    expect(device).toContain('@join__type(graph: HELPDESK, key: "id", resolvable: false)');
    expect(result.supergraphSdl).toMatch(/type HarmonyUser\b[^{]*@join__type\(graph: UEM_HARMONY, key: "email"\)/);
  });

  it('shares PageInfo with a subgraph that defines its own', () => {
    const withPageInfo = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      type Query { ticketPage: TicketPage! }
      type TicketPage { pageInfo: PageInfo! }
      type PageInfo @shareable { hasNextPage: Boolean! endCursor: String }
    `);
    expect(compose(withPageInfo).errors?.map((e) => e.message) ?? []).toEqual([]);
  });
});
