/**
 * The gateway's admin socket (issue 16): while a gateway owns an embedded database, the store CLIs
 * run their commands through it instead of opening the database a second time. It is a Unix socket
 * (a named pipe on Windows) in the data directory, created with mode 0600: only the gateway's own
 * OS user can connect, and that access is the authentication (as with Postgres' peer
 * authentication). It speaks plain HTTP with JSON bodies; see `ADMIN_ROUTES` below.
 *
 * Every command runs on the gateway's own database and document registry, so a change is served
 * at once (a removed document is also forgotten by the registry's cache).
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ManifestError } from '../documents/manifest.js';
import type { Logger } from '../logger.js';
import type { AuditFilter } from '../store/audit.repository.js';
import type { PrincipalKind } from '../store/database.types.js';
import type { StoreCommands } from './store-commands.js';

export const ADMIN_API = '/v1';
const MAX_BODY = 16 * 1024 * 1024;

export interface AdminSocket {
  path: string;
  close(): Promise<void>;
}

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest(`The body is over ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new BadRequest('The body must be a JSON object.');
}

const text = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v.trim() === '') throw new BadRequest(`"${name}" is required.`);
  return v.trim();
};
const optional = (v: string | null): string | undefined => (v === null || v === '' ? undefined : v);
const instant = (v: string | null, name: string): Date | undefined => {
  if (v === null || v === '') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new BadRequest(`"${name}" must be an ISO 8601 instant.`);
  return d;
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function route(commands: StoreCommands, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const q = url.searchParams;
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === `${ADMIN_API}/status`) return send(res, 200, { pid: process.pid, via: 'gateway' });
  if (method === 'POST' && path === `${ADMIN_API}/documents`) {
    const body = await readJson(req);
    const apiGroup = typeof body.apiGroup === 'string' ? body.apiGroup : undefined;
    const api = typeof body.api === 'string' ? body.api : undefined;
    return send(res, 200, await commands.pushDocuments(body.manifest, { clientName: text(body.clientName, 'clientName'), apiGroup, api }));
  }
  if (method === 'GET' && path === `${ADMIN_API}/documents`) {
    const filter = { clientName: optional(q.get('client')), apiGroup: optional(q.get('apiGroup')), api: optional(q.get('api')) };
    return send(res, 200, { documents: await commands.listDocuments(filter) });
  }
  const document = /^\/v1\/documents\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && document) return send(res, 200, { removed: await commands.removeDocument(decodeURIComponent(document[1] ?? '')) });
  if (method === 'POST' && path === `${ADMIN_API}/keys`) {
    const body = await readJson(req);
    const kind = body.kind;
    if (kind !== 'EXTERNAL_USER' && kind !== 'HARMONY_USER') throw new BadRequest('"kind" must be EXTERNAL_USER or HARMONY_USER.');
    const expiresAt = instant(typeof body.expiresAt === 'string' ? body.expiresAt : null, 'expiresAt') ?? null;
    const label = typeof body.label === 'string' ? body.label : '';
    return send(res, 200, await commands.createKey({ ownerEmail: text(body.ownerEmail, 'ownerEmail'), kind: kind as PrincipalKind, label, expiresAt }));
  }
  if (method === 'GET' && path === `${ADMIN_API}/keys`) {
    return send(res, 200, { keys: await commands.listKeys({ ownerEmail: optional(q.get('owner')), includeRevoked: q.get('all') === 'true' }) });
  }
  const revoke = /^\/v1\/keys\/([^/]+)\/revoke$/.exec(path);
  if (method === 'POST' && revoke) return send(res, 200, { revoked: await commands.revokeKey(decodeURIComponent(revoke[1] ?? '')) });
  if (method === 'GET' && path === `${ADMIN_API}/audit`) {
    const format = q.get('format');
    if (format !== 'csv' && format !== 'jsonl') throw new BadRequest('"format" must be csv or jsonl.');
    const filter: AuditFilter = { from: instant(q.get('from'), 'from'), to: instant(q.get('to'), 'to'), principalEmail: optional(q.get('principal')), field: optional(q.get('field')) };
    res.writeHead(200, { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
    await commands.exportAudit(filter, format, res);
    res.end();
    return;
  }
  send(res, 404, { error: 'NOT_FOUND', message: `No admin route ${method} ${path}.` });
}

/** Serves `commands` on `path` (an existing socket file there is stale: this process owns the data directory). */
export async function startAdminSocket(options: { path: string; commands: StoreCommands; logger: Logger }): Promise<AdminSocket> {
  const { path, commands, logger } = options;
  const server = createServer((req, res) => {
    route(commands, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        logger.error({ err, url: req.url }, 'admin socket: command failed while answering');
        res.destroy();
      } else if (err instanceof ManifestError) {
        send(res, 422, { error: 'MANIFEST_REJECTED', problems: err.problems });
      } else if (err instanceof BadRequest) {
        send(res, 400, { error: 'BAD_REQUEST', message: err.message });
      } else {
        logger.error({ err, url: req.url }, 'admin socket: command failed');
        send(res, 500, { error: 'INTERNAL', message: 'The command failed; the gateway logged why.' });
      }
    });
  });
  if (process.platform !== 'win32' && existsSync(path)) unlinkSync(path);
  // The socket is created with mode 0600: nobody but this OS user may connect.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  logger.info({ path }, 'admin socket: listening (store commands of this data directory go through this gateway)');
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
