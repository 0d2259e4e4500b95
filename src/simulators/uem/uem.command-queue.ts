/**
 * The life of a device command in UEM's queue: Queued when the API accepts it, Sent once the
 * device checks in and picks it up (`sendDelayMs` later on the simulator's clock), then Completed
 * or Failed when the device reports back (`completeDelayMs` after that). The CommandUuid and the
 * outcome are drawn from the seed, the device and the command's sequence number, so a run is
 * reproducible whatever the order of requests; the status is computed when the command is read.
 */
import { Rng, uuidFrom } from '../common/rng.js';
import { formatUemDate } from './uem.dates.js';
import type { CommandRecord, DeviceCommand, UemDevice, UemPlatform } from './uem.types.js';

/**
 * Commands only some platforms take (our choice, after what each platform can do): disk
 * encryption is BitLocker (Windows), FileVault (macOS) or Android's device encryption, while iOS
 * and iPadOS devices are always encrypted; OS updates are Apple's (iOS, macOS) and Windows Update's,
 * not Android's (OEM-specific, outside the command set). Every other command goes to every platform.
 */
export const COMMAND_PLATFORMS: Partial<Record<DeviceCommand, readonly UemPlatform[]>> = {
  EnableDeviceEncryption: ['WinRT', 'AppleOsX', 'Android'],
  InstallOSUpdate: ['Apple', 'AppleOsX', 'WinRT'],
};

export function supportsCommand(device: UemDevice, command: DeviceCommand): boolean {
  const platforms = COMMAND_PLATFORMS[command];
  return platforms === undefined || platforms.includes(device.platform);
}

export interface CommandPolicy {
  seed: number;
  sendDelayMs: number;
  completeDelayMs: number;
  /** Share of commands the device reports as failed, 0..1. */
  failureRate: number;
}

export type CommandStatus = 'Queued' | 'Sent' | 'Completed' | 'Failed';
export const COMMAND_STATUSES: readonly CommandStatus[] = ['Queued', 'Sent', 'Completed', 'Failed'];

/** A new command for the device, accepted at `now`; `sequence` numbers the tenant's commands. */
export function queueCommand(policy: CommandPolicy, device: UemDevice, command: DeviceCommand, via: 'single' | 'bulk', sequence: number, now: number): CommandRecord {
  const rng = new Rng(policy.seed).fork(`command:${device.id}:${sequence}`);
  const uuid = uuidFrom(rng);
  const failed = rng.next() < policy.failureRate;
  const sentAt = now + policy.sendDelayMs;
  return { uuid, deviceId: device.id, command, at: now, via, sentAt, doneAt: sentAt + policy.completeDelayMs, outcome: failed ? 'Failed' : 'Completed' };
}

export function commandStatus(record: CommandRecord, now: number): CommandStatus {
  if (now < record.sentAt) return 'Queued';
  if (now < record.doneAt) return 'Sent';
  return record.outcome;
}

/** The wire shape of one command (our choice of names, v1 style: PascalCase, UEM dates, NEVER for "not yet"). */
export function commandShape(record: CommandRecord, device: UemDevice | undefined, now: number) {
  const status = commandStatus(record, now);
  const reached = status !== 'Queued';
  const done = status === 'Completed' || status === 'Failed';
  return {
    CommandUuid: record.uuid,
    DeviceId: record.deviceId,
    DeviceUuid: device?.uuid ?? '',
    CommandName: record.command,
    Status: status,
    QueuedOn: formatUemDate(record.at),
    SentOn: formatUemDate(reached ? record.sentAt : null),
    CompletedOn: formatUemDate(done ? record.doneAt : null),
    ErrorMessage: status === 'Failed' ? 'The device reported an error while executing the command.' : '',
  };
}
