export { migrations } from './list.js';
export { migrateToLatest, pendingMigrations, MigrationError, type MigrateOptions, type MigrationSummary } from './migrator.js';
