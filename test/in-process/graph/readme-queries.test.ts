/**
 * The README's example queries are real: each GraphQL block runs against the demo organization
 * without errors, as the administrator.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';

const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

describe('README queries', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  for (const [i, block] of blocks.entries()) {
    it(`example ${i + 1} runs without errors`, async () => {
      const result = await gw.gql(block, { as: 'ada.admin@demo.example', variables: { id: '101' } });
      expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
      expect(result.body.data).toBeTruthy();
    });
  }
});
