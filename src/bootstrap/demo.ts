/**
 * Demo mode's credentials: a JWT per Harmony persona and an API key per ACTIVE external persona,
 * written to `$DATA_DIR/demo-credentials.json`. An API key from an earlier run is kept while it is
 * still active in the database, so scripts keep working across restarts; the JWTs are signed afresh
 * at every start and live as long as the gateway accepts (24 h by default).
 */
import type { Kysely } from 'kysely';
import { writeDemoCredentials } from '../demo/demo-credentials.js';
import { apiKeys } from '../store/index.js';
import type { Database } from '../store/database.types.js';

/** `tokenTtlSeconds`: the demo JWTs' lifetime, within what the verifier accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS). */
export async function writeDemoFile(db: Kysely<Database>, dataDir: string, jwtSecret: string, tokenTtlSeconds: number) {
  // Demo mode only: the personas come with the simulators' dataset, not loaded otherwise.
  const { EXTERNAL_PERSONAS, HARMONY_PERSONAS } = await import('../simulators/dataset/demo-org.js');
  const activeExternal = EXTERNAL_PERSONAS.filter(
    (p) => p.status === 'ACTIVE' && (p.expiresInDays === null || p.expiresInDays >= 0),
  ).map((p) => p.email);
  return writeDemoCredentials({
    dataDir,
    jwtSecret,
    tokenTtlSeconds,
    harmonyEmails: HARMONY_PERSONAS.map((p) => p.email),
    externalEmails: activeExternal,
    apiKeyFor: async (email, previous) => {
      if (previous && (await apiKeys.findActiveByKey(db, previous))?.ownerEmail === email) return previous;
      const created = await apiKeys.createApiKey(db, {
        ownerEmail: email,
        kind: 'EXTERNAL_USER',
        label: 'demo',
        createdBy: 'demo-mode',
      });
      return created.plainKey;
    },
  });
}
