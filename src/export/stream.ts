/**
 * The run of one export once its plan is known: the first page (refusals answered as HTTP errors),
 * the whole-export budget (budget.ts), then the header line and every page in turn, one at a time,
 * until `hasNextPage` is false, the budget would be passed, a page fails (the error trailer), or
 * the client leaves (paging stops; nothing more is fetched or written).
 */
import type { HeaderMap } from '@apollo/server';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext, UpstreamCallCounts } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { budgetFor, choosePageSize, estimateExport, estimatePage, overBudget, pagesFor, pageVariables, type ExportEstimate } from './budget.js';
import { encoderFor, MEDIA_TYPES, trailerLine, type ExportFormat, type ExportTrailer, type RowEncoder } from './csv.js';
import { cellsOf, explodeRow } from './flatten.js';
import { PageFetcher, type ExecuteOperation, type Page } from './paging.js';
import type { ExportPlan } from './plan.js';
import { codeOf, ExportRefusal } from './refusal.js';
import type { ExportSink } from './sink.js';

export interface RunInput {
  config: Config;
  schema: GraphQLSchema;
  logger: Logger;
  plan: ExportPlan;
  format: ExportFormat;
  variables: Record<string, unknown>;
  context: GraphQLContext;
  headers: HeaderMap;
  execute: ExecuteOperation;
  sink: ExportSink;
}

export interface RunSummary {
  status: 'complete' | 'partial' | 'error' | 'aborted';
  rows: number;
  pages: number;
  pageSize: number | undefined;
  estimate: ExportEstimate | undefined;
  upstreamCalls: UpstreamCallCounts;
  errorCode?: string;
}

/** Field errors met along the way, by code (the partial trailer). */
class FieldErrors {
  private readonly byCode = new Map<string, { code: string; count: number; message: string }>();

  add(errors: readonly GraphQLFormattedError[]): void {
    for (const error of errors) {
      const code = codeOf(error);
      const known = this.byCode.get(code);
      if (known) known.count++;
      else this.byCode.set(code, { code, count: 1, message: error.message });
    }
  }

  get list() {
    return [...this.byCode.values()];
  }
}

function fileName(plan: ExportPlan, format: ExportFormat): string {
  const base = (plan.operationName ?? plan.path.join('-')).replace(/[^\w.-]+/g, '_') || 'export';
  return `${base}.${format === 'csv' ? 'csv' : 'jsonl'}`;
}

export async function runExport(input: RunInput): Promise<RunSummary> {
  const { config, schema, plan, format, variables, context, sink } = input;
  const budget = budgetFor(config, context);
  const knowledge = () => context.loaders.uem.tenant.knowledge();
  const pageSize = choosePageSize(schema, plan, variables, config, budget.cost === undefined, knowledge());
  const fetcher = new PageFetcher({ execute: input.execute, plan, variables, pageSize, context, headers: input.headers, signal: sink.signal });
  const summary: RunSummary = { status: 'complete', rows: 0, pages: 0, pageSize, estimate: undefined, upstreamCalls: fetcher.upstreamCalls };

  // Before the first byte: a refusal of the first page, or of the whole export, is an HTTP error.
  const first = await fetcher.fetch(null, false);
  summary.pages = fetcher.pages;
  if (!first || sink.aborted) return { ...summary, status: 'aborted' };
  const size = pageSize ?? first.rows.length;
  const firstPage = estimatePage(schema, plan, pageVariables(plan, variables, pageSize, null), config.maxPageSize, knowledge());
  const laterPage = estimatePage(schema, plan, pageVariables(plan, variables, pageSize, 'cursor'), config.maxPageSize, knowledge());
  const quota = () => context.services.uem.health().quotaRemaining;
  const estimateOf = (pages: number) => estimateExport(firstPage, laterPage, pages, first.totalCount, size);
  if (first.totalCount !== undefined) {
    summary.estimate = estimateOf(pagesFor(first.totalCount, size));
    const over = overBudget(summary.estimate, budget, quota());
    if (over) throw new ExportRefusal(400, [over]);
  }

  const headers: Record<string, string> = {
    'content-type': MEDIA_TYPES[format],
    'content-disposition': `attachment; filename="${fileName(plan, format)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    trailer: 'x-export-status, x-export-rows',
  };
  if (first.totalCount !== undefined) headers['x-export-total-count'] = String(first.totalCount);
  if (size > 0) headers['x-export-page-size'] = String(size);
  sink.start(200, headers);
  const encoder = encoderFor(format, plan.columns);
  await sink.push(encoder.header());

  const fieldErrors = new FieldErrors();
  let page: Page = first;
  let trailer: ExportTrailer | undefined;
  for (;;) {
    summary.rows += await writeRows(sink, encoder, plan, page);
    fieldErrors.add(page.fieldErrors);
    await sink.flush();
    if (sink.aborted) return { ...summary, status: 'aborted', pages: fetcher.pages };
    const cursor = page.endCursor;
    if (!page.hasNextPage || cursor === null || page.rows.length === 0) break;
    // Never fetch a page that would take the export over its budget (no totalCount, or it grew).
    const over = overBudget(estimateOf(fetcher.pages + 1), budget, quota());
    if (over) {
      trailer = errorTrailer(over);
      break;
    }
    try {
      const next = await fetcher.fetch(cursor, true);
      if (!next || sink.aborted) return { ...summary, status: 'aborted', pages: fetcher.pages };
      if (next.endCursor === cursor) throw new Error(`the connection did not advance past cursor ${cursor}`);
      page = next;
    } catch (err) {
      // The client left while the page waited for a slot or ran: stop quietly.
      if (sink.aborted) return { ...summary, status: 'aborted', pages: fetcher.pages };
      trailer = err instanceof ExportRefusal ? errorTrailer(err.errors[0]) : unexpected(err, input);
      break;
    }
  }
  summary.pages = fetcher.pages;
  const partial = fieldErrors.list;
  if (!trailer && partial.length > 0) trailer = { status: 'partial', rows: 0, pages: 0, fieldErrors: partial };
  if (trailer) {
    Object.assign(trailer, { rows: summary.rows, pages: summary.pages });
    await sink.push(trailerLine(format, trailer));
    summary.status = trailer.status;
    summary.errorCode = trailer.error?.code;
  }
  await sink.end({ 'x-export-status': summary.status, 'x-export-rows': String(summary.rows) });
  return summary;
}

async function writeRows(sink: ExportSink, encoder: RowEncoder, plan: ExportPlan, page: Page): Promise<number> {
  let rows = 0;
  for (const node of page.rows) {
    for (const row of explodeRow(node, plan.explode)) {
      await sink.push(encoder.row(cellsOf(row, plan.columns)));
      rows++;
    }
    if (sink.aborted) break;
  }
  return rows;
}

function errorTrailer(error: GraphQLFormattedError | undefined): ExportTrailer {
  const { code: _code, ...extensions } = error?.extensions ?? {};
  return {
    status: 'error',
    rows: 0,
    pages: 0,
    error: { ...extensions, code: error ? codeOf(error) : ErrorCode.INTERNAL_SERVER_ERROR, message: error?.message ?? 'The export failed.' },
  };
}

function unexpected(err: unknown, input: RunInput): ExportTrailer {
  const requestId = input.context.requestId;
  input.logger.error({ err, requestId }, 'export failed mid-stream');
  return { status: 'error', rows: 0, pages: 0, error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error.', requestId } };
}
