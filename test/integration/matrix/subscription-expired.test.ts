/**
 * While the organization's Harmony subscription has expired, the admin is read-only: every
 * mutation guarded by writeHarmony (taken from the rule tree, so a new write is covered as soon as
 * it exists) is FORBIDDEN with reason SUBSCRIPTION_EXPIRED before anything reaches Harmony, and
 * reads still answer. The documents are generated from the schema with placeholder arguments: the
 * permission refuses them before any resolver looks at the values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasWriteHarmony, ruleTree } from '../../../src/auth/permissions.js';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADA } from '../../helpers/matrix.table.js';
import { show } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  gw.app.simulators.harmony!.setSubscriptionExpired(true);
  gw.app.services.cache.invalidate('harmony:*');
});
afterAll(async () => {
  await gw?.close();
});

// Types are read by their printed names: the schema's graphql module instance may differ from the
// test's (ESM/CJS), so graphql's `is*Type` predicates cannot be used on it.
const schema = buildSchema();
/** A GraphQL literal of the printed type (`[ID!]!`), filling only what is required. */
function placeholder(typeText: string): string {
  const text = typeText.replace(/!$/, '');
  if (text.startsWith('[')) return `[${placeholder(text.slice(1, -1))}]`;
  const named = schema.getType(text) as unknown as { getValues?: () => { name: string }[]; getFields?: () => Record<string, { name: string; type: unknown; defaultValue?: unknown }> };
  if (named.getValues) return named.getValues()[0]!.name;
  if (named.getFields) {
    const fields = Object.values(named.getFields()).filter((f) => String(f.type).endsWith('!') && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${placeholder(String(f.type))}`).join(', ')} }`;
  }
  if (text === 'Int' || text === 'Float') return '1';
  if (text === 'Boolean') return 'false';
  return '"x"';
}

const mutation = schema.getMutationType()!;
const writes = Object.entries(ruleTree.Mutation)
  .filter(([, rule]) => rule === hasWriteHarmony)
  .map(([name]) => {
    const field = mutation.getFields()[name]!;
    const args = field.args.filter((a) => String(a.type).endsWith('!') && a.defaultValue === undefined);
    const argText = args.length ? `(${args.map((a) => `${a.name}: ${placeholder(String(a.type))}`).join(', ')})` : '';
    return [name, `mutation { ${name}${argText} { __typename } }`] as const;
  });

const harmonyWrites = () =>
  Object.entries(gw.app.simulators.harmony!.stats().byRoute)
    .filter(([route]) => !route.startsWith('GET ') && route.includes('/orgs/'))
    .reduce((sum, [, n]) => sum + n, 0);

describe('subscription expired', () => {
  it('covers every Harmony write of the schema', () => {
    expect(writes.length).toBeGreaterThanOrEqual(17);
  });

  it.each(writes)('refuses %s to the admin with SUBSCRIPTION_EXPIRED, sending nothing', async (name, query) => {
    const before = harmonyWrites();
    const result = await gw.gql(query, { as: ADA });
    expect(result.body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason]), show(name, result)).toEqual([
      [[name], 'FORBIDDEN', 'SUBSCRIPTION_EXPIRED'],
    ]);
    expect(result.body.data).toEqual({ [name]: null });
    expect(harmonyWrites()).toBe(before);
  });

  it('still answers the admin’s Harmony and inventory reads, and says so in viewer.can', async () => {
    const READS = `{
      viewer { write: can(capability: WRITE_HARMONY) read: can(capability: READ_HARMONY) }
      roles { id } harmonyUsers(first: 2) { totalCount } externalUsers(first: 2) { totalCount } apiGroups { id }
      devices(first: 1) { totalCount }
    }`;
    const data = expectData(await gw.gql<{ viewer: { write: boolean; read: boolean }; roles: unknown[] }>(READS, { as: ADA }), READS);
    expect(data.viewer).toEqual({ write: false, read: true });
    expect(data.roles.length).toBeGreaterThan(0);
  });
});
