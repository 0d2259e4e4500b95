/**
 * The audit trail of mutations: who (the real caller behind the integration accounts), what field,
 * which targets, with which outcome and error codes. Every mutation resolver goes through
 * `withAudit`, so a change is never made without a record of it (DESIGN.md §7).
 */
import type { GraphQLContext } from '../context.js';
import type { AuditTarget } from '../store/audit.repository.js';
import type { AuditOutcome, JsonValue } from '../store/database.types.js';

export interface AuditEntry {
  field: string;
  targets: AuditTarget[];
  /** Redacted by the caller: no secrets, no personal data beyond the targets. */
  variables?: JsonValue;
}

export interface AuditedOutcome<T> {
  result: T;
  outcome: AuditOutcome;
  errorCodes?: string[];
  details?: { [key: string]: JsonValue };
}

const codeOf = (err: unknown): string => {
  const e = err as { extensions?: { code?: unknown }; code?: unknown };
  const code = e?.extensions?.code ?? e?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
};

export async function withAudit<T>(ctx: GraphQLContext, entry: AuditEntry, run: () => Promise<AuditedOutcome<T>>): Promise<T> {
  const base = {
    requestId: ctx.requestId,
    principalKind: ctx.principal.kind,
    principalEmail: ctx.principal.email,
    operationName: ctx.operationName ?? null,
    field: entry.field,
    targets: entry.targets,
    variables: entry.variables ?? null,
  };
  let done: AuditedOutcome<T>;
  try {
    done = await run();
  } catch (err) {
    const code = codeOf(err);
    await ctx.services.store.audit.insertAuditEvent({ ...base, outcome: code === 'FORBIDDEN' ? 'DENIED' : 'FAILURE', errorCodes: [code] });
    throw err;
  }
  await ctx.services.store.audit.insertAuditEvent({
    ...base,
    outcome: done.outcome,
    errorCodes: done.errorCodes ?? [],
    details: done.details ?? null,
  });
  return done.result;
}
