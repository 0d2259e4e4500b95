/**
 * `Device.user`: the device payload names its user (id, name, email), so this usually costs no
 * request. The user's model answers its name, email and given names in place (mappers.ts), so
 * what the query selects beyond the payload is settled here: when the query selects a field the
 * payload does not carry (`firstName`, `lastName`, an email the payload lacks) or the payload has
 * no name, the record, at hand when this request or the users snapshot has it, else from one
 * batched load. The join is the nullable boundary, and the fields the user record guarantees stay
 * non-null inside it (README, "Failure semantics").
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDevice, UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { selectedFieldNames, type SelectionInfo } from '../../graphql/selected-fields.js';
import type { UemUser } from '../mappers.js';

/** Synchronous in the usual case (no promise per device on large pages). */
export function deviceUser(ctx: GraphQLContext, d: UemDevice, info: SelectionInfo): UemUser | null | Promise<UemUser | null> {
  if (d.userId === null) return null;
  const id = String(d.userId);
  // What the payload answers costs nothing more (the users snapshot is not consulted, nor noted).
  if (d.userName !== null && !needsRecord(info, d)) return ownerModel(id, d, undefined);
  const record = ctx.loaders.uem.userNow(id);
  if (record) return ownerModel(id, d, record);
  return ctx.loaders.uem.userById.load(id).then((loaded) => ownerModel(id, d, loaded ?? undefined));
}

/** Whether the query selects a field of the user that the device payload does not carry. */
function needsRecord(info: SelectionInfo, d: UemDevice): boolean {
  const names = selectedFieldNames(info);
  return names.has('firstName') || names.has('lastName') || (d.userEmail === null && names.has('email'));
}

/** The payload's name and email first (as UEM listed the device), the record's for the rest. */
function ownerModel(id: string, d: UemDevice, record: UemUserRecord | undefined): UemUser {
  return {
    id,
    userName: d.userName ?? record?.userName ?? '',
    email: d.userEmail ?? record?.email ?? null,
    firstName: record?.firstName ?? null,
    lastName: record?.lastName ?? null,
    record,
  };
}
