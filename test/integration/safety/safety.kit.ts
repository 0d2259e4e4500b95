/**
 * Raw HTTP helpers for the safety suites: requests the typed `gql` helper cannot send (bodies that
 * are not JSON objects, other content types, GETs) and the simulators' request counts.
 */
import { expect } from 'vitest';
import type { TestGateway } from '../../helpers/gateway.js';

export const ADMIN = 'ada.admin@demo.example';

export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> } | undefined;
  ms: number;
}

export async function raw(
  gw: TestGateway,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string>; search?: string; as?: string },
): Promise<RawResult> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.as) headers.authorization = `Bearer ${await gw.token(init.as)}`;
  const started = Date.now();
  const res = await fetch(`${gw.url}/graphql${init.search ?? ''}`, { method: init.method ?? 'POST', headers, body: init.body });
  const text = await res.text();
  let json: RawResult['json'];
  try {
    json = JSON.parse(text) as RawResult['json'];
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, ms: Date.now() - started };
}

export const jsonBody = (value: unknown) => JSON.stringify(value);
export const JSON_HEADERS = { 'content-type': 'application/json' };

export function codesOf(result: RawResult): unknown[] {
  return (result.json?.errors ?? []).map((e) => e.extensions?.code);
}

/** Clears both simulators' request counters. */
export function resetUpstreams(gw: TestGateway): void {
  gw.app.simulators.uem!.resetStats();
  gw.app.simulators.harmony!.resetStats();
}

/** Asserts no request reached UEM since the last reset (Harmony may be asked who the caller is). */
export function expectNoUemRequest(gw: TestGateway, what: string): void {
  expect(gw.app.simulators.uem!.stats().total, `${what}: UEM requests`).toBe(0);
}

/** The refusal's figures: limit, max and measured. */
export function refusalOf(result: RawResult | { body: { errors?: { extensions?: Record<string, unknown> }[] } }) {
  const errors = 'json' in result ? result.json?.errors : result.body.errors;
  const ext = errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')?.extensions;
  return ext && { limit: ext.limit, max: ext.max, measured: ext.measured };
}

/** A query nested `depth` levels deep through the recursive Role ↔ RoleAssignment relation. */
export function deepQuery(depth: number): string {
  const parts: string[] = [];
  for (let level = 1; level < depth - 1; level++) parts.push(level % 2 === 1 ? 'assignments {' : 'role {');
  const inner = parts.join(' ') + ' ' + (parts.length % 2 === 1 ? 'status' : 'name') + ' }'.repeat(parts.length);
  return `{ roles { ${inner} } }`;
}
