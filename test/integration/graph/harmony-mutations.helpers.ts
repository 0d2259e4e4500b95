/**
 * Shared by the Harmony mutation suites: the simulator's live state, a count of the write calls it
 * received (every non-GET route under `/orgs/`), and assertions for refusals — the right code and
 * reason, no data, and nothing written upstream.
 */
import { expect } from 'vitest';
import { listAuditEvents, type AuditEvent } from '../../../src/store/audit.repository.js';
import type { GqlResult, TestGateway } from '../../helpers/gateway.js';

export const ADMIN = 'ada.admin@demo.example';
export const READER = 'rita.reader@demo.example';
export const OPERATOR = 'omar.operator@demo.example';

type Errors = NonNullable<GqlResult['body']['errors']>;

export function harmonyMutationKit(gateway: () => TestGateway) {
  const sim = () => gateway().app.simulators.harmony!;
  const state = () => sim().state;

  /** Write calls Harmony received so far (login excluded: it is a PUT outside `/orgs/`). */
  const writes = (): number =>
    Object.entries(sim().stats().byRoute)
      .filter(([route]) => !route.startsWith('GET ') && route.includes('/orgs/'))
      .reduce((sum, [, n]) => sum + n, 0);

  async function run<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, as = ADMIN) {
    return gateway().gql<T>(query, { as, variables });
  }

  /** Runs a mutation that must succeed; answers its data. */
  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, as = ADMIN): Promise<T> {
    const result = await run<T>(query, variables, as);
    if (result.body.errors?.length || !result.body.data) {
      throw new Error(`expected data\noperation: ${query}\nvariables: ${JSON.stringify(variables)}\nresponse: ${JSON.stringify(result.body, null, 2)}`);
    }
    return result.body.data;
  }

  /** Runs a mutation that must be refused with `code` and `reason`, without any write reaching Harmony. */
  async function refused(query: string, variables: Record<string, unknown>, code: string, reason?: string, as = ADMIN): Promise<Errors[number]> {
    const before = writes();
    const result = await run(query, variables, as);
    const errors: Errors = result.body.errors ?? [];
    expect(errors, JSON.stringify(result.body)).toHaveLength(1);
    const [error] = errors;
    expect(error?.extensions?.code, JSON.stringify(result.body)).toBe(code);
    if (reason !== undefined) expect(error?.extensions?.reason, JSON.stringify(result.body)).toBe(reason);
    // Every root field is nullable: the refused field is null, and nothing else came back.
    expect(Object.values(result.body.data ?? {}).filter((v) => v !== null), JSON.stringify(result.body)).toEqual([]);
    expect(writes(), 'no write may reach Harmony').toBe(before);
    return error!;
  }

  /** The audit events of one root field, newest first. */
  async function audits(field: string): Promise<AuditEvent[]> {
    return (await listAuditEvents(gateway().app.services.db, { field }, 100)).events;
  }

  return { sim, state, writes, run, ok, refused, audits };
}
