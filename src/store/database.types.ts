/**
 * Table types for kysely (docs/contributing.md habit 10). They describe rows as both drivers return them: `pg`
 * yields int8 as a string and PGlite as a number, so bigserial ids are typed as either and the
 * repositories map them once. JSON columns are written as JSON text (`pg` would turn a JS array
 * into a Postgres array literal) and read back parsed.
 */
import type { ColumnType, Generated } from 'kysely';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Read as `Date`, written as `Date` or left to the column default. */
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
/** Read parsed, written as JSON text. */
type Json<T extends JsonValue = JsonValue> = ColumnType<T, string, string>;
type NullableJson<T extends JsonValue = JsonValue> = ColumnType<T | null, string | null | undefined, string | null>;
type Int8Id = ColumnType<string | number, never, never>;
/** A bigint column written as a number: `pg` reads it as a string, PGlite as a number. */
type Int8Column = ColumnType<string | number, number, number>;
type NullableInt8Column = ColumnType<string | number | null, number | null, number | null>;

export type PrincipalKind = 'HARMONY_USER' | 'EXTERNAL_USER';
export type OperationType = 'query' | 'mutation' | 'subscription';
/** PENDING: written before a mutation goes upstream, completed with its outcome (fail closed). */
export type AuditOutcome = 'PENDING' | 'SUCCESS' | 'PARTIAL' | 'FAILURE' | 'DENIED';

/** IN_FLIGHT: claimed by `owner`, not finished. INTERRUPTED: its owner died; reconciled by the next request. */
export type IdempotencyState = 'IN_FLIGHT' | 'COMPLETED' | 'INTERRUPTED';
/** Progress of one target of an idempotent request (migration 0008). */
export type IdempotencyTargetState = 'PENDING' | 'SENDING' | 'DONE' | 'UNKNOWN' | 'NOT_SENT';

export interface IdempotencyKeysTable {
  principal_email: string;
  key: string;
  operation: string;
  request_hash: string;
  state: ColumnType<IdempotencyState, IdempotencyState | undefined, IdempotencyState>;
  owner: string | null;
  lease_expires_at: Date | null;
  audit_event_id: ColumnType<string | number | null, string | null | undefined, string | null>;
  response: NullableJson;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Date;
}

export interface IdempotencyTargetsTable {
  principal_email: string;
  key: string;
  target: string;
  position: number;
  state: ColumnType<IdempotencyTargetState, IdempotencyTargetState | undefined, IdempotencyTargetState>;
  batch: number | null;
  sent_at: NullableTimestamp;
  result: NullableJson;
}

export interface ApiKeysTable {
  id: Generated<string>;
  key_hash: string;
  prefix: string;
  owner_email: string;
  kind: PrincipalKind;
  label: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface PersistedDocumentsTable {
  hash: string;
  body: string;
  operation_name: string | null;
  operation_type: OperationType;
  client_name: string | null;
  api_group: string | null;
  /** The API the document is registered under (migration 0011); never set together with api_group. */
  api: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ApqDocumentsTable {
  hash: string;
  body: string;
  /** octet_length(body), for the eviction's running total. */
  bytes: Generated<number>;
  created_at: Timestamp;
  last_used_at: Timestamp;
}

export interface AuditEventsTable {
  id: Int8Id;
  at: Timestamp;
  request_id: string;
  principal_kind: PrincipalKind;
  principal_email: string;
  operation_name: string | null;
  document_hash: string | null;
  field: string;
  targets: Json;
  variables: NullableJson;
  outcome: AuditOutcome;
  error_codes: Json;
  details: NullableJson;
}

export interface RateLimitBucketsTable {
  key: string;
  tokens: number;
  updated_at: Timestamp;
}

/** A whole-tenant UEM read kept for every instance (issue 17): `devices`, `users`, `tags`, `smartGroups`. */
export interface UemSnapshotsTable {
  name: string;
  /** Bumped by every write; rows carry the generation they were written in. */
  generation: Int8Column;
  refreshed_at: Date;
  full_refreshed_at: Date;
  item_count: number;
  /** UEM's `Total` at the last refresh (a consistency check of incremental refreshes). */
  upstream_total: number | null;
  /** UEM requests the last full refresh took (what the cadence is planned from). */
  full_refresh_calls: number;
}

export interface UemSnapshotDevicesTable {
  id: Int8Column;
  generation: Int8Column;
  group_id: NullableInt8Column;
  group_name: string | null;
  group_uuid: string | null;
  user_name: string | null;
  platform: string | null;
  model: string | null;
  ownership: string | null;
  compliance_status: string | null;
  enrollment_status: string | null;
  last_seen: string | null;
  wire: Json;
}

export interface UemSnapshotUsersTable {
  id: Int8Column;
  generation: Int8Column;
  group_id: NullableInt8Column;
  user_name: string | null;
  email: string | null;
  wire: Json;
}

export interface UemSnapshotGroupsTable {
  kind: string;
  group_id: Int8Column;
  generation: Int8Column;
  record: Json;
  members: Json<number[]>;
}

export interface Database {
  idempotency_keys: IdempotencyKeysTable;
  idempotency_targets: IdempotencyTargetsTable;
  api_keys: ApiKeysTable;
  persisted_documents: PersistedDocumentsTable;
  apq_documents: ApqDocumentsTable;
  audit_events: AuditEventsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  uem_snapshots: UemSnapshotsTable;
  uem_snapshot_devices: UemSnapshotDevicesTable;
  uem_snapshot_users: UemSnapshotUsersTable;
  uem_snapshot_groups: UemSnapshotGroupsTable;
}
