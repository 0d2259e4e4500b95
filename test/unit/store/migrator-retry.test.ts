import type { MigrationResultSet } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateRetryingForeignDrops } from '../../../src/store/migrations/migrator.js';

/** Postgres's error when a schema named in a query is gone (what pg hands kysely). */
const schemaGone = (name: string) => Object.assign(new Error(`schema "${name}" does not exist`), { code: '3F000' });

/** A migrator answering the given outcomes in turn, counting its calls. */
function migratorAnswering(...outcomes: MigrationResultSet[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async migrateToLatest(): Promise<MigrationResultSet> {
      return outcomes[Math.min(calls++, outcomes.length - 1)]!;
    },
  };
}

const applied: MigrationResultSet = { results: [{ migrationName: '0001_initial', direction: 'Up', status: 'Success' }] };

describe('migrations when another schema is dropped meanwhile', () => {
  it('tries again when kysely\'s table listing met another schema being dropped', async () => {
    const migrator = migratorAnswering({ error: schemaGone('test_other') }, applied);
    expect(await migrateRetryingForeignDrops(migrator, 'ours')).toEqual(applied);
    expect(migrator.calls).toBe(2);
  });

  it('gives up after three attempts, with the error', async () => {
    const migrator = migratorAnswering({ error: schemaGone('test_other') });
    expect((await migrateRetryingForeignDrops(migrator, 'ours')).error).toMatchObject({ code: '3F000' });
    expect(migrator.calls).toBe(3);
  });

  it('fails at once when its own schema is missing, or on any other error, or once migrations ran', async () => {
    for (const outcome of [
      { error: schemaGone('ours') },
      { error: Object.assign(new Error('permission denied'), { code: '42501' }) },
      { error: schemaGone('test_other'), results: [{ migrationName: '0002_x', direction: 'Up', status: 'Error' }] },
    ] as MigrationResultSet[]) {
      const migrator = migratorAnswering(outcome);
      expect(await migrateRetryingForeignDrops(migrator, 'ours')).toBe(outcome);
      expect(migrator.calls).toBe(1);
    }
  });
});
