/**
 * The repositories bound to one database, as the rest of the gateway reaches them (through
 * `ctx.services.store`): resolvers never hold kysely themselves.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.types.js';
import * as apiKeys from './api-keys.repository.js';
import * as audit from './audit.repository.js';
import * as documents from './documents.repository.js';
import * as idempotency from './idempotency.repository.js';
import * as rateLimit from './rate-limit.repository.js';

type DbFn = (db: Kysely<Database>, ...args: never[]) => unknown;
type Rest<F> = F extends (db: Kysely<Database>, ...args: infer A) => infer R ? (...args: A) => R : never;

function bind<M, K extends keyof M>(db: Kysely<Database>, module: M, names: readonly K[]): { [P in K]: Rest<M[P]> } {
  const out = {} as Record<K, unknown>;
  for (const name of names) {
    const fn = module[name] as unknown as DbFn;
    out[name] = (...args: never[]) => fn(db, ...args);
  }
  return out as { [P in K]: Rest<M[P]> };
}

export function boundStore(db: Kysely<Database>) {
  return {
    apiKeys: bind(db, apiKeys, ['createApiKey', 'findActiveByKey', 'revoke', 'touchLastUsed', 'list'] as const),
    audit: bind(db, audit, ['insertAuditEvent', 'completeAuditEvent', 'listAuditEvents', 'streamAuditEvents', 'deleteOlderThan'] as const),
    documents: bind(db, documents, ['upsertDocument', 'getDocumentByHash', 'listDocuments', 'removeDocument', 'getApqDocument', 'putApqDocument', 'apqStoreSize'] as const),
    idempotency: bind(db, idempotency, [
      'claimKey',
      'findKey',
      'listTargets',
      'renewLease',
      'markSending',
      'recordResults',
      'completeKey',
      'releaseKey',
      'interruptKey',
      'takeOverKey',
      'interruptAbandoned',
      'deleteExpiredKeys',
    ] as const),
    rateLimit: bind(db, rateLimit, ['takeTokens', 'deleteIdleBuckets'] as const),
  };
}

export type BoundStore = ReturnType<typeof boundStore>;
