/**
 * Commands sent to devices (UEM's command history): a page of one device's commands, and one
 * command by its CommandUuid. UEM has no batch read for either: one GET per key, deduplicated per
 * request, at most `perIdConcurrency` in flight; a failure fails only its own key. Never cached
 * across requests: a command's state is what a caller polls for.
 */
import DataLoader from 'dataloader';
import type { UemDeviceCommand } from '../datasources/uem/uem.bulk.js';
import type { UemDeviceCommandRecord } from '../datasources/uem/uem.commands.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemPage } from '../datasources/uem/uem.paging.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import { observed, type BatchObserver } from './observed.js';

export interface CommandPageKey {
  deviceId: string;
  page: number;
  pageSize: number;
  /** Only commands of this kind. */
  command?: UemDeviceCommand;
}

export interface UemCommandLoaderSettings {
  batching: boolean;
  perIdConcurrency: number;
  onBatch?: BatchObserver;
}

const settle = async <V>(fn: () => Promise<V>): Promise<V | Error> => {
  try {
    return await fn();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
};

export function createUemCommandLoaders(uem: UemDatasource, settings: UemCommandLoaderSettings) {
  /** A page of a device's commands, newest first; null when UEM has no such device. */
  const deviceCommandPage = new DataLoader<CommandPageKey, UemPage<UemDeviceCommandRecord> | null, string>(
    observed('uem.deviceCommandPage', settings.onBatch, (keys) =>
      mapConcurrent(keys, settings.perIdConcurrency, (k) => settle(() => uem.deviceCommands(k.deviceId, k.page, k.pageSize, { command: k.command }))),
    ),
    { batch: settings.batching, cacheKeyFn: (k) => `${k.deviceId}:${k.page}:${k.pageSize}:${k.command ?? ''}` },
  );

  /** One command by CommandUuid (case-insensitive); null when UEM knows none. */
  const deviceCommand = new DataLoader<string, UemDeviceCommandRecord | null>(
    observed('uem.deviceCommand', settings.onBatch, (uuids) =>
      mapConcurrent(uuids, settings.perIdConcurrency, (uuid) => settle(() => uem.deviceCommand(uuid))),
    ),
    { batch: settings.batching, cacheKeyFn: (uuid) => uuid.toLowerCase() },
  );

  return { deviceCommandPage, deviceCommand };
}
