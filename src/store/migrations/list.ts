/**
 * Every migration, in order, imported statically so the same list runs under tsx and from the
 * compiled output (no directory scanning). Names sort in the order they must run; append only.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_idempotency_keys.js';
import * as m0002 from './0002_api_keys.js';
import * as m0003 from './0003_documents.js';
import * as m0004 from './0004_audit_events.js';
import * as m0005 from './0005_rate_limit_buckets.js';
import * as m0006 from './0006_audit_pending.js';
import * as m0007 from './0007_audit_request_id.js';
import * as m0008 from './0008_idempotency_claims.js';
import * as m0009 from './0009_apq_bytes.js';
import * as m0010 from './0010_uem_snapshots.js';
import * as m0011 from './0011_document_api.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_idempotency_keys': m0001,
  '0002_api_keys': m0002,
  '0003_documents': m0003,
  '0004_audit_events': m0004,
  '0005_rate_limit_buckets': m0005,
  '0006_audit_pending': m0006,
  '0007_audit_request_id': m0007,
  '0008_idempotency_claims': m0008,
  '0009_apq_bytes': m0009,
  '0010_uem_snapshots': m0010,
  '0011_document_api': m0011,
};
