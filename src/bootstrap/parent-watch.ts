/**
 * `npm start` runs the gateway with `--exit-with-parent`: if the process that started it goes away
 * without passing a signal on (killed with SIGKILL, say), the gateway is re-parented and would keep
 * serving the port with nobody to stop it. It checks its parent once a second and, once the parent
 * is gone, stops the way SIGTERM stops it (draining in-flight requests).
 */
export const EXIT_WITH_PARENT_FLAG = '--exit-with-parent';

export function watchParent(argv: readonly string[], onGone: () => void, intervalMs = 1_000): void {
  if (!argv.includes(EXIT_WITH_PARENT_FLAG)) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
