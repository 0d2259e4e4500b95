/**
 * Snapshots of UEM's whole-tenant reads (issue 17), shared by every gateway instance: the device
 * inventory, the enrollment-user directory, and tag and smart-group membership. One leader (an
 * advisory lock) refreshes them at a cadence derived from UEM's daily quota; every instance reads
 * them. A row carries the generation it was written in, so an instance catches up on an
 * incremental refresh by reading only the newer rows. The columns next to `wire` are what the
 * in-memory index of devices and the lookups of users are built from; `wire` holds the v1 fields
 * the gateway reads (src/datasources/uem/uem.schemas.ts) and is read only for the rows answered.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('uem_snapshots')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('generation', 'bigint', (col) => col.notNull())
    .addColumn('refreshed_at', 'timestamptz', (col) => col.notNull())
    .addColumn('full_refreshed_at', 'timestamptz', (col) => col.notNull())
    .addColumn('item_count', 'integer', (col) => col.notNull())
    .addColumn('upstream_total', 'integer')
    .addColumn('full_refresh_calls', 'integer', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('uem_snapshot_devices')
    .addColumn('id', 'bigint', (col) => col.primaryKey())
    .addColumn('generation', 'bigint', (col) => col.notNull())
    .addColumn('group_id', 'bigint')
    .addColumn('group_name', 'text')
    .addColumn('group_uuid', 'text')
    .addColumn('user_name', 'text')
    .addColumn('platform', 'text')
    .addColumn('model', 'text')
    .addColumn('ownership', 'text')
    .addColumn('compliance_status', 'text')
    .addColumn('enrollment_status', 'text')
    .addColumn('last_seen', 'text')
    .addColumn('wire', 'jsonb', (col) => col.notNull())
    .execute();
  await sql`create index uem_snapshot_devices_user_name_idx on uem_snapshot_devices (lower(user_name))`.execute(db);
  await db.schema.createIndex('uem_snapshot_devices_generation_idx').on('uem_snapshot_devices').column('generation').execute();

  await db.schema
    .createTable('uem_snapshot_users')
    .addColumn('id', 'bigint', (col) => col.primaryKey())
    .addColumn('generation', 'bigint', (col) => col.notNull())
    .addColumn('group_id', 'bigint')
    .addColumn('user_name', 'text')
    .addColumn('email', 'text')
    .addColumn('wire', 'jsonb', (col) => col.notNull())
    .execute();
  await sql`create index uem_snapshot_users_email_idx on uem_snapshot_users (lower(email))`.execute(db);
  await sql`create index uem_snapshot_users_user_name_idx on uem_snapshot_users (lower(user_name))`.execute(db);
  await db.schema.createIndex('uem_snapshot_users_group_idx').on('uem_snapshot_users').column('group_id').execute();

  // Tags and smart groups: the group's record and its member device ids (ascending).
  await db.schema
    .createTable('uem_snapshot_groups')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('group_id', 'bigint', (col) => col.notNull())
    .addColumn('generation', 'bigint', (col) => col.notNull())
    .addColumn('record', 'jsonb', (col) => col.notNull())
    .addColumn('members', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('uem_snapshot_groups_pk', ['kind', 'group_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['uem_snapshot_groups', 'uem_snapshot_users', 'uem_snapshot_devices', 'uem_snapshots']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
