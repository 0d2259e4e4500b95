/**
 * `extensions.snapshots`: every response that answered from a UEM snapshot says which and how old
 * (stale while revalidate: a snapshot serves until its refresh lands). A key of its own, apart
 * from `extensions.stale` (cached lists served while an upstream fails) and `extensions.cost`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context.js';
import { copyWith } from '../object-copy.js';

export function snapshotsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          const used = rc.contextValue.loaders?.uem.tenant.snapshotsUsed() ?? [];
          if (used.length === 0) return;
          body.singleResult.extensions = copyWith(body.singleResult.extensions ?? {}, { snapshots: used });
        },
      };
    },
  };
}
