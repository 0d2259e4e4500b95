/**
 * Stale answers say so (README, "Stale answers"): when a cached list answered while its upstream
 * failed, the response carries `extensions.stale: [{ upstream, field, ageSeconds }]`. Reads before
 * execution resolved the caller's permissions; execution's reads are the fields' own.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import { copyWith } from '../object-copy.js';

export function staleNoticePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart(rc) {
          rc.contextValue.staleLog.beginExecution();
        },
        async willSendResponse(rc) {
          const { body } = rc.response;
          if (body.kind !== 'single') return;
          const stale = rc.contextValue.staleLog.notices();
          if (stale.length > 0) body.singleResult.extensions = copyWith(body.singleResult.extensions ?? {}, { stale });
        },
      };
    },
  };
}
