import { describe, expect, it } from 'vitest';
import { unsupportedReason } from '../../../src/domain/command-support.js';

describe('which platforms take which command', () => {
  it('takes every other command on every platform', () => {
    for (const platform of ['APPLE', 'ANDROID', 'WINDOWS', 'MACOS', 'OTHER'] as const) {
      for (const command of ['SYNC', 'QUERY', 'LOCK', 'CLEAR_PASSCODE', 'ENTERPRISE_WIPE', 'DEVICE_WIPE'] as const) {
        expect(unsupportedReason(command, platform)).toBeNull();
      }
    }
  });

  it('takes disk encryption on Windows, macOS and Android; OS updates on iOS, macOS and Windows', () => {
    const takers = (command: 'ENABLE_DEVICE_ENCRYPTION' | 'INSTALL_OS_UPDATE') =>
      (['APPLE', 'ANDROID', 'WINDOWS', 'MACOS', 'OTHER'] as const).filter((p) => unsupportedReason(command, p) === null);
    expect(takers('ENABLE_DEVICE_ENCRYPTION')).toEqual(['ANDROID', 'WINDOWS', 'MACOS']);
    expect(takers('INSTALL_OS_UPDATE')).toEqual(['APPLE', 'WINDOWS', 'MACOS']);
  });

  it('says why, naming the platforms that do take it', () => {
    expect(unsupportedReason('ENABLE_DEVICE_ENCRYPTION', 'APPLE')).toBe(
      'ENABLE_DEVICE_ENCRYPTION is not supported on iOS devices (only Windows, macOS, Android): nothing was sent.',
    );
    expect(unsupportedReason('INSTALL_OS_UPDATE', 'OTHER')).toBe('INSTALL_OS_UPDATE is not supported on this platform (only iOS, macOS, Windows): nothing was sent.');
  });
});
