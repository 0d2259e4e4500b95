/**
 * Bulk writes (docs/upstreams/uem.md): a BulkValues body, chunked at the bulk limit UEM reports for the
 * kind of action, and a BulkResponse per chunk that is HTTP 200 even when items failed. Every item
 * asked for comes back with a result: accepted, failed with UEM's fault code, or failed with the
 * contract code of a chunk that failed as a whole. Messages are ours, never UEM's text.
 */
import { UpstreamError } from '../../errors.js';
import type { UemBulkResponse, UemBulkSettings } from './uem.schemas.js';

export const DEVICE_COMMANDS = [
  'SyncDevice',
  'DeviceQuery',
  'Lock',
  'ClearPasscode',
  'EnterpriseWipe',
  'DeviceWipe',
  'EnableDeviceEncryption',
  'InstallOSUpdate',
] as const;
export type UemDeviceCommand = (typeof DEVICE_COMMANDS)[number];

export interface BulkItemResult {
  /** The item as sent (a device id). */
  item: string;
  status: 'ACCEPTED' | 'FAILED';
  /** UEM's fault code (e.g. 5061) or, when the whole call failed, the contract code. Null when accepted. */
  errorCode: string | null;
  message: string | null;
}

/** v1 bodies of bulk calls. */
export const bulkValues = (values: readonly string[]) => ({ BulkValues: { Value: values } });

/** Used when UEM does not report a limit (its documented default). */
export const DEFAULT_BULK_LIMIT = 500;

/**
 * Which bulk setting caps which action: each wipe by its own (DeviceWipe by DeleteDevice, the other
 * irreversible action), Lock, ClearPasscode and the remediation commands (EnableDeviceEncryption,
 * InstallOSUpdate: they change the device's state too) by LockDevice, Sync and Query by GPS, tagging by
 * SendMessage, the general ceiling. Agreed with the simulator (`uem.context.ts`).
 */
export function bulkLimitFor(action: UemDeviceCommand | 'Tag', settings: UemBulkSettings): number {
  const byAction: Record<UemDeviceCommand | 'Tag', number | null> = {
    EnterpriseWipe: settings.enterpriseWipe,
    DeviceWipe: settings.deleteDevice,
    Lock: settings.lockDevice,
    ClearPasscode: settings.lockDevice,
    EnableDeviceEncryption: settings.lockDevice,
    InstallOSUpdate: settings.lockDevice,
    SyncDevice: settings.gps,
    DeviceQuery: settings.gps,
    Tag: settings.sendMessage,
  };
  return byAction[action] ?? DEFAULT_BULK_LIMIT;
}

const FAULT_MESSAGES: Record<string, string> = {
  '5061': 'Device not found.',
  '5073': 'Over the bulk limit of one call.',
  '5075': 'Device is not enrolled.',
};

/** Per-item results of one chunk from its BulkResponse. */
export function resultsFromBulk(values: readonly string[], response: UemBulkResponse | undefined): BulkItemResult[] {
  const faults = new Map<string, string>();
  for (const fault of response?.Faults ?? []) {
    if (fault.ItemValue !== null) faults.set(fault.ItemValue.trim(), fault.ErrorCode === null || fault.ErrorCode === undefined ? 'UNKNOWN' : String(fault.ErrorCode));
  }
  return values.map((item) => {
    const code = faults.get(item);
    if (code === undefined) return { item, status: 'ACCEPTED', errorCode: null, message: null };
    return { item, status: 'FAILED', errorCode: code, message: FAULT_MESSAGES[code] ?? 'UEM refused this item.' };
  });
}

/** Per-item results of a chunk whose call failed as a whole. */
export function resultsFromFailure(values: readonly string[], error: unknown): BulkItemResult[] {
  if (!(error instanceof UpstreamError)) throw error;
  return values.map((item) => ({ item, status: 'FAILED', errorCode: error.code, message: error.message }));
}
