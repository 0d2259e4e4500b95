/**
 * Trusted documents (ADMIN): register a manifest, list, remove. The registry (src/documents/) does
 * the verifying, validating and storing; every change is audited.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { ManifestError } from '../../documents/manifest.js';
import { badInput } from '../../errors.js';
import { withAudit } from '../audit.js';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badInput('"manifest" is not JSON.', { argument: 'input.manifest' });
  }
}

export const documentsResolvers: Resolvers = {
  Query: {
    persistedDocuments: (_root, { apiGroup, api, clientName }, ctx) =>
      ctx.services.documents.list({ apiGroup: apiGroup ?? undefined, api: api ?? undefined, clientName: clientName ?? undefined }),
  },
  Mutation: {
    registerPersistedDocuments: (_root, { input }, ctx) =>
      withAudit(
        ctx,
        { field: 'registerPersistedDocuments', targets: [{ type: 'PersistedDocumentClient', id: input.clientName }], variables: { clientName: input.clientName, apiGroup: input.apiGroup ?? null, api: input.api ?? null } },
        async () => {
          if (input.apiGroup?.trim() && input.api?.trim()) {
            throw badInput('Register documents under an API group or under an API, not both.', { argument: 'input.api' });
          }
          const manifest = parseJson(input.manifest);
          try {
            const result = await ctx.services.documents.register(manifest, { clientName: input.clientName, apiGroup: input.apiGroup, api: input.api, createdBy: ctx.principal.email });
            const details = { created: result.created.length, unchanged: result.unchanged.length, updated: result.updated.length };
            return { result, outcome: 'SUCCESS', details };
          } catch (err) {
            if (err instanceof ManifestError) throw badInput(err.message, { argument: 'input.manifest', problems: err.problems });
            throw err;
          }
        },
      ),
    removePersistedDocument: (_root, { hash }, ctx) =>
      withAudit(ctx, { field: 'removePersistedDocument', targets: [{ type: 'PersistedDocument', id: hash.slice(0, 80) }] }, async () => {
        const removed = await ctx.services.documents.remove(hash);
        return { result: { hash, removed }, outcome: removed ? 'SUCCESS' : 'FAILURE', errorCodes: removed ? [] : ['NOT_FOUND'] };
      }),
  },
  PersistedDocument: {
    createdAt: (d) => d.createdAt.toISOString(),
    problems: (d) => d.problems,
  },
};
