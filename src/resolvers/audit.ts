/**
 * The audit trail of mutations: who (the real caller behind the integration accounts), what field,
 * which targets, with which outcome and error codes. Every mutation resolver goes through
 * `withAudit`, so a change is never made without a record of it (docs/design.md §7).
 *
 * Fail closed: the row is written as PENDING before `run` may call an upstream, and completed
 * afterwards. When that first write fails, `run` never starts and the caller gets
 * INTERNAL_SERVER_ERROR with `reason: AUDIT_UNAVAILABLE`. Each row takes a token of the principal's
 * audit budget (src/audit/budget.ts); past it the field is refused RATE_LIMITED (`bucket: audit`)
 * and nothing is changed.
 */
import type { GraphQLContext } from '../context.js';
import { codedError, codeOf, ErrorCode } from '../errors.js';
import { redact } from '../audit/redact.js';
import type { AuditCompletion, AuditEvent, AuditTarget } from '../store/audit.repository.js';
import type { AuditOutcome, JsonValue } from '../store/database.types.js';

export interface AuditEntry {
  field: string;
  targets: AuditTarget[];
  /** The arguments worth keeping; secrets and personal data are redacted here in any case. */
  variables?: JsonValue;
}

export interface AuditedOutcome<T> {
  result: T;
  outcome: Exclude<AuditOutcome, 'PENDING'>;
  errorCodes?: string[];
  details?: { [key: string]: JsonValue };
}

export const auditUnavailable = () =>
  codedError(ErrorCode.INTERNAL_SERVER_ERROR, 'The audit trail cannot be written: nothing was changed. Try again later.', {
    extensions: { reason: 'AUDIT_UNAVAILABLE' },
  });

/** Past the principal's audit budget a change is refused, never made unrecorded. */
export const auditRateLimited = (retryAfterSeconds: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return codedError(ErrorCode.RATE_LIMITED, `Too many audited changes from this caller: nothing was changed. Retry in ${seconds} s.`, {
    extensions: { bucket: 'audit', retryAfterSeconds: seconds },
  });
};

/** `run` gets the id of its PENDING row (an idempotent mutation keeps it with its claim). */
export async function withAudit<T>(ctx: GraphQLContext, entry: AuditEntry, run: (auditId: string) => Promise<AuditedOutcome<T>>): Promise<T> {
  const { logger, store, auditBudget } = ctx.services;
  let token: Awaited<ReturnType<typeof auditBudget.take>>;
  try {
    token = await auditBudget.take(ctx.principal);
  } catch (err) {
    logger.error({ err, requestId: ctx.requestId, field: entry.field }, 'audit budget not readable: mutation refused');
    throw auditUnavailable();
  }
  if (!token.allowed) throw auditRateLimited(token.retryAfterSeconds);
  let pending: AuditEvent;
  try {
    pending = await store.audit.insertAuditEvent({
      requestId: ctx.requestId,
      principalKind: ctx.principal.kind,
      principalEmail: ctx.principal.email,
      operationName: ctx.operationName ?? null,
      documentHash: ctx.document?.hash ?? null,
      field: entry.field,
      targets: entry.targets,
      variables: redact(entry.variables ?? null),
      outcome: 'PENDING',
    });
  } catch (err) {
    logger.error({ err, requestId: ctx.requestId, field: entry.field }, 'audit row not written: mutation refused');
    throw auditUnavailable();
  }
  (ctx.auditedFields ??= new Set()).add(entry.field);
  const complete = async (completion: AuditCompletion) => {
    try {
      await store.audit.completeAuditEvent(pending.id, completion);
    } catch (err) {
      // The change may have happened: the PENDING row records the attempt.
      logger.error({ err, requestId: ctx.requestId, auditId: pending.id }, 'audit row left PENDING');
    }
  };
  let done: AuditedOutcome<T>;
  try {
    done = await run(pending.id);
  } catch (err) {
    const code = codeOf(err);
    await complete({ outcome: code === 'FORBIDDEN' ? 'DENIED' : 'FAILURE', errorCodes: [code] });
    throw err;
  }
  await complete({ outcome: done.outcome, errorCodes: done.errorCodes ?? [], details: done.details ?? null });
  return done.result;
}
