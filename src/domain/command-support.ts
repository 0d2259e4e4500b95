/**
 * Which platforms take which device command. Most commands go to every platform; the remediation
 * commands do not (issue 18): disk encryption is BitLocker (Windows), FileVault (macOS) or
 * Android's device encryption, while iOS and iPadOS devices are always encrypted; OS updates are
 * Apple's (iOS, macOS) and Windows Update's, and Android's are OEM-specific, outside UEM's command
 * set. A device whose platform does not take a command gets a per-device UNSUPPORTED result and is
 * never sent it, so no upstream error stands for it. Pure: the caller passes the device's platform.
 */
import type { DeviceCommand, DevicePlatform } from '../__generated__/resolvers-types.js';

const PLATFORMS: Partial<Record<DeviceCommand, readonly DevicePlatform[]>> = {
  ENABLE_DEVICE_ENCRYPTION: ['WINDOWS', 'MACOS', 'ANDROID'],
  INSTALL_OS_UPDATE: ['APPLE', 'MACOS', 'WINDOWS'],
};

const NAMES: Record<DevicePlatform, string> = { APPLE: 'iOS', ANDROID: 'Android', WINDOWS: 'Windows', MACOS: 'macOS', OTHER: 'this platform' };

/** Null when the platform takes the command; otherwise why not, in a sentence. */
export function unsupportedReason(command: DeviceCommand, platform: DevicePlatform): string | null {
  const platforms = PLATFORMS[command];
  if (platforms === undefined || platforms.includes(platform)) return null;
  const takers = platforms.map((p) => NAMES[p]).join(', ');
  return `${command} is not supported on ${platform === 'OTHER' ? 'this platform' : `${NAMES[platform]} devices`} (only ${takers}): nothing was sent.`;
}
