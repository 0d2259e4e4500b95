/**
 * What every route module receives: the live state, the settings the simulator was started with,
 * and `route()`, which registers a UEM API route behind the tenant code, authentication, the daily
 * quota and the permission check of its category.
 */
import type { Handler } from '../common/router.js';
import type { PermissionCategory } from './uem.permissions.js';
import type { UemState } from './uem.state.js';
import type { DeviceCommand } from './uem.types.js';

/** Max devices per bulk call, as `GET /API/mdm/devices/bulksettings` reports them. */
export interface BulkSettings {
  SendMessage: number;
  EnterpriseWipe: number;
  DeleteDevice: number;
  GPS: number;
  LockDevice: number;
}

export const DEFAULT_BULK_SETTINGS: Readonly<BulkSettings> = {
  SendMessage: 500,
  EnterpriseWipe: 50,
  DeleteDevice: 50,
  GPS: 500,
  LockDevice: 500,
};

/**
 * Which bulk setting limits which bulk write (our choice): the wipes by their own settings
 * (DeviceWipe counts as DeleteDevice, the other irreversible action), Lock and ClearPasscode by
 * LockDevice, the query-type commands SyncDevice and DeviceQuery by GPS, and tag or untag by
 * SendMessage, the general-purpose ceiling.
 */
export function bulkLimitFor(target: DeviceCommand | 'Tag', settings: BulkSettings): number {
  switch (target) {
    case 'EnterpriseWipe':
      return settings.EnterpriseWipe;
    case 'DeviceWipe':
      return settings.DeleteDevice;
    case 'Lock':
    case 'ClearPasscode':
    case 'EnableDeviceEncryption':
    case 'InstallOSUpdate':
      return settings.LockDevice;
    case 'SyncDevice':
    case 'DeviceQuery':
      return settings.GPS;
    case 'Tag':
      return settings.SendMessage;
    default: {
      const never: never = target;
      throw new Error(`no bulk limit for ${String(never)}`);
    }
  }
}

/** Most ids `POST /API/mdm/devices/id` takes in one call (more is a 400). */
export const MAX_IDS_PER_READ = 500;

export interface UemRouteContext {
  state: UemState;
  bulkSettings: BulkSettings;
  /** Registers a route; `category` null means no permission category is needed. */
  route(method: 'GET' | 'POST' | 'PUT' | 'DELETE', template: string, category: PermissionCategory | null, handler: Handler): void;
}
