/**
 * `Device.user`: the device payload names its user (id, name, email), so this usually costs no
 * request. A payload without the name loads the user here (batched), so that `UemUser.userName`
 * never needs a call of its own: the join is the nullable boundary, and the fields the user record
 * guarantees stay non-null inside it (README, "Failure semantics").
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import type { UemUser } from '../mappers.js';

/** Synchronous in the usual case (no promise per device on large pages). */
export function deviceUser(ctx: GraphQLContext, d: UemDevice): UemUser | null | Promise<UemUser | null> {
  if (d.userId === null) return null;
  const id = String(d.userId);
  if (d.userName !== null) return { id, userName: d.userName, email: d.userEmail };
  return ctx.loaders.uem.userById
    .load(id)
    .then((record) => (record ? { id, userName: record.userName, email: record.email, record } : { id, userName: null, email: d.userEmail }));
}
