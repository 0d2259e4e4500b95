/**
 * Batch functions report how many keys each batch carried (the `gateway_loader_batch_size`
 * histogram): the figure that shows batching at work in production, not only in the benchmark.
 */
import type { BatchLoadFn } from 'dataloader';

export type BatchObserver = (loader: string, keys: number) => void;

export function observed<K, V>(loader: string, onBatch: BatchObserver | undefined, fn: BatchLoadFn<K, V>): BatchLoadFn<K, V> {
  if (!onBatch) return fn;
  return (keys) => {
    onBatch(loader, keys.length);
    return fn(keys);
  };
}
