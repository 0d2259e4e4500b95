/**
 * What the audit trail records beyond `withAudit` (which every mutation resolver goes through):
 *
 * - mutations denied before their resolver ran (graphql-shield, at the root field): one DENIED row
 *   per request naming the denied fields, written before the response is sent;
 * - partner reads: who ran which trusted document with the document's scope, and how many objects
 *   came back;
 * - free-text mutations refused before execution (callers without sendFreeText: PERSISTED_QUERY_REQUIRED): one DENIED
 *   row per request with the root fields, read no further than the token limit.
 *
 * These rows take a token of the principal's audit budget (budget.ts; refusals a tighter one): past
 * it they are dropped and counted, and the next row says how many were (`details.suppressedBefore`). Variables are kept
 * redacted and at most VARIABLES_MAX_BYTES long.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { NewAuditEvent } from '../store/audit.repository.js';
import type { JsonValue } from '../store/database.types.js';
import { codeOf } from '../errors.js';
import { redact } from './redact.js';
import { fieldsLabel, mutationFieldsOf } from './refused-fields.js';
import type { AuditRowKind } from './budget.js';

/** Variables of a refusal or read row longer than this (as JSON) are replaced by their size. */
export const VARIABLES_MAX_BYTES = 4096;

const baseOf = (ctx: GraphQLContext, field: string) => ({
  requestId: ctx.requestId,
  principalKind: ctx.principal.kind,
  principalEmail: ctx.principal.email,
  operationName: ctx.operationName ?? null,
  documentHash: ctx.document?.hash ?? null,
  field,
});

/** A row that records a refusal or a read: dropped (and counted) past the principal's audit budget. */
async function write(ctx: GraphQLContext, event: NewAuditEvent, kind: AuditRowKind): Promise<void> {
  const { auditBudget: budget, logger } = ctx.services;
  try {
    if (!(await budget.take(ctx.principal, kind)).allowed) {
      budget.suppress(ctx.principal);
      logger.debug({ requestId: ctx.requestId, field: event.field }, 'audit row dropped: the principal is over its audit budget');
      return;
    }
    const suppressed = budget.drainSuppressed(ctx.principal);
    await ctx.services.store.audit.insertAuditEvent(suppressed > 0 ? { ...event, details: { ...event.details, suppressedBefore: suppressed } } : event);
  } catch (err) {
    logger.error({ err, requestId: ctx.requestId, field: event.field }, 'audit row not written');
  }
}

/** Redacted, and replaced by its size when longer than VARIABLES_MAX_BYTES. */
export function boundedVariables(variables: unknown): JsonValue {
  const redacted = redact(variables);
  const bytes = Buffer.byteLength(JSON.stringify(redacted));
  return bytes > VARIABLES_MAX_BYTES ? { truncated: true, bytes } : redacted;
}

/** The field name behind a root response key (an alias or the name itself). */
function fieldNameAt(selectionSet: SelectionSetNode, key: string): string {
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === key) return s.name.value;
  }
  return key;
}

/** Objects in a response's data, the root excluded: "how many objects came back". */
export function countObjects(value: unknown, root = true): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countObjects(v, false), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return (root ? 0 : 1) + Object.values(value).reduce((n: number, v) => n + countObjects(v, false), 0);
}

/** Whether any root field has data (every root field is nullable: a failed one is null, not `data`). */
/** A partner read's target label: the API group (as registered) or `API <api>` the document is scoped to. */
const scopeLabel = (d: { apiGroup: string | null; api: string | null }): { label?: string } =>
  d.apiGroup ? { label: d.apiGroup } : d.api ? { label: `API ${d.api}` } : {};

const answeredSomething = (data: Record<string, unknown> | null | undefined): boolean =>
  !!data && Object.values(data).some((v) => v !== null);

export function auditPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors(rc) {
          const operation = rc.operation;
          if (operation?.operation !== 'mutation') return;
          const ctx = rc.contextValue;
          const denied: string[] = [];
          for (const error of rc.errors) {
            const key = error.path?.length === 1 ? error.path[0] : undefined;
            if (typeof key !== 'string' || codeOf(error) !== 'FORBIDDEN') continue;
            const field = fieldNameAt(operation.selectionSet, key);
            if (ctx.auditedFields?.has(field)) continue;
            (ctx.auditedFields ??= new Set()).add(field);
            denied.push(field);
          }
          if (denied.length === 0) return;
          await write(ctx, {
            ...baseOf(ctx, fieldsLabel(denied, denied.length)),
            variables: boundedVariables(rc.request.variables ?? null),
            outcome: 'DENIED',
            errorCodes: ['FORBIDDEN'],
            ...(denied.length > 1 ? { details: { fields: denied } } : {}),
          }, 'refusal');
        },
        async willSendResponse(rc) {
          const ctx = rc.contextValue;
          if (!ctx.document?.scopedByDocument || rc.operation?.operation !== 'query') return;
          const body = rc.response.body;
          const result = body.kind === 'single' ? body.singleResult : undefined;
          const hasErrors = (result?.errors?.length ?? 0) > 0;
          const fields = rc.operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '…'));
          await write(ctx, {
            ...baseOf(ctx, fields.join(',')),
            targets: [{ type: 'PersistedDocument', id: ctx.document.hash, ...scopeLabel(ctx.document) }],
            variables: boundedVariables(rc.request.variables ?? null),
            outcome: !hasErrors ? 'SUCCESS' : answeredSomething(result?.data) ? 'PARTIAL' : 'FAILURE',
            errorCodes: [...new Set((result?.errors ?? []).map((e) => codeOf(e)))],
            details: { objects: countObjects(result?.data ?? null) },
          }, 'record');
        },
      };
    },
  };
}

/**
 * Records a refused free-text mutation: one DENIED row per request, its root fields in `field`
 * (cut to a readable length) and in `details.fields`; queries are not recorded.
 */
export async function auditRefusedDocument(ctx: GraphQLContext, text: string | undefined, variables: unknown, code: string): Promise<void> {
  if (text === undefined) return;
  const scanned = mutationFieldsOf(text, ctx.services.config.safety.limits.tokens);
  if (!scanned) return;
  await write(ctx, {
    ...baseOf(ctx, fieldsLabel(scanned.fields, scanned.rootFields)),
    operationName: scanned.operationName,
    documentHash: null,
    variables: boundedVariables(typeof variables === 'string' ? safeJson(variables) : variables),
    outcome: 'DENIED',
    errorCodes: [code],
    details: { fields: scanned.fields, rootFields: scanned.rootFields, ...(scanned.complete ? {} : { readUpToTokenLimit: true }) },
  }, 'refusal');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
