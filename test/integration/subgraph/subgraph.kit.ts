/**
 * Requests to a test gateway's `/subgraph` as a router sends them (the caller's token forwarded,
 * the router secret when given), and the simulators' request counts.
 */
import type { GqlResult, TestGateway } from '../../helpers/gateway.js';

export const ROUTER_SECRET = 'router-secret-for-tests-'.padEnd(40, 'r');
export const NEXT_ROUTER_SECRET = 'next-router-secret-for-tests-'.padEnd(40, 'n');
export const SUBGRAPH_ENV = { SUBGRAPH_ENABLED: 'true', SUBGRAPH_ROUTER_SECRET: `${ROUTER_SECRET}, ${NEXT_ROUTER_SECRET}` };

export const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ...on Device { id friendlyName user { email } } ...on HarmonyUser { email } ...on UemUser { id userName } ...on Person { email } } }';

export async function subgraph<T = Record<string, unknown>>(
  gw: TestGateway,
  query: string,
  options: { as?: string; variables?: Record<string, unknown>; headers?: Record<string, string>; secret?: string | null } = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.secret !== null) headers['x-gateway-router-secret'] = options.secret ?? ROUTER_SECRET;
  if (options.as) headers.authorization = `Bearer ${await gw.token(options.as)}`;
  gw.logs.noteHeaders(headers);
  const res = await fetch(`${gw.url}/subgraph`, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables }) });
  const text = await res.text();
  let body: GqlResult<T>['body'];
  try {
    body = JSON.parse(text) as GqlResult<T>['body'];
  } catch {
    throw new Error(`non-JSON response ${res.status} from /subgraph: ${text.slice(0, 500)}`);
  }
  return { status: res.status, headers: res.headers, body, requestId: res.headers.get('x-request-id') };
}

/** The simulators' counts since the last reset, by route template. */
export function upstreamCounts(gw: TestGateway) {
  const { uem, harmony } = simulators(gw);
  return { uem: uem.stats().total, harmony: harmony.stats().total, byRoute: { ...uem.stats().byRoute, ...harmony.stats().byRoute } };
}

export function resetCounts(gw: TestGateway, caches: string[] = []) {
  for (const pattern of caches) gw.app.services.cache.invalidate(pattern);
  const { uem, harmony } = simulators(gw);
  uem.resetStats();
  harmony.resetStats();
}

function simulators(gw: TestGateway) {
  const { uem, harmony } = gw.app.simulators;
  if (!uem || !harmony) throw new Error('the test gateway runs without its simulators');
  return { uem, harmony };
}
