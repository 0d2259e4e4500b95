/**
 * Between the document step and Apollo Server: what a document may cost before it is validated.
 *
 * - Its size (LIMIT_DOCUMENT_BYTES) is checked before anything parses it.
 * - Its validation work is estimated (validation-work.ts) on a token-limited parse and refused past
 *   LIMIT_VALIDATION_WORK: QUERY_TOO_COMPLEX, `limit: validationWork` (counting stops past the
 *   limit, so `measured` is where it stopped). Registered trusted documents were validated when
 *   they were registered and are not estimated.
 * - A new document heavier than most costs its sender extra rate-limit tokens (`extraTokens`),
 *   taken before it is validated: a flood of large or validation-heavy documents is paid for.
 * - Results are kept per document (sha256 of the text) for this schema, in an LRU bounded by
 *   entries and bytes: a document seen before costs a lookup. Refused ones are answered from it,
 *   with the errors Apollo's validation gave the first time (`recordInvalid`); accepted ones go
 *   straight to Apollo, whose own document store keeps them parsed and validated.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parse, type GraphQLError, type SourceLocation } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import { Lru } from './lru.js';
import { ErrorCode } from '../errors.js';
import { sha256Hex } from '../store/documents.repository.js';
import { firstExceeded, refusalOfError, tooComplex, type Measured, type Refusal } from './refusal.js';
import { validationWork } from './validation-work.js';

/** What the gate answers instead of running the document. */
export type Screened = Refusal;

export interface ValidationGate {
  /** A refusal to send instead of running the document, or undefined to hand it to Apollo. */
  screen(text: string | undefined, ctx: GraphQLContext, headers: IncomingHttpHeaders): Promise<Screened | undefined>;
  /** Apollo's validation refused this document (by the hash Apollo computed, the text's sha256). */
  recordInvalid(hash: string, errors: readonly Error[]): void;
}

type Entry = { ok: true } | { ok: false; refusal: Screened };

const MAX_ENTRIES = 5_000;
/** Bytes of refusals kept (messages and locations); a refusal over a tenth of it is answered, not kept. */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_ENTRY_BYTES = MAX_BYTES / 10;

/** Strips graphql-js's "Did you mean …?" hints (introspection off, and always for partners). */
export const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean(.+?)\?$/, '');

/** A GraphQLError's locations (read by shape: graphql may be loaded twice, as ESM and CommonJS). */
function locationsOf(error: Error): { locations?: SourceLocation[] } {
  const locations = (error as { locations?: unknown }).locations;
  return Array.isArray(locations) ? { locations: locations as SourceLocation[] } : {};
}

function refusalOf(figure: Measured): Screened {
  const error = tooComplex(figure);
  const { http: _http, ...extensions } = error.extensions;
  return { status: 400, errors: [{ message: error.message, extensions }] };
}

/**
 * Rate-limit tokens a new document costs beyond its request's one: one per 500 units of validation
 * work past 2,500, and one per 10 KB past the first 10 KB. Ordinary documents (tens to hundreds of
 * units) cost nothing more; one at the default work limit (10,000) costs 15 more, a 90 KB one 8 more.
 */
export function extraTokens(bytes: number, work: number): number {
  return Math.floor(Math.max(0, work - 2_500) / 500) + Math.floor(Math.max(0, bytes - 10_000) / 10_000);
}

export interface ValidationGateOptions {
  hideSuggestions(ctx: GraphQLContext): boolean;
  /** Takes extra rate-limit tokens (request-tokens.ts); the RATE_LIMITED refusal past the bucket. */
  charge?(ctx: GraphQLContext, headers: IncomingHttpHeaders, extra: number): Promise<GraphQLError | undefined>;
}

export function createValidationGate(config: Config, options: ValidationGateOptions): ValidationGate {
  const { limits } = config.safety;
  const cache = new Lru<Entry>(MAX_ENTRIES, Number.POSITIVE_INFINITY, Date.now, {
    max: MAX_BYTES,
    weigh: (entry) => 64 + (entry.ok ? 0 : JSON.stringify(entry.refusal.errors).length),
  });
  const keep = (hash: string, entry: Entry) => {
    if (entry.ok || JSON.stringify(entry.refusal.errors).length <= MAX_ENTRY_BYTES) cache.set(hash, entry);
  };

  const answer = (refusal: Screened, ctx: GraphQLContext): Screened =>
    options.hideSuggestions(ctx) ? { ...refusal, errors: refusal.errors.map((e) => ({ ...e, message: withoutSuggestions(e.message) })) } : refusal;

  return {
    async screen(text, ctx, headers) {
      if (text === undefined) return undefined;
      const bytes = Buffer.byteLength(text);
      const size = firstExceeded([{ limit: 'documentBytes', max: limits.documentBytes, measured: bytes }]);
      if (size) return refusalOf(size);
      const hash = ctx.document?.hash ?? sha256Hex(text);
      const known = cache.get(hash);
      if (known) return known.ok ? undefined : answer(known.refusal, ctx);
      if (ctx.document?.source === 'persisted') return undefined;
      let work: number;
      try {
        work = validationWork(parse(text, { maxTokens: limits.tokens, noLocation: true }), limits.validationWork);
      } catch {
        return undefined; // a syntax error or too many tokens: Apollo's parse answers it, as cheaply
      }
      const over = firstExceeded([{ limit: 'validationWork', max: limits.validationWork, measured: work }]);
      if (!over) {
        // Paid before it is remembered: each new document's reading is paid for once.
        const limited = await options.charge?.(ctx, headers, extraTokens(bytes, work));
        if (limited) return refusalOfError(limited);
        keep(hash, { ok: true });
        return undefined;
      }
      const refusal = refusalOf(over);
      keep(hash, { ok: false, refusal });
      return refusal;
    },

    recordInvalid(hash, errors) {
      if (errors.length === 0) return;
      const formatted = errors.map((e) => ({
        message: e.message,
        ...locationsOf(e),
        extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'GRAPHQL_VALIDATION_FAILED' },
      }));
      keep(hash, { ok: false, refusal: { status: 400, errors: formatted } });
    },
  };
}
