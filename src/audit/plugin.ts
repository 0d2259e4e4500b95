/**
 * What the audit trail records beyond `withAudit` (which every mutation resolver goes through):
 *
 * - mutations denied before their resolver ran (graphql-shield, at the root field): one DENIED row
 *   per field, written before the response is sent;
 * - partner reads: who ran which trusted document with the document's scope, and how many objects
 *   came back;
 * - free-text mutations refused before execution (partners: PERSISTED_QUERY_REQUIRED).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, parse, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../context.js';
import type { NewAuditEvent } from '../store/audit.repository.js';
import { codeOf } from '../resolvers/audit.js';
import { redact } from './redact.js';

const baseOf = (ctx: GraphQLContext, field: string) => ({
  requestId: ctx.requestId,
  principalKind: ctx.principal.kind,
  principalEmail: ctx.principal.email,
  operationName: ctx.operationName ?? null,
  documentHash: ctx.document?.hash ?? null,
  field,
});

async function write(ctx: GraphQLContext, event: NewAuditEvent): Promise<void> {
  try {
    await ctx.services.store.audit.insertAuditEvent(event);
  } catch (err) {
    ctx.services.logger.error({ err, requestId: ctx.requestId, field: event.field }, 'audit row not written');
  }
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
          for (const error of rc.errors) {
            const key = error.path?.length === 1 ? error.path[0] : undefined;
            if (typeof key !== 'string' || codeOf(error) !== 'FORBIDDEN') continue;
            const field = fieldNameAt(operation.selectionSet, key);
            if (ctx.auditedFields?.has(field)) continue;
            (ctx.auditedFields ??= new Set()).add(field);
            await write(ctx, { ...baseOf(ctx, field), variables: redact(rc.request.variables ?? null), outcome: 'DENIED', errorCodes: ['FORBIDDEN'] });
          }
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
            targets: [{ type: 'PersistedDocument', id: ctx.document.hash, ...(ctx.document.apiGroup ? { label: ctx.document.apiGroup } : {}) }],
            variables: redact(rc.request.variables ?? null),
            outcome: !hasErrors ? 'SUCCESS' : answeredSomething(result?.data) ? 'PARTIAL' : 'FAILURE',
            errorCodes: [...new Set((result?.errors ?? []).map((e) => codeOf(e)))],
            details: { objects: countObjects(result?.data ?? null) },
          });
        },
      };
    },
  };
}

/** Records refused free-text mutations (one DENIED row per root field); queries are not recorded. */
export async function auditRefusedDocument(ctx: GraphQLContext, text: string | undefined, variables: unknown, code: string): Promise<void> {
  if (text === undefined) return;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(text, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return;
  }
  for (const op of operations.filter((o) => o.operation === 'mutation')) {
    for (const s of op.selectionSet.selections) {
      if (s.kind !== Kind.FIELD) continue;
      await write(ctx, {
        ...baseOf(ctx, s.name.value),
        operationName: op.name?.value ?? null,
        documentHash: null,
        variables: redact(typeof variables === 'string' ? safeJson(variables) : variables),
        outcome: 'DENIED',
        errorCodes: [code],
      });
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
