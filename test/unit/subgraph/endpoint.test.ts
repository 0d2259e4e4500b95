/**
 * The subgraph's configuration and its router check: off unless enabled, a router secret required
 * in production, compared in constant time, several accepted for rotation.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { loadConfig } from '../../../src/config.js';
import { createSubgraphEndpoint, matchesSecret, type SubgraphEndpoint } from '../../../src/subgraph/endpoint.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(40);
const PRODUCTION = { NODE_ENV: 'production', UEM_BASE_URL: 'https://as1.example', UEM_TENANT_CODE: 't', UEM_USERNAME: 'u', UEM_PASSWORD: 'p', AUTH_JWT_SECRET: 'x'.repeat(32) };
const schema = {} as GraphQLSchema;

describe('configuration', () => {
  it('is off by default', async () => {
    expect(loadConfig({}).subgraph).toBeUndefined();
    expect(await createSubgraphEndpoint(loadConfig({}), schema)).toBeUndefined();
  });

  it('reads comma-separated router secrets', () => {
    expect(loadConfig({ SUBGRAPH_ENABLED: 'true', SUBGRAPH_ROUTER_SECRET: ` ${A} , ${B},` }).subgraph).toEqual({ routerSecrets: [A, B] });
    expect(loadConfig({ SUBGRAPH_ENABLED: 'true' }).subgraph).toEqual({ routerSecrets: [] });
  });

  it('refuses short secrets, and a production subgraph without one', () => {
    expect(() => loadConfig({ SUBGRAPH_ENABLED: 'true', SUBGRAPH_ROUTER_SECRET: `${A},short` })).toThrow(/SUBGRAPH_ROUTER_SECRET must be one or more comma-separated secrets of at least 32 characters/);
    expect(() => loadConfig({ ...PRODUCTION, SUBGRAPH_ENABLED: 'true' })).toThrow(/SUBGRAPH_ROUTER_SECRET is required with SUBGRAPH_ENABLED=true and NODE_ENV=production/);
    expect(loadConfig({ ...PRODUCTION, SUBGRAPH_ENABLED: 'true', SUBGRAPH_ROUTER_SECRET: A }).subgraph).toEqual({ routerSecrets: [A] });
  });
});

describe('the router check', () => {
  let endpoint: SubgraphEndpoint;
  beforeAll(async () => {
    endpoint = (await createSubgraphEndpoint(loadConfig({ SUBGRAPH_ENABLED: 'true', SUBGRAPH_ROUTER_SECRET: `${A},${B}` }), schema))!;
  });

  it('serves a router presenting any configured secret', () => {
    expect(endpoint.refusal({ 'x-gateway-router-secret': A })).toBeUndefined();
    expect(endpoint.refusal({ 'x-gateway-router-secret': B })).toBeUndefined();
  });

  it('refuses a missing, empty or wrong secret, naming which', () => {
    expect(endpoint.refusal({})?.reason).toBe('router_secret_missing');
    expect(endpoint.refusal({ 'x-gateway-router-secret': '' })?.reason).toBe('router_secret_missing');
    expect(endpoint.refusal({ 'x-gateway-router-secret': `${A}a` })?.reason).toBe('router_secret_invalid');
    expect(endpoint.refusal({ 'x-gateway-router-secret': A.slice(1) })?.reason).toBe('router_secret_invalid');
  });

  it('serves every request when no secret is configured (development)', async () => {
    expect((await createSubgraphEndpoint(loadConfig({ SUBGRAPH_ENABLED: 'true' }), schema))!.refusal({})).toBeUndefined();
  });

  it('compares digests, so secrets of any length compare in the same time', () => {
    const digest = (s: string) => createHash('sha256').update(s).digest();
    expect(matchesSecret([digest(A), digest(B)], B)).toBe(true);
    expect(matchesSecret([digest(A)], 'x')).toBe(false);
    expect(matchesSecret([], A)).toBe(false);
  });
});
