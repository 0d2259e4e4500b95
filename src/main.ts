/**
 * Process entry: configuration → application → listen → graceful drain on SIGTERM/SIGINT. With
 * WORKERS > 1 this process is the cluster primary and each worker runs this same entry.
 */
import { ConfigError, loadConfig } from './config.js';
import { startApp, type RunningApp } from './app.js';
import { createLogger } from './logger.js';
import { isClusterPrimary, runPrimary } from './cluster.js';
import { watchParent } from './bootstrap/parent-watch.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // Started by `npm start`: stop as on SIGTERM if npm is gone without passing a signal on.
  watchParent(process.argv, () => {
    logger.warn('the process that started the gateway is gone: stopping');
    process.kill(process.pid, 'SIGTERM');
  });
  if (isClusterPrimary(config)) {
    runPrimary(config, logger);
    return;
  }
  // Signals are handled from here on: one that comes during start-up stops the gateway as soon as
  // it is up (closing the database cleanly) instead of killing the process half-way.
  let app: RunningApp | undefined;
  let stopping = false;
  const close = (running: RunningApp) =>
    running
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, app ? 'shutting down: draining in-flight requests' : 'shutting down once start-up ends');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5_000);
    force.unref();
    if (app) void close(app);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    app = await startApp(config, { logger, batching: config.batching });
  } catch (err) {
    process.stderr.write(`The gateway could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    logger.flush();
    process.exit(1);
  }
  if (stopping) return void close(app);
  process.stdout.write(app.banner);
}

void main();
