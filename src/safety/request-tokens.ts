/**
 * The rate-limit token of a request, taken at the door: once the caller is authenticated and
 * before anything reads its document (the document step, parsing, validation, an audit row of a
 * refusal). So a request costs its sender a token whatever happens to it next, for every principal
 * kind: a flood of documents that fail validation, of refused partner mutations or of APQ
 * registrations is answered 429 past the burst like any other traffic.
 *
 * The door's token pays for the request's first operation; an export's later pages each take one
 * more (`forOperation`), as do operations run without passing the door (`executeOperation`). A
 * document that costs more than most to read pays more (`charge`, from the validation gate).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import { checkRateLimits } from './rate-limit.js';
import { TokenLeases } from './token-leases.js';

/** Headers as both Node and Apollo hold them. */
type Headers = { get(name: string): string | undefined };

export interface RequestTokens {
  /**
   * Takes the request's token before its document is read; marks the context so its first
   * operation spends this token. Returns the RATE_LIMITED refusal past the burst.
   */
  admit(ctx: GraphQLContext, headers: IncomingHttpHeaders): Promise<GraphQLError | undefined>;
  /** For each operation about to execute: the door's token if still unspent, otherwise a new one. */
  forOperation(ctx: GraphQLContext, headers: Headers): Promise<GraphQLError | undefined>;
  /** `extra` more tokens for a request that costs more than most (a large or validation-heavy document). */
  charge(ctx: GraphQLContext, headers: IncomingHttpHeaders, extra: number): Promise<GraphQLError | undefined>;
}

const nodeHeaders = (headers: IncomingHttpHeaders): Headers => ({
  get(name) {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

export function createRequestTokens(config: Config): RequestTokens {
  const leases = new TokenLeases();
  const limits = config.safety.rateLimits;
  return {
    async admit(ctx, headers) {
      const refused = await checkRateLimits(ctx, limits, nodeHeaders(headers), leases);
      if (!refused) ctx.requestToken = { unspent: true };
      return refused;
    },
    async forOperation(ctx, headers) {
      if (ctx.requestToken?.unspent) {
        ctx.requestToken.unspent = false;
        return undefined;
      }
      return checkRateLimits(ctx, limits, headers, leases);
    },
    charge(ctx, headers, extra) {
      return extra > 0 ? checkRateLimits(ctx, limits, nodeHeaders(headers), leases, extra) : Promise.resolve(undefined);
    },
  };
}
