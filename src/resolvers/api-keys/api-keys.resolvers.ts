/**
 * API keys (ADMIN): created for an existing owner (an external user or a Harmony user of the
 * organization), shown once, stored as a hash, revocable at once. Every change is audited.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { badInput } from '../../errors.js';
import { withAudit } from '../audit.js';

export const apiKeysResolvers: Resolvers = {
  Query: {
    apiKeys: (_root, { ownerEmail, includeRevoked }, ctx) =>
      ctx.services.store.apiKeys.list({ ownerEmail: ownerEmail ?? undefined, includeRevoked: includeRevoked ?? false }),
  },
  Mutation: {
    createApiKey: (_root, { input }, ctx) =>
      withAudit(ctx, { field: 'createApiKey', targets: [{ type: 'ApiKeyOwner', id: input.ownerEmail.toLowerCase() }], variables: { kind: input.kind, label: input.label ?? null } }, async () => {
        const email = input.ownerEmail.trim().toLowerCase();
        const owner =
          input.kind === 'EXTERNAL_USER'
            ? (await ctx.loaders.harmony.externalUsers()).find((u) => u.email.toLowerCase() === email)
            : await ctx.loaders.harmony.userByEmail(email);
        if (!owner) throw badInput(`${email} is not ${input.kind === 'EXTERNAL_USER' ? 'an external user' : 'a Harmony user'} of the organization.`, { argument: 'input.ownerEmail' });
        let expiresAt: Date | null = null;
        if (input.expiresAt) {
          expiresAt = new Date(input.expiresAt);
          if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) {
            throw badInput('"expiresAt" must be an instant in the future.', { argument: 'input.expiresAt' });
          }
        }
        const created = await ctx.services.store.apiKeys.createApiKey({
          ownerEmail: email,
          kind: input.kind,
          label: input.label ?? '',
          createdBy: ctx.principal.email,
          expiresAt,
        });
        return { result: { apiKey: created.apiKey, key: created.plainKey }, outcome: 'SUCCESS', details: { apiKeyId: created.apiKey.id } };
      }),
    revokeApiKey: (_root, { id }, ctx) =>
      withAudit(ctx, { field: 'revokeApiKey', targets: [{ type: 'ApiKey', id: id.slice(0, 64) }] }, async () => {
        const revoked = await ctx.services.store.apiKeys.revoke(id);
        return { result: { id, revoked }, outcome: revoked ? 'SUCCESS' : 'FAILURE', errorCodes: revoked ? [] : ['NOT_FOUND'] };
      }),
  },
  ApiKey: {
    createdAt: (k) => k.createdAt.toISOString(),
    expiresAt: (k) => k.expiresAt?.toISOString() ?? null,
    revokedAt: (k) => k.revokedAt?.toISOString() ?? null,
    lastUsedAt: (k) => k.lastUsedAt?.toISOString() ?? null,
  },
};
