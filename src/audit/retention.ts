/**
 * Audit retention: the only thing that ever deletes audit rows. Every `intervalMs` (and once at
 * start) rows older than `days` are deleted in batches of `batchSize` rows, each its own short
 * statement, so retention never holds long locks. `days: 0` keeps everything.
 */
import type { Logger } from '../logger.js';
import type { RetentionResult } from '../store/audit.repository.js';

export interface RetentionOptions {
  days: number;
  deleteOlderThan(cutoff: Date, batchSize: number): Promise<RetentionResult>;
  logger: Logger;
  intervalMs?: number;
  batchSize?: number;
  now?: () => number;
}

export interface RetentionJob {
  /** One pass; resolves with what it deleted (nothing when retention is off). */
  runOnce(): Promise<RetentionResult>;
  stop(): void;
}

const DAY_MS = 86_400_000;

export function startAuditRetention(options: RetentionOptions): RetentionJob {
  const { days, logger } = options;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 500;
  let running: Promise<RetentionResult> | undefined;
  const runOnce = (): Promise<RetentionResult> => {
    if (days <= 0) return Promise.resolve({ deleted: 0, batches: 0 });
    running ??= (async () => {
      try {
        const cutoff = new Date(now() - days * DAY_MS);
        const result = await options.deleteOlderThan(cutoff, batchSize);
        if (result.deleted > 0) logger.info({ ...result, cutoff: cutoff.toISOString() }, 'audit retention: old rows deleted');
        return result;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const tick = () => void runOnce().catch((err: unknown) => logger.error({ err }, 'audit retention failed; will retry'));
  const timer = days > 0 ? setInterval(tick, options.intervalMs ?? 3_600_000) : undefined;
  timer?.unref();
  if (days > 0) setImmediate(tick).unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
