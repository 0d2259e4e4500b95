/**
 * Slow readers: a response the client does not take holds its bytes (and the request's share of
 * the memory budget) in the gateway. Once a response is complete, the client has `ms` to take it;
 * after that the connection is closed.
 */
import type { ServerResponse } from 'node:http';

export function endWithin(res: ServerResponse, ms: number): void {
  if (res.writableFinished || res.destroyed) return;
  const timer = setTimeout(() => res.destroy(), ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
}
