/**
 * `npm run documents -- <command>`: trusted documents against the configured database
 * (DATABASE_URL, or the embedded PGlite in DATA_DIR), for build pipelines and operators.
 *
 *   push <manifest.json> --client <name> [--api-group <name> | --api <id or name>]
 *   list [--client <name>] [--api-group <name>] [--api <id or name>]
 *   remove <hash>
 *
 * `push` accepts both manifest formats (a flat { sha256: document } map, or Apollo's
 * apollo-persisted-query-manifest v1), verifies every hash, validates every document against the
 * current schema, and stores all of them or none. Pushing the same manifest twice changes nothing.
 * While a gateway owns the embedded database the command runs through it (with-store.ts).
 * Exit codes: 0 done, 1 manifest rejected, 2 usage, 3 database in use (nothing changed).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ManifestError } from '../documents/manifest.js';
import { failure, type CliIo, type Fail } from './cli-io.js';
import { withStore } from './with-store.js';

const USAGE = `usage:
  npm run documents -- push <manifest.json> --client <name> [--api-group <name> | --api <id or name>]
  npm run documents -- list [--client <name>] [--api-group <name>] [--api <id or name>]
  npm run documents -- remove <hash>`;

/** A listed document's scope: its API group, `api:<api>`, or `-`. */
const scope = (d: { apiGroup: string | null; api: string | null }) => d.apiGroup ?? (d.api ? `api:${d.api}` : '-');

function readManifest(path: string | undefined, fail: Fail): unknown {
  if (!path) fail('push needs the manifest file.');
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${path} as JSON: ${(err as Error).message}`, 1);
  }
}

/** The command: `argv` after `npm run documents --`; its promise is the exit code. */
export async function documentsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  // Typed here: TypeScript narrows after a call only through a declared `never` function.
  const fail: Fail = failure(io, USAGE);
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { client: { type: 'string' }, 'api-group': { type: 'string' }, api: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  if (command !== 'push' && command !== 'list' && command !== 'remove') fail(command ? `unknown command "${command}".` : 'a command is required.');
  const manifest = command === 'push' ? readManifest(rest[0], fail) : undefined;
  const client = values.client?.trim();
  if (command === 'push' && !client) fail('--client <name> is required.');
  if (command === 'push' && values['api-group'] && values.api) fail('give --api-group or --api, not both: a document is registered under one of them.');
  if (command === 'remove' && !rest[0]) fail('remove needs the document hash (see list).');
  await withStore(io, fail, 'npm run documents', async (store) => {
    if (command === 'push') {
      try {
        const result = await store.pushDocuments(manifest, { clientName: client ?? '', apiGroup: values['api-group'], api: values.api });
        io.stdout.write(`created ${result.created.length}, unchanged ${result.unchanged.length}, updated ${result.updated.length}\n`);
      } catch (err) {
        if (err instanceof ManifestError) fail(err.message, 1);
        throw err;
      }
    } else if (command === 'list') {
      const documents = await store.listDocuments({ clientName: values.client, apiGroup: values['api-group'], api: values.api });
      for (const d of documents) {
        io.stdout.write(`sha256:${d.hash}  ${d.operationType.padEnd(8)}  ${(d.operationName ?? '(anonymous)').padEnd(28)}  ${d.clientName ?? '-'}  ${scope(d)}\n`);
      }
      if (documents.length === 0) io.stdout.write('no documents\n');
    } else {
      const hash = rest[0] ?? '';
      io.stdout.write((await store.removeDocument(hash)) ? `removed ${hash}\n` : `no document ${hash}\n`);
    }
  });
  return 0;
}
