/**
 * What the store CLIs (`npm run documents|keys|audit`) do, as one interface with two ways to run:
 *
 * - `directCommands`: on a database this process opened (Postgres, or an embedded PGlite nobody
 *   else holds). The running gateway also answers its admin socket with these, on its own database
 *   and its own document registry, so what a command changes is what the gateway serves at once.
 * - `remoteCommands` (admin-client.ts): through the running gateway's admin socket, when the
 *   gateway owns the embedded database.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Kysely } from 'kysely';
import { csvHeader, formatEvent, type ExportFormat } from '../audit/export.js';
import type { DocumentRegistry, RegisterResult } from '../documents/registry.js';
import * as apiKeys from '../store/api-keys.repository.js';
import { streamAuditEvents, type AuditFilter } from '../store/audit.repository.js';
import type { Database, OperationType, PrincipalKind } from '../store/database.types.js';

export interface DocumentSummary {
  hash: string;
  operationType: OperationType;
  operationName: string | null;
  clientName: string | null;
  apiGroup: string | null;
  api: string | null;
}

export interface KeySummary {
  id: string;
  prefix: string;
  kind: PrincipalKind;
  ownerEmail: string;
  state: 'active' | 'revoked' | 'expired';
  label: string;
}

export interface NewKey {
  ownerEmail: string;
  kind: PrincipalKind;
  label: string;
  expiresAt: Date | null;
}

export interface StoreCommands {
  /** `database`: run here. `gateway`: run by the running gateway (it owns the embedded database). */
  readonly via: 'database' | 'gateway';
  /** Throws ManifestError when the manifest is rejected (then nothing was stored). */
  pushDocuments(manifest: unknown, options: { clientName: string; apiGroup?: string; api?: string }): Promise<RegisterResult>;
  listDocuments(filter: { clientName?: string; apiGroup?: string; api?: string }): Promise<DocumentSummary[]>;
  removeDocument(hash: string): Promise<boolean>;
  /** The key is in the answer once; only its hash is stored. */
  createKey(input: NewKey): Promise<{ id: string; key: string }>;
  listKeys(filter: { ownerEmail?: string; includeRevoked: boolean }): Promise<KeySummary[]>;
  revokeKey(id: string): Promise<boolean>;
  /** Oldest first, in constant memory. */
  exportAudit(filter: AuditFilter, format: ExportFormat, out: Writable): Promise<void>;
}

/** Who made the change, in `created_by` columns. */
export const CLI_ACTOR = 'cli';

export async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** `registry`: the document registry, or how to make one (only document commands need it). */
export function directCommands(db: Kysely<Database>, registry: DocumentRegistry | (() => Promise<DocumentRegistry>)): StoreCommands {
  let made: Promise<DocumentRegistry> | undefined;
  const documents = () => (made ??= typeof registry === 'function' ? registry() : Promise.resolve(registry));
  return {
    via: 'database',
    pushDocuments: async (manifest, options) =>
      (await documents()).register(manifest, { clientName: options.clientName, apiGroup: options.apiGroup, api: options.api, createdBy: CLI_ACTOR }),
    async listDocuments(filter) {
      const found = await (await documents()).list(filter);
      return found.map((d) => ({ hash: d.hash, operationType: d.operationType, operationName: d.operationName, clientName: d.clientName, apiGroup: d.apiGroup, api: d.api }));
    },
    removeDocument: async (hash) => (await documents()).remove(hash),
    async createKey(input) {
      const created = await apiKeys.createApiKey(db, { ...input, createdBy: CLI_ACTOR });
      return { id: created.apiKey.id, key: created.plainKey };
    },
    async listKeys(filter) {
      const keys = await apiKeys.list(db, filter);
      const now = Date.now();
      return keys.map((k) => ({
        id: k.id,
        prefix: k.prefix,
        kind: k.kind,
        ownerEmail: k.ownerEmail,
        label: k.label,
        state: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= now ? 'expired' : 'active',
      }));
    },
    revokeKey: (id) => apiKeys.revoke(db, id),
    async exportAudit(filter, format, out) {
      if (format === 'csv') await write(out, csvHeader());
      for await (const event of streamAuditEvents(db, filter)) await write(out, formatEvent(event, format));
    },
  };
}
