/**
 * App installs requested through the API: the install goes Pending, then settles to Installed or
 * Failed once `delayMs` has passed on the simulator's clock. The outcome is drawn from the seed,
 * the device, the app and the attempt, so a run is reproducible whatever the order of requests.
 * Settling happens lazily, when the install is read.
 */
import { Rng } from '../common/rng.js';
import type { DeviceAppInstall } from './uem.types.js';

export interface InstallPolicy {
  seed: number;
  delayMs: number;
  /** Share of installs that fail, 0..1. */
  failureRate: number;
}

export function installOutcome(policy: InstallPolicy, deviceId: number, appId: number, attempt: number): 'Installed' | 'Failed' {
  const draw = new Rng(policy.seed).fork(`install:${deviceId}:${appId}:${attempt}`).next();
  return draw < policy.failureRate ? 'Failed' : 'Installed';
}

/** Settles a due Pending install in place; returns it. */
export function settleInstall(install: DeviceAppInstall, now: number): DeviceAppInstall {
  if (install.status === 'Pending' && install.resolveAt !== undefined && install.outcome !== undefined && now >= install.resolveAt) {
    install.status = install.outcome;
    install.updatedAt = install.resolveAt;
    delete install.resolveAt;
    delete install.outcome;
  }
  return install;
}

/** Queues an install (a first one, a retry after a failure, or a reinstall): Pending from now. */
export function queueInstall(
  policy: InstallPolicy,
  existing: DeviceAppInstall | undefined,
  deviceId: number,
  appId: number,
  version: string,
  now: number,
): DeviceAppInstall {
  const attempts = (existing?.attempts ?? 0) + 1;
  const install: DeviceAppInstall = existing ?? { appId, status: 'Pending', version, updatedAt: now, attempts };
  install.status = 'Pending';
  install.version = version;
  install.updatedAt = now;
  install.attempts = attempts;
  install.resolveAt = now + policy.delayMs;
  install.outcome = installOutcome(policy, deviceId, appId, attempts);
  return install;
}
