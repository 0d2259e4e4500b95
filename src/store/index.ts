/**
 * The store's public surface. Repositories are namespaces (`apiKeys.findActiveByKey(db, key)`):
 * every function takes `db` (or a transaction) first.
 */
export { createDatabase } from './database.js';
export type * from './database.types.js';
export { migrateToLatest, pendingMigrations } from './migrations/index.js';
export { currentHolder } from './data-dir-lock.js';
export { DataDirInUseError, type LockHolder } from './errors.js';
export * as apiKeys from './api-keys.repository.js';
export * as audit from './audit.repository.js';
export * as documents from './documents.repository.js';
export * as idempotency from './idempotency.repository.js';
export * as rateLimits from './rate-limit.repository.js';
export * as snapshots from './snapshots.repository.js';
