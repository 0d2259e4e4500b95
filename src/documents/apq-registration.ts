/**
 * APQ registration: a request carrying a hash and the text of a document not stored yet.
 *
 * - It is deferred: the document step only prepares it, and the text is stored once Apollo Server
 *   has accepted the operation (parsed, validated, within every limit: `executionDidStart`). A
 *   document refused for its size, its tokens, its validation or its cost is never stored.
 * - Storing costs the sender a token of its APQ budget (RATE_LIMIT_APQ_BURST,
 *   RATE_LIMIT_APQ_PER_MINUTE, per principal, shared by every instance). Past it the document has
 *   run, as free text would, but is not stored: a client keeps working, a flood of distinct
 *   documents fills nothing.
 * - The store is bounded (the registry evicts, least recently used first, to APQ_MAX_*).
 *
 * `gateway_apq_registrations_total{outcome}` counts stored and limited registrations.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RateLimit } from '../config.js';
import type { GraphQLContext } from '../context.js';
import type { Logger } from '../logger.js';
import { TokenLeases, type TakeTokens } from '../safety/token-leases.js';
import type { DocumentRegistry } from './registry.js';

export type ApqOutcome = 'stored' | 'limited';

export interface ApqRegistrationDeps {
  registry: DocumentRegistry;
  limit: RateLimit;
  takeTokens: TakeTokens;
  logger: Logger;
  onOutcome?(outcome: ApqOutcome): void;
}

export interface ApqRegistration {
  /** The registration of this request's document, to run once its operation is accepted. */
  claim(ctx: GraphQLContext, hash: string, text: string): () => Promise<void>;
  /** Runs the registration of accepted operations (`executionDidStart`). */
  plugin(): ApolloServerPlugin<GraphQLContext>;
}

export function createApqRegistration(deps: ApqRegistrationDeps): ApqRegistration {
  const leases = new TokenLeases();
  const count = (outcome: ApqOutcome) => deps.onOutcome?.(outcome);
  return {
    claim(ctx, hash, text) {
      let done = false;
      return async () => {
        if (done) return; // an export's later pages
        done = true;
        const { kind, email } = ctx.principal;
        try {
          const token = await leases.take(`apq:${kind}:${email.toLowerCase()}`, deps.limit, deps.takeTokens);
          if (!token.allowed) {
            count('limited');
            deps.logger.debug({ requestId: ctx.requestId, documentHash: hash }, "APQ registration over the caller's budget: the document ran without being stored");
            return;
          }
          await deps.registry.apqPut(hash, text);
          count('stored');
        } catch (err) {
          deps.logger.error({ err, requestId: ctx.requestId, documentHash: hash }, 'APQ document not stored');
        }
      };
    },

    plugin() {
      return {
        async requestDidStart() {
          return {
            async executionDidStart(rc) {
              await rc.contextValue.document?.register?.();
            },
          };
        },
      };
    },
  };
}
