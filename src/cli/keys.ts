/**
 * `npm run keys -- <command>`: API keys against the configured database (DATABASE_URL, or the
 * embedded PGlite in DATA_DIR), for operators without a GraphQL client at hand.
 *
 *   create --owner <email> --kind EXTERNAL_USER|HARMONY_USER [--label <text>] [--expires <ISO instant>]
 *   list [--owner <email>] [--all]
 *   revoke <id>
 *
 * The key is printed once by `create`; only its hash is stored. The owner is not checked against
 * Harmony here (no upstream call): a key of someone who is not a user of the organization is
 * refused when used.
 */
import { parseArgs } from 'node:util';
import { createApiKey, list, revoke } from '../store/api-keys.repository.js';
import { withStore } from './with-store.js';

const USAGE = `usage:
  npm run keys -- create --owner <email> --kind EXTERNAL_USER|HARMONY_USER [--label <text>] [--expires <ISO instant>]
  npm run keys -- list [--owner <email>] [--all]
  npm run keys -- revoke <id>`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      owner: { type: 'string' },
      kind: { type: 'string' },
      label: { type: 'string' },
      expires: { type: 'string' },
      all: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  await withStore(fail, async (db) => {
    if (command === 'create') {
      const owner = values.owner?.trim();
      if (!owner || !owner.includes('@')) fail('--owner <email> is required.');
      if (values.kind !== 'EXTERNAL_USER' && values.kind !== 'HARMONY_USER') fail('--kind must be EXTERNAL_USER or HARMONY_USER.');
      const expiresAt = values.expires ? new Date(values.expires) : null;
      if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) fail('--expires must be a future ISO instant.');
      const created = await createApiKey(db, {
        ownerEmail: owner,
        kind: values.kind,
        label: values.label ?? '',
        createdBy: 'cli',
        expiresAt,
      });
      process.stdout.write(`id:  ${created.apiKey.id}\nkey: ${created.plainKey}\n(shown once: only its hash is stored)\n`);
    } else if (command === 'list') {
      const keys = await list(db, { ownerEmail: values.owner, includeRevoked: values.all ?? false });
      for (const k of keys) {
        const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
        process.stdout.write(`${k.id}  ${k.prefix}…  ${k.kind.padEnd(13)}  ${k.ownerEmail}  ${state}  ${k.label}\n`);
      }
      if (keys.length === 0) process.stdout.write('no keys\n');
    } else if (command === 'revoke') {
      const id = rest[0];
      if (!id) fail('revoke needs the key id (see list).');
      process.stdout.write((await revoke(db, id)) ? `revoked ${id}\n` : `no working key with id ${id}\n`);
    } else {
      fail(command ? `unknown command "${command}".` : 'a command is required.');
    }
  });
}

void main();
