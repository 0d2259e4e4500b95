/**
 * `/subgraph`: the graph as an Apollo Federation v2 subgraph, served by the same process next to
 * `/graphql` (src/server.ts runs both through the same HTTP handling, authentication, document
 * step, limits, rate limits and audit). What is particular to it:
 *
 * - The caller is the user behind the router, from the `authorization` / `x-api-key` headers the
 *   router forwards; the router itself proves it is one with a shared secret in
 *   `x-gateway-router-secret` when SUBGRAPH_ROUTER_SECRET is set (compared in constant time, several
 *   secrets accepted for rotation), so the subgraph cannot be called around the router's policies.
 * - Answers are per caller: they carry `cache-control: no-store` so no router or proxy caches them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';

export const SUBGRAPH_PATH = '/subgraph';
export const ROUTER_SECRET_HEADER = 'x-gateway-router-secret';

export interface SubgraphEndpoint {
  path: string;
  schema: GraphQLSchema;
  /** Why the request is refused before anything else (a missing or wrong router secret); undefined to serve it. */
  refusal(headers: IncomingHttpHeaders): { message: string; reason: 'router_secret_missing' | 'router_secret_invalid' } | undefined;
  /** Headers of every answer. */
  responseHeaders: Record<string, string>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `presented` is one of `secrets`, in time independent of where they differ (every secret is compared). */
export function matchesSecret(secrets: readonly Buffer[], presented: string): boolean {
  const candidate = digest(presented);
  let match = false;
  for (const secret of secrets) match = timingSafeEqual(secret, candidate) || match;
  return match;
}

/** The endpoint when SUBGRAPH_ENABLED; `schema` defaults to the subgraph schema (src/subgraph/schema.ts). */
export async function createSubgraphEndpoint(config: Config, schema?: GraphQLSchema): Promise<SubgraphEndpoint | undefined> {
  if (!config.subgraph) return undefined;
  const secrets = config.subgraph.routerSecrets.map(digest);
  return {
    path: SUBGRAPH_PATH,
    // Loaded only when enabled: the federation library and what it imports weigh about 30 MB.
    schema: schema ?? (await import('./schema.js')).buildSubgraph(),
    responseHeaders: { 'cache-control': 'no-store' },
    refusal(headers) {
      if (secrets.length === 0) return undefined;
      const presented = headers[ROUTER_SECRET_HEADER];
      if (typeof presented !== 'string' || presented === '') {
        return { reason: 'router_secret_missing', message: `This subgraph answers only its router: send the router secret in ${ROUTER_SECRET_HEADER}.` };
      }
      return matchesSecret(secrets, presented) ? undefined : { reason: 'router_secret_invalid', message: 'The router secret is not valid.' };
    },
  };
}
