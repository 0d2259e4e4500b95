/**
 * API keys: `uhg_` plus 32 random bytes in base64url. Only the sha256 of a key is stored, so a
 * leaked table grants nothing; the plain key is returned once, by `createApiKey`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { normalizeEmail } from './columns.js';
import type { ApiKeysTable, Database, PrincipalKind } from './database.types.js';

export const API_KEY_PREFIX = 'uhg_';
/** Characters of the key kept for display: the marker and 8 characters of the random part. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** Ids come from callers; anything but a uuid matches no key (and must not reach a uuid column). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApiKey {
  id: string;
  /** The first characters of the key, to tell keys apart; not a secret, not enough to use it. */
  prefix: string;
  ownerEmail: string;
  kind: PrincipalKind;
  label: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreateApiKeyInput {
  ownerEmail: string;
  kind: PrincipalKind;
  label?: string;
  createdBy: string;
  expiresAt?: Date | null;
}

export interface ListApiKeysFilter {
  ownerEmail?: string;
  includeRevoked?: boolean;
}

export const hashApiKey = (plainKey: string): string => createHash('sha256').update(plainKey, 'utf8').digest('hex');

export const generateApiKey = (): string => API_KEY_PREFIX + randomBytes(32).toString('base64url');

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    prefix: row.prefix,
    ownerEmail: row.owner_email,
    kind: row.kind,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Creates a key; `plainKey` is the only copy of the secret and must be shown to the caller once. */
export async function createApiKey(db: Kysely<Database>, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; plainKey: string }> {
  const plainKey = generateApiKey();
  const row = await db
    .insertInto('api_keys')
    .values({
      key_hash: hashApiKey(plainKey),
      prefix: plainKey.slice(0, DISPLAY_PREFIX_LENGTH),
      owner_email: normalizeEmail(input.ownerEmail),
      kind: input.kind,
      label: input.label ?? '',
      created_by: normalizeEmail(input.createdBy),
      expires_at: input.expiresAt ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { apiKey: toApiKey(row), plainKey };
}

/** The key's record if it exists, is not revoked and has not expired. */
export async function findActiveByKey(db: Kysely<Database>, plainKey: string): Promise<ApiKey | undefined> {
  if (!plainKey.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', hashApiKey(plainKey))
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  return row && toApiKey(row);
}

/** Revokes a key; false when there is no such key or it was already revoked. */
export async function revoke(db: Kysely<Database>, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a use of the key. Writes at most once per `minIntervalSeconds` per key, so a busy
 * partner does not turn every request into a row update.
 */
export async function touchLastUsed(db: Kysely<Database>, id: string, minIntervalSeconds = 60): Promise<void> {
  if (!UUID.test(id)) return;
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<=', sql<Date>`now() - make_interval(secs => ${minIntervalSeconds})`),
      ]),
    )
    .execute();
}

/** Keys newest first, optionally one owner's, revoked ones only when asked for. */
export async function list(db: Kysely<Database>, filter: ListApiKeysFilter = {}): Promise<ApiKey[]> {
  let query = db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (filter.ownerEmail !== undefined) query = query.where('owner_email', '=', normalizeEmail(filter.ownerEmail));
  if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
  const rows = await query.execute();
  return rows.map(toApiKey);
}
