/**
 * The store commands run by the running gateway, through its admin socket (admin-socket.ts).
 */
import { request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ManifestError } from '../documents/manifest.js';
import type { RegisterResult } from '../documents/registry.js';
import { ADMIN_API } from './admin-socket.js';
import type { DocumentSummary, KeySummary, StoreCommands } from './store-commands.js';

export class AdminSocketError extends Error {
  override readonly name = 'AdminSocketError';
}

function open(socketPath: string, method: string, path: string, body?: unknown): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath, method, path, headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      resolve,
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function call<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await open(socketPath, method, path, body);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AdminSocketError(`The gateway answered ${res.statusCode} without JSON.`);
  }
  if (res.statusCode === 422 && Array.isArray(json.problems)) throw new ManifestError(json.problems as string[]);
  if (res.statusCode !== 200) throw new AdminSocketError(typeof json.message === 'string' ? json.message : `The gateway answered ${res.statusCode}.`);
  return json as T;
}

/** Whether a gateway answers on the socket (its pid), or undefined. */
export async function pingAdminSocket(socketPath: string): Promise<{ pid: number } | undefined> {
  try {
    return await call<{ pid: number }>(socketPath, 'GET', `${ADMIN_API}/status`);
  } catch {
    return undefined;
  }
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

export function remoteCommands(socketPath: string): StoreCommands {
  return {
    via: 'gateway',
    pushDocuments: (manifest, options) => call<RegisterResult>(socketPath, 'POST', `${ADMIN_API}/documents`, { manifest, ...options }),
    listDocuments: async (filter) =>
      (await call<{ documents: DocumentSummary[] }>(socketPath, 'GET', `${ADMIN_API}/documents${query({ client: filter.clientName, apiGroup: filter.apiGroup, api: filter.api })}`)).documents,
    removeDocument: async (hash) => (await call<{ removed: boolean }>(socketPath, 'DELETE', `${ADMIN_API}/documents/${encodeURIComponent(hash)}`)).removed,
    createKey: (input) => call<{ id: string; key: string }>(socketPath, 'POST', `${ADMIN_API}/keys`, { ...input, expiresAt: input.expiresAt?.toISOString() ?? null }),
    listKeys: async (filter) =>
      (await call<{ keys: KeySummary[] }>(socketPath, 'GET', `${ADMIN_API}/keys${query({ owner: filter.ownerEmail, all: filter.includeRevoked ? 'true' : undefined })}`)).keys,
    revokeKey: async (id) => (await call<{ revoked: boolean }>(socketPath, 'POST', `${ADMIN_API}/keys/${encodeURIComponent(id)}/revoke`)).revoked,
    async exportAudit(filter, format, out) {
      const path = `${ADMIN_API}/audit${query({ format, from: filter.from?.toISOString(), to: filter.to?.toISOString(), principal: filter.principalEmail, field: filter.field })}`;
      const res = await open(socketPath, 'GET', path);
      if (res.statusCode !== 200) {
        res.resume();
        throw new AdminSocketError(`The gateway answered ${res.statusCode} to the export.`);
      }
      await pipeline(res, out, { end: false });
    },
  };
}
