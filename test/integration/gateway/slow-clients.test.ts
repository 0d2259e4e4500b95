/**
 * Slow clients cannot hold capacity (issue 15): bodies are read before a request takes an
 * admission slot, so 200 connections dribbling their bodies leave normal requests unaffected
 * (asserted by completion: every normal request is answered while every slow one is still open
 * and unanswered); a body that does not arrive within HTTP_BODY_TIMEOUT_MS gets 408 with a coded
 * error and its connection closed; headers that do not arrive within HTTP_HEADERS_TIMEOUT_MS get
 * Node's 408; connections past HTTP_MAX_CONNECTIONS_PER_ADDRESS from one address are closed at once.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const ADA = 'ada.admin@demo.example';
const PER_ADDRESS = 60;
const FLOOD = 200;
/** The flood comes from four loopback addresses (Linux routes all of 127/8 to lo). */
const FLOOD_ADDRESSES = ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13'];

let gw: TestGateway;
const gwUrl = () => new URL(gw.url);
beforeAll(async () => {
  gw = await startTestGateway({
    MAX_CONCURRENT_REQUESTS: '4',
    HTTP_BODY_TIMEOUT_MS: '20000',
    HTTP_HEADERS_TIMEOUT_MS: '2000',
    HTTP_REQUEST_TIMEOUT_MS: '60000',
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
  });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
}

/** A connection from `localAddress` that has sent `text` (flushed to the kernel). */
async function rawClient(to: URL, localAddress: string, text: string): Promise<RawClient> {
  const socket = connect({ host: to.hostname, port: Number(to.port), localAddress });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => socket.write(text, () => resolve()));
  return { socket, received: () => received, closed };
}

/** POST headers announcing a 1,000-byte body, and its first bytes only. */
const slowPost = (token: string) =>
  `POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n{"query":`;

describe('slow clients', () => {
  let flood: RawClient[] = [];

  it('a flood of 200 slow bodies does not hold the admission slots: normal requests are all answered', async () => {
    const token = await gw.token(ADA);
    flood = await Promise.all(Array.from({ length: FLOOD }, (_, i) => rawClient(gwUrl(), FLOOD_ADDRESSES[i % FLOOD_ADDRESSES.length]!, slowPost(token))));
    // One round trip after the flood was written: the gateway has read its headers by now.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => gw.gql(`{ device(id: "${i + 1}") { id } }`, { as: ADA })));
    for (const answer of answers) expectData(answer);
    // Every slow request is still open and unanswered: the normal ones did not wait for them.
    expect(flood.filter((c) => c.socket.destroyed || c.received() !== '')).toHaveLength(0);
  });

  it('closes connections over the per-address cap at once, and counts them', async () => {
    // FLOOD / 4 = 50 connections per flood address: 10 more fit, the next is closed unanswered.
    const address = FLOOD_ADDRESSES[0]!;
    const fits = await Promise.all(Array.from({ length: PER_ADDRESS - FLOOD / FLOOD_ADDRESSES.length }, () => rawClient(gwUrl(), address, '')));
    const over = await rawClient(gwUrl(), address, 'GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await over.closed;
    expect(over.received()).toBe('');
    // Other addresses are not affected.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_http_connections_refused_total\{reason="per_address"\} [1-9]/);
    for (const c of fits) c.socket.destroy();
  });

  it('answers headers that do not arrive in time with 408 and closes the connection', async () => {
    const client = await rawClient(gwUrl(), '127.0.0.20', 'POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  afterAll(() => {
    for (const c of flood) c.socket.destroy();
  });
});

describe('the body deadline', () => {
  // A gateway of its own with a short deadline: the flood above needs a long one to stay open.
  let quick: TestGateway;
  beforeAll(async () => {
    quick = await startTestGateway({ HTTP_BODY_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '60000' });
  });
  afterAll(async () => {
    await quick?.close();
  });

  it('answers a body that does not arrive within the deadline with 408 BAD_USER_INPUT (body_timeout), then closes the connection', async () => {
    const client = await rawClient(new URL(quick.url), '127.0.0.21', slowPost(await quick.token(ADA)));
    await client.closed;
    const [head, body] = client.received().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408/);
    expect(head).toMatch(/connection: close/i);
    const parsed = JSON.parse(body ?? '') as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(parsed.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'body_timeout' });
    expect(parsed.errors[0]?.message).toBe('The request body did not arrive within 1000 ms.');
  });
});
