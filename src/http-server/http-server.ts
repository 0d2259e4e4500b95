/**
 * The gateway's Node HTTP server with the limits that keep slow or greedy clients from holding
 * capacity: Node's own timeouts (the whole request received within HTTP_REQUEST_TIMEOUT_MS, its
 * headers within HTTP_HEADERS_TIMEOUT_MS, idle keep-alive connections closed after
 * HTTP_KEEP_ALIVE_TIMEOUT_MS; checked every second rather than Node's default 30 s) and a cap on
 * the connections one remote address may hold open at once. A connection past the cap is closed as
 * soon as it is accepted, before anything is read from it (as Node's own `maxConnections` does).
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';

const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export function createLimitedHttpServer(config: Config, onRefused: (reason: 'per_address') => void = () => {}): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnectionsPerAddress } = config.http;
  const server = createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, headersTimeoutMs),
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  if (maxConnectionsPerAddress > 0) capConnectionsPerAddress(server, maxConnectionsPerAddress, () => onRefused('per_address'));
  return server;
}

/** Closes connections beyond `max` open at once from one remote address. */
export function capConnectionsPerAddress(server: Server, max: number, onRefused: () => void): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      onRefused();
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
