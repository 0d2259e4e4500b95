/**
 * Batch functions report how many keys each batch carried (the `gateway_loader_batch_size`
 * histogram, a tracing span per batch): the figure that shows batching at work in production,
 * not only in the benchmark. An observer may answer with a callback told when the batch is done.
 */
import type { BatchLoadFn } from 'dataloader';

export type BatchObserver = (loader: string, keys: number) => (() => void) | undefined | void;

export function observed<K, V>(loader: string, onBatch: BatchObserver | undefined, fn: BatchLoadFn<K, V>): BatchLoadFn<K, V> {
  if (!onBatch) return fn;
  return async (keys) => {
    const done = onBatch(loader, keys.length);
    try {
      return await fn(keys);
    } finally {
      done?.();
    }
  };
}
