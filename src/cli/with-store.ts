/**
 * What every store CLI (keys, documents, audit) does around its command: read the configuration
 * (a problem is a usage failure, exit 2), then find where its command may run (issue 16):
 *
 * - Postgres (DATABASE_URL): on the database, which any number of processes share.
 * - The embedded PGlite, held by a running gateway: through that gateway's admin socket, so the
 *   gateway serves the change at once and the database keeps one owner.
 * - The embedded PGlite, free: on the database, holding its lock meanwhile (a gateway starting in
 *   the meantime refuses to start until the command is done).
 *
 * When the database is held by a process that does not answer on the admin socket, the command
 * refuses with exit code 3 and changes nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { pingAdminSocket, remoteCommands } from '../admin/admin-client.js';
import { adminSocketPath } from '../admin/socket-path.js';
import { directCommands, type StoreCommands } from '../admin/store-commands.js';
import { createLogger } from '../logger.js';
import { createDatabase, currentHolder, DataDirInUseError, migrateToLatest, type LockHolder } from '../store/index.js';
import { CliExit, type CliIo } from './cli-io.js';

/** Exit code when the database is in use by a process that cannot run the command. */
export const EXIT_IN_USE = 3;
/** How long a command waits for a gateway that is starting (it holds the database, its socket is not up yet). */
const STARTING_GATEWAY_WAIT_MS = 20_000;

function refuse(io: CliIo, message: string): never {
  io.stderr.write(`${message}\nNothing was changed.\n`);
  throw new CliExit(EXIT_IN_USE);
}

/** The running gateway's commands, waiting a little for one that is still starting. */
async function throughGateway(io: CliIo, config: Config, holder: LockHolder): Promise<StoreCommands> {
  const socket = adminSocketPath(config.dataDir);
  const deadline = Date.now() + (holder.purpose === 'gateway' ? STARTING_GATEWAY_WAIT_MS : 0);
  for (;;) {
    if (await pingAdminSocket(socket)) return remoteCommands(socket);
    if (Date.now() >= deadline || !currentHolder(config.dataDir)) break;
    await sleep(250);
  }
  return refuse(
    io,
    `${new DataDirInUseError(config.dataDir, holder).message}\n` +
      (holder.purpose === 'gateway'
        ? `The gateway does not answer on its admin socket (${socket}): it may be an older version or still starting. Try again, or use its GraphQL admin mutations.`
        : 'Wait until that command has finished, then try again.'),
  );
}

export async function withStore(io: CliIo, fail: (message: string) => never, purpose: string, run: (commands: StoreCommands) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (!config.databaseUrl) {
    const holder = currentHolder(config.dataDir);
    if (holder) return run(await throughGateway(io, config, holder));
  }
  let store;
  try {
    store = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose });
  } catch (err) {
    // A gateway took the directory between the check and the opening.
    if (err instanceof DataDirInUseError) return run(await throughGateway(io, config, err.holder));
    throw err;
  }
  try {
    await migrateToLatest(store.db);
    const db = store.db;
    // The schema (to validate documents) is loaded only by document commands.
    const registry = async () => {
      const [{ buildSchema }, { DocumentRegistry }] = await Promise.all([import('../bootstrap/schema.js'), import('../documents/registry.js')]);
      return new DocumentRegistry(db, buildSchema(), createLogger('warn'));
    };
    await run(directCommands(db, registry));
  } finally {
    await store.close();
  }
}
