/**
 * How an export says no. Before the first byte: an HTTP status and a GraphQL-shaped JSON body
 * `{ "errors": [{ message, extensions: { code, … } }] }` with the contract's codes, as `/graphql`
 * answers. After it: the trailer line (csv.ts), from the first error.
 */
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, httpStatusOf } from '../errors.js';

export class ExportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLFormattedError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'The export failed.');
    this.name = 'ExportRefusal';
  }

  get code(): string {
    const first = this.errors[0];
    return first ? codeOf(first) : ErrorCode.INTERNAL_SERVER_ERROR;
  }
}

export const refuse = (status: number, message: string, extensions: Record<string, unknown> & { code: string }, headers: Record<string, string> = {}) =>
  new ExportRefusal(status, [{ message, extensions }], headers);

export const badExportInput = (message: string, extensions: Record<string, unknown> = {}) =>
  refuse(400, message, { ...extensions, code: ErrorCode.BAD_USER_INPUT });

/** The HTTP status of a request that ends on this code (PERSISTED_QUERY_NOT_FOUND: 404, not APQ's 200). */
export function statusOfCode(code: string): number {
  if (code === ErrorCode.PERSISTED_QUERY_NOT_FOUND) return 404;
  return httpStatusOf[code as ErrorCode] ?? 500;
}

export function codeOf(error: GraphQLFormattedError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** A refusal carrying the errors of a GraphQL response; the status is Apollo's when it is an error status. */
export function refusalOf(errors: readonly GraphQLFormattedError[], status: number | undefined, headers: Record<string, string> = {}): ExportRefusal {
  const list = errors.length > 0 ? errors : [{ message: 'The export failed.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }];
  const httpStatus = status !== undefined && status >= 400 ? status : statusOfCode(codeOf(list[0] as GraphQLFormattedError));
  return new ExportRefusal(httpStatus, list, headers);
}
