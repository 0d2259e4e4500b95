export { migrations } from './list.js';
export { migrateToLatest, MigrationError, type MigrateOptions, type MigrationSummary } from './migrator.js';
