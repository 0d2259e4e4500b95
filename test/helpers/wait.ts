/**
 * Waiting on a condition instead of a fixed sleep: the check runs until it holds or a generous
 * deadline passes (a busy machine is slow, not wrong), and a miss names what was awaited.
 */

/** Resolves with the first truthy value `check` returns; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, { timeoutMs = 20_000, intervalMs = 10 } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
