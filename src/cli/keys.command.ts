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
 * refused when used. While a gateway owns the embedded database the command runs through it
 * (with-store.ts). Exit codes: 0 done, 2 usage, 3 database in use (nothing changed).
 */
import { parseArgs } from 'node:util';
import { failure, type CliIo, type Fail } from './cli-io.js';
import { withStore } from './with-store.js';

const USAGE = `usage:
  npm run keys -- create --owner <email> --kind EXTERNAL_USER|HARMONY_USER [--label <text>] [--expires <ISO instant>]
  npm run keys -- list [--owner <email>] [--all]
  npm run keys -- revoke <id>`;

/** The command: `argv` after `npm run keys --`; its promise is the exit code. */
export async function keysCommand(argv: readonly string[], io: CliIo): Promise<number> {
  // Typed here: TypeScript narrows after a call only through a declared `never` function.
  const fail: Fail = failure(io, USAGE);
  const { positionals, values } = parseArgs({
    args: [...argv],
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
  if (command !== 'create' && command !== 'list' && command !== 'revoke') fail(command ? `unknown command "${command}".` : 'a command is required.');
  const owner = values.owner?.trim();
  const expiresAt = values.expires ? new Date(values.expires) : null;
  if (command === 'create') {
    if (!owner || !owner.includes('@')) fail('--owner <email> is required.');
    if (values.kind !== 'EXTERNAL_USER' && values.kind !== 'HARMONY_USER') fail('--kind must be EXTERNAL_USER or HARMONY_USER.');
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) fail('--expires must be a future ISO instant.');
  }
  if (command === 'revoke' && !rest[0]) fail('revoke needs the key id (see list).');
  await withStore(io, fail, 'npm run keys', async (store) => {
    if (command === 'create') {
      const kind = values.kind === 'EXTERNAL_USER' ? 'EXTERNAL_USER' : 'HARMONY_USER';
      const created = await store.createKey({ ownerEmail: owner ?? '', kind, label: values.label ?? '', expiresAt });
      io.stdout.write(`id:  ${created.id}\nkey: ${created.key}\n(shown once: only its hash is stored)\n`);
    } else if (command === 'list') {
      const keys = await store.listKeys({ ownerEmail: values.owner, includeRevoked: values.all ?? false });
      for (const k of keys) io.stdout.write(`${k.id}  ${k.prefix}…  ${k.kind.padEnd(13)}  ${k.ownerEmail}  ${k.state}  ${k.label}\n`);
      if (keys.length === 0) io.stdout.write('no keys\n');
    } else {
      const id = rest[0] ?? '';
      io.stdout.write((await store.revokeKey(id)) ? `revoked ${id}\n` : `no working key with id ${id}\n`);
    }
  });
  return 0;
}
