/**
 * Time and randomness behind the HTTP layer, injectable so tests can drive backoff, cool-downs
 * and token expiry without real waits. Production uses the defaults.
 */
export interface Timing {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A float in [0, 1), for jitter. */
  random(): number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemTiming: Timing = { now: () => Date.now(), sleep, random: () => Math.random() };

export function timingWith(partial: Partial<Timing> = {}): Timing {
  return { ...systemTiming, ...partial };
}
