export { migrations } from './list.js';
export { migrateToLatest, pendingMigrations, type MigrateOptions, type MigrationSummary } from './migrator.js';
