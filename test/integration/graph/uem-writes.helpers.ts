/**
 * Shared by the provisioning and app deployment suites: the UEM simulator's live state, a count of
 * the write calls it received (every non-GET route except the batch device read), requests that
 * must succeed or be refused with a code, and the audit events of a root field.
 */
import { expect } from 'vitest';
import { listAuditEvents, type AuditEvent } from '../../../src/store/audit.repository.js';
import type { GqlResult, TestGateway } from '../../helpers/gateway.js';

export const ADMIN = 'ada.admin@demo.example';
export const READER = 'rita.reader@demo.example';
export const OPERATOR = 'omar.operator@demo.example';

/** Organization groups of the demo tenant. */
export const TOP = 570;
export const PRODUCTION = 571;
export const SANDBOX = 572;
export const LAB = 573;

export function uemWriteKit(gateway: () => TestGateway) {
  const sim = () => gateway().app.simulators.uem!;
  const state = () => sim().state;

  /** Write calls UEM received so far, optionally only those whose route template contains `part`. */
  const writes = (part = ''): number =>
    Object.entries(sim().stats().byRoute)
      .filter(([route]) => !route.startsWith('GET ') && route !== 'POST /API/mdm/devices/id' && route.includes(part))
      .reduce((sum, [, n]) => sum + n, 0);

  const calls = (route: string): number => sim().stats().byRoute[route] ?? 0;

  function run<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, as = ADMIN): Promise<GqlResult<T>> {
    return gateway().gql<T>(query, { as, variables });
  }

  /** Runs an operation that must succeed; answers its data. */
  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, as = ADMIN): Promise<T> {
    const result = await run<T>(query, variables, as);
    if (result.body.errors?.length || !result.body.data) {
      throw new Error(`expected data\noperation: ${query}\nvariables: ${JSON.stringify(variables)}\nas: ${as}\nrequest id: ${result.requestId}\nresponse: ${JSON.stringify(result.body, null, 2).slice(0, 3000)}`);
    }
    return result.body.data;
  }

  /** Runs an operation that must be refused with `code` (and `reason`), without any write reaching UEM. */
  async function refused(query: string, variables: Record<string, unknown>, code: string, as = ADMIN, reason?: string) {
    const before = writes();
    const result = await run(query, variables, as);
    const errors = result.body.errors ?? [];
    expect(errors.map((e) => e.extensions?.code), JSON.stringify(result.body)).toEqual([code]);
    if (reason !== undefined) expect(errors[0]?.extensions?.reason, JSON.stringify(result.body)).toBe(reason);
    // Every root field is nullable: the refused field is null, and nothing else came back.
    expect(Object.values(result.body.data ?? {}).filter((v) => v !== null), JSON.stringify(result.body)).toEqual([]);
    expect(writes(), 'no write may reach UEM').toBe(before);
    return errors[0]!;
  }

  /** The audit events of one root field, newest first. */
  async function audits(field: string): Promise<AuditEvent[]> {
    return (await listAuditEvents(gateway().app.services.db, { field }, 100)).events;
  }

  return { sim, state, writes, calls, run, ok, refused, audits };
}
