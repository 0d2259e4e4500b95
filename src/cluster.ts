/**
 * Cluster mode (WORKERS > 1): the primary process forks that many workers that share one port
 * (node:cluster), restarts a worker that dies unexpectedly (with a back-off), and on SIGTERM or
 * SIGINT asks every worker to drain and waits for all of them. Workers are ordinary gateways:
 * stateless, sharing one Postgres (migrations run under an advisory lock, so they may start at once).
 */
import cluster from 'node:cluster';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

export function runPrimary(config: Config, logger: Logger): void {
  let stopping = false;
  const restarts: number[] = [];
  const fork = () => cluster.fork();
  for (let i = 0; i < config.workers; i++) fork();
  process.stdout.write(`UEM–Harmony Gateway: ${config.workers} workers on http://${config.host}:${config.port}\n`);

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('all workers stopped');
        process.exit(0);
      }
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && now - (restarts[0] as number) > 60_000) restarts.shift();
    logger.error({ pid: worker.process.pid, code, signal }, 'worker exited; restarting');
    // More than five deaths a minute is a crash loop: back off instead of spinning.
    setTimeout(fork, restarts.length > 5 ? 5_000 : 0);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export const isClusterPrimary = (config: Config) => config.workers > 1 && cluster.isPrimary;
