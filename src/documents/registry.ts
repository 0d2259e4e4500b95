/**
 * The trusted-document registry and the APQ store, shared by every request of this process:
 * Postgres/PGlite behind an in-memory LRU. Registration validates every document of a manifest
 * against the current schema and stores all of them in one transaction, or none. At start-up
 * `revalidate` checks what is registered against the schema being served: documents that no
 * longer validate are logged and reported in `/readyz` (check `documents`).
 *
 * Trusted documents are cached for `trustedTtlMs` so a removal on another instance takes effect
 * within that time (at once on this one); APQ bodies are content-addressed and cached until evicted
 * (the memory cache holds at most `apqCacheBytes`; the database store is bounded by `apqBounds`).
 */
import { createRequire } from 'node:module';
import * as esmGraphql from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import type { Database } from '../store/database.types.js';
import * as repo from '../store/documents.repository.js';
import type { ListDocumentsFilter, PersistedDocument } from '../store/documents.repository.js';
import { Lru } from '../safety/lru.js';
import { ManifestError, parseManifest } from './manifest.js';

export interface RegisterOptions {
  clientName: string;
  /** The API group (id or name) partners must be granted to run the documents. */
  apiGroup?: string | null;
  /** Or the API (id or name) they must be granted, on its own or through a group; never both. */
  api?: string | null;
  createdBy: string;
}

export interface RegisterResult {
  /** Newly stored. */
  created: string[];
  /** Already registered with the same client and scope (API group or API): nothing changed. */
  unchanged: string[];
  /** Already registered; client name or scope changed. */
  updated: string[];
}

/** A registered document as listed: with the problems of the last check against the schema. */
export type ListedDocument = PersistedDocument & { problems: string[] };

export interface InvalidDocument {
  hash: string;
  operationName: string | null;
  clientName: string | null;
  problems: string[];
}

export interface DocumentRegistryOptions {
  cacheSize?: number;
  trustedTtlMs?: number;
  /** The APQ store's bounds (evicted after each registration); unbounded when absent. */
  apqBounds?: repo.ApqBounds;
  /** Bytes of APQ bodies kept in memory (default 8 MB). */
  apqCacheBytes?: number;
}

/**
 * graphql-js checks a schema's realm. The executable schema is built by packages Node loads as
 * CommonJS (`graphql/index.js`), while some bundlers (vitest) resolve this module's ESM `import`
 * to `graphql/index.mjs`; validate with the copy the schema was built with (in plain Node both
 * are the same module).
 */
const cjsGraphql = createRequire(import.meta.url)('graphql') as typeof esmGraphql;
const graphqlOf = (schema: GraphQLSchema) => (schema instanceof cjsGraphql.GraphQLSchema ? cjsGraphql : esmGraphql);

/** Validation errors of a document against the schema (empty when it validates). */
export function documentProblems(schema: GraphQLSchema, body: string): string[] {
  const { parse, validate } = graphqlOf(schema);
  try {
    return validate(schema, parse(body)).map((e) => e.message);
  } catch (err) {
    return [(err as Error).message];
  }
}

export class DocumentRegistry {
  private readonly trustedCache: Lru<PersistedDocument>;
  private readonly apqCache: Lru<string>;
  private readonly apqBounds: repo.ApqBounds | undefined;
  private invalid: InvalidDocument[] = [];
  private checkedAt: Date | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly schema: GraphQLSchema,
    private readonly logger: Logger,
    options: DocumentRegistryOptions = {},
  ) {
    this.trustedCache = new Lru(options.cacheSize ?? 1000, options.trustedTtlMs ?? 30_000);
    this.apqCache = new Lru(options.cacheSize ?? 1000, Number.POSITIVE_INFINITY, Date.now, {
      max: options.apqCacheBytes ?? 8 * 1024 * 1024,
      weigh: (body) => Buffer.byteLength(body),
    });
    this.apqBounds = options.apqBounds;
  }

  /** Verifies, validates and stores a manifest, all or nothing; throws ManifestError. */
  async register(manifest: unknown, options: RegisterOptions): Promise<RegisterResult> {
    const apiGroup = options.apiGroup?.trim() || null;
    const api = options.api?.trim() || null;
    if (apiGroup && api) throw new ManifestError(['documents are registered under an API group or under an API, not both']);
    const entries = parseManifest(manifest);
    const problems = entries.flatMap((e) => documentProblems(this.schema, e.body).map((p) => `${e.operationName ?? e.hash}: ${p}`));
    if (problems.length > 0) throw new ManifestError(problems);
    const result: RegisterResult = { created: [], unchanged: [], updated: [] };
    await this.db.transaction().execute(async (trx) => {
      for (const entry of entries) {
        const existing = await repo.getDocumentByHash(trx, entry.hash);
        const same = existing?.clientName === options.clientName && existing.apiGroup === apiGroup && existing.api === api;
        if (existing && same && existing.operationName === entry.operationName) {
          result.unchanged.push(entry.hash);
          continue;
        }
        await repo.upsertDocument(trx, { ...entry, clientName: options.clientName, apiGroup, api, createdBy: options.createdBy });
        (existing ? result.updated : result.created).push(entry.hash);
      }
    });
    for (const hash of [...result.created, ...result.updated]) this.trustedCache.delete(hash);
    return result;
  }

  /** Registered documents, each with the problems the last check against the schema found. */
  async list(filter: ListDocumentsFilter = {}): Promise<ListedDocument[]> {
    const documents = await repo.listDocuments(this.db, filter);
    return documents.map((d) => ({ ...d, problems: this.isInvalid(d.hash)?.problems ?? [] }));
  }

  async remove(hash: string): Promise<boolean> {
    const key = normalize(hash);
    this.trustedCache.delete(key);
    const removed = await repo.removeDocument(this.db, key);
    this.invalid = this.invalid.filter((d) => d.hash !== key);
    return removed;
  }

  /** The trusted document of a hash (with or without `sha256:`). */
  async trusted(hash: string): Promise<PersistedDocument | undefined> {
    const key = normalize(hash);
    const cached = this.trustedCache.get(key);
    if (cached) return cached;
    const found = await repo.getDocumentByHash(this.db, key);
    if (found) this.trustedCache.set(key, found);
    return found;
  }

  async apqGet(hash: string): Promise<string | undefined> {
    const key = normalize(hash);
    const cached = this.apqCache.get(key);
    if (cached !== undefined) return cached;
    const body = await repo.getApqDocument(this.db, key);
    if (body !== undefined) this.apqCache.set(key, body);
    return body;
  }

  /** Throws RangeError when the hash is not the body's sha256. Evicts to the bounds; returns how many went. */
  async apqPut(hash: string, body: string): Promise<number> {
    const evicted = await repo.putApqDocument(this.db, hash, body, this.apqBounds);
    this.apqCache.set(normalize(hash), body);
    return evicted;
  }

  /** Validates every registered document against the schema being served (start-up). */
  async revalidate(): Promise<InvalidDocument[]> {
    const documents = await repo.listDocuments(this.db);
    this.invalid = documents
      .map((d) => ({ hash: d.hash, operationName: d.operationName, clientName: d.clientName, problems: documentProblems(this.schema, d.body) }))
      .filter((d) => d.problems.length > 0);
    this.checkedAt = new Date();
    for (const d of this.invalid) {
      this.logger.error({ documentHash: d.hash, operationName: d.operationName, clientName: d.clientName, problems: d.problems }, 'registered document no longer validates against the schema');
    }
    this.logger.info({ documents: documents.length, invalid: this.invalid.length }, 'registered documents checked against the schema');
    return this.invalid;
  }

  isInvalid(hash: string): InvalidDocument | undefined {
    return this.invalid.find((d) => d.hash === normalize(hash));
  }

  /** For `/readyz`: reported, not gating (one broken partner document must not take the gateway out). */
  readiness(): { ok: boolean; gating: false; checkedAt: string | null; invalid: InvalidDocument[] } {
    return { ok: this.invalid.length === 0, gating: false, checkedAt: this.checkedAt?.toISOString() ?? null, invalid: this.invalid };
  }
}

const normalize = (hash: string) => hash.replace(/^sha256:/i, '').toLowerCase();
