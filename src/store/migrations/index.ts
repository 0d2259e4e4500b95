export { migrations } from './list.js';
export { migrateToLatest, pendingMigrations } from './migrator.js';
