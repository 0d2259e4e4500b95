/**
 * The abuses of `npm run bench -- --abuse` (issue 15), each sent by a caller of its own while
 * normal traffic is measured: slow bodies (connections that send POST headers, then dribble the
 * body), validation-heavy documents, a partner's flood of refused free-text mutations, and an APQ
 * flood of distinct large documents. Each abuser counts its answers by status.
 */
import { connect, type Socket } from 'node:net';
import { createHash } from 'node:crypto';

export interface AbuseCallers {
  /** `Authorization` values. */
  validationAbuser: string;
  apqAbuser: string;
  partnerApiKey: string;
}

export interface Abuser {
  /** Answers by HTTP status (`conn` for connection errors); slow bodies: also `opened` sockets. */
  readonly statuses: Record<string, number>;
  stop(): Promise<void>;
}

export interface Abuse {
  name: string;
  title: string;
  start(gatewayUrl: string, callers: AbuseCallers, connections: number): Abuser;
}

const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** `connections` loops sending `next()` until stopped, counting statuses. */
function flood(gatewayUrl: string, connections: number, next: (i: number) => { headers: Record<string, string>; body: string }): Abuser {
  const statuses: Record<string, number> = {};
  let stopped = false;
  let sent = 0;
  // One controller per request: a signal shared by thousands of requests collects their listeners.
  const inFlight = new Set<AbortController>();
  const loop = async () => {
    while (!stopped) {
      const { headers, body } = next(sent++);
      const controller = new AbortController();
      inFlight.add(controller);
      try {
        const res = await fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: controller.signal });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        if (!stopped) statuses.conn = (statuses.conn ?? 0) + 1;
      } finally {
        inFlight.delete(controller);
      }
    }
  };
  const loops = Array.from({ length: connections }, loop);
  return {
    statuses,
    async stop() {
      stopped = true;
      for (const controller of inFlight) controller.abort();
      await Promise.allSettled(loops);
    },
  };
}

/**
 * Documents at and over the validation budget, each unique (a different alias per request), so the
 * gateway's memory of documents it refused does not help: half are refused by the work estimate,
 * half (just under it, and invalid) go through a full validation.
 */
export function validationHeavyDocument(i: number): string {
  if (i % 2 === 0) return `{ ${rep(300, () => `r${i}: roles { assignments { role { name } } }`)} }`;
  return `{ ${rep(800, (k) => `unknown${i}_${k}`)} }`;
}

/** A partner's free-text mutation of 1,800 root fields (20 KB). */
const PARTNER_MUTATION = JSON.stringify({ query: `mutation Flood { ${'removeRole '.repeat(1_800)}}` });

/** A valid document of about 90 KB (a unique comment), registered by APQ. */
export function largeApqDocument(i: number): string {
  return `query Apq${i} { viewer { email } }\n# ${String(i).padStart(12, '0')}${'x'.repeat(90_000)}`;
}

/**
 * POST headers then one byte of the body a second, on `connections` sockets kept open: a socket the
 * gateway closes (its body deadline answers 408) is replaced at once, so the flood keeps its size.
 * Statuses: `opened` (sockets opened in all) and what the gateway answered (408 at the deadline).
 */
function slowBodies(gatewayUrl: string, connections: number): Abuser {
  const { hostname, port } = new URL(gatewayUrl);
  const statuses: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const body = JSON.stringify({ query: '{ viewer { email } }' }).padEnd(2_000, ' ');
  let stopped = false;
  const open = () => {
    if (stopped) return;
    const socket = connect({ host: hostname, port: Number(port) });
    sockets.add(socket);
    let sentBytes = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      statuses.opened = (statuses.opened ?? 0) + 1;
      socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
      timer = setInterval(() => {
        if (sentBytes < body.length && socket.writable) socket.write(body[sentBytes++] as string);
      }, 1_000);
    });
    socket.on('data', (chunk: Buffer) => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 'data';
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      setTimeout(open, 10);
    });
  };
  for (let i = 0; i < connections; i++) open();
  return {
    statuses,
    async stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

export const ABUSES: readonly Abuse[] = [
  {
    name: 'slow-bodies',
    title: 'slow bodies (POST headers, then a byte a second)',
    start: (url, _callers, connections) => slowBodies(url, connections * 50),
  },
  {
    name: 'validation-heavy',
    title: 'validation-heavy documents (unique, at and over the budget)',
    start: (url, callers, connections) => flood(url, connections, (i) => ({ headers: { authorization: callers.validationAbuser }, body: JSON.stringify({ query: validationHeavyDocument(i) }) })),
  },
  {
    name: 'partner-mutation-flood',
    title: "partner's free-text mutations (20 KB, 1,800 root fields)",
    start: (url, callers, connections) => flood(url, connections, () => ({ headers: { 'x-api-key': callers.partnerApiKey }, body: PARTNER_MUTATION })),
  },
  {
    name: 'apq-flood',
    title: 'APQ registrations of distinct 90 KB documents',
    start: (url, callers, connections) =>
      flood(url, connections, (i) => {
        const query = largeApqDocument(i);
        return { headers: { authorization: callers.apqAbuser }, body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }) };
      }),
  },
];
