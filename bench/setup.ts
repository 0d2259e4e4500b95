/**
 * What the benchmark's callers need, written into the gateway's (PGlite) data directory before
 * the gateway starts, since PGlite allows one process per directory: API keys (as
 * `npm run keys -- create` makes them) and the partner's persisted document.
 */
import { randomBytes } from 'node:crypto';
import { signJwt } from '../src/auth/jwt.js';
import { apiKeys, createDatabase, documents, migrateToLatest } from '../src/store/index.js';
import { PARTNER_DOCUMENT } from './scenarios.js';

export const ADMIN = 'ada.admin@demo.example';
export const PARTNER = 'pat.partner@partner.example';
export const PARTNER_API_GROUP = 'device-inventory';

export interface Credentials {
  jwtSecret: string;
  /** `Authorization` header values by caller. */
  adminBearer: string;
  partnerApiKey: string;
  /** A Harmony user's key, for the partner query as free text when documents are not served. */
  adminApiKey: string;
  partnerDocumentHash: string;
}

/** Seeds the gateways' database: PGlite in `dataDir`, or the Postgres at `databaseUrl` when given. */
export async function prepareDataDir(dataDir: string, databaseUrl?: string): Promise<Credentials> {
  const jwtSecret = randomBytes(32).toString('base64url');
  const store = await createDatabase({ databaseUrl, dataDir, purpose: 'npm run bench (setup)' });
  try {
    await migrateToLatest(store.db);
    const partner = await apiKeys.createApiKey(store.db, { ownerEmail: PARTNER, kind: 'EXTERNAL_USER', label: 'bench', createdBy: 'bench' });
    const admin = await apiKeys.createApiKey(store.db, { ownerEmail: ADMIN, kind: 'HARMONY_USER', label: 'bench', createdBy: 'bench' });
    const hash = documents.sha256Hex(PARTNER_DOCUMENT.query);
    await documents.upsertDocument(store.db, {
      hash,
      body: PARTNER_DOCUMENT.query,
      operationName: PARTNER_DOCUMENT.operationName,
      operationType: 'query',
      clientName: 'bench-partner',
      apiGroup: PARTNER_API_GROUP,
      createdBy: 'bench',
    });
    return {
      jwtSecret,
      adminBearer: `Bearer ${await signJwt(jwtSecret, ADMIN, 3 * 3600)}`,
      partnerApiKey: partner.plainKey,
      adminApiKey: admin.plainKey,
      partnerDocumentHash: hash,
    };
  } finally {
    await store.close();
  }
}

/**
 * Seeds a data directory with another checkout's own code (`--baseline-root`): its migrations are
 * the ones its gateway expects (a directory this checkout migrated holds migrations it does not
 * know, and it refuses to start). Run in a child process from that checkout; answers its credentials.
 */
export async function prepareBaselineDataDir(root: string, dataDir: string): Promise<Credentials> {
  const { execFile } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const setup = pathToFileURL(`${root}/bench/setup.ts`).href;
  const code = `const m = await import(${JSON.stringify(setup)}); process.stdout.write(JSON.stringify(await m.prepareDataDir(${JSON.stringify(dataDir)})));`;
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, maxBuffer: 1 << 20, timeout: 120_000 }, (err, out, errOut) =>
      err ? reject(new Error(`seeding the baseline's data directory failed: ${errOut || err.message}`)) : resolve(out),
    ),
  );
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Credentials;
}
