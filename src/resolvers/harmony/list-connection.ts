/**
 * Relay connections over lists the gateway holds whole (Harmony answers its lists unpaged): the
 * same signed cursors as the UEM connections, with the list's name in the cursor's filter digest
 * so a cursor of one list is refused by another.
 */
import type { GraphQLContext } from '../../context.js';
import { checkFirst, toConnection, type Connection } from '../../graphql/connection.js';

export function listConnection<T>(
  ctx: GraphQLContext,
  list: string,
  items: readonly T[],
  args: { filter?: unknown; first?: number | null; after?: string | null },
): Connection<T> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const scope = { list, filter: args.filter ?? null };
  const offset = ctx.services.cursors.startAfter(args.after, scope);
  return toConnection({ items: items.slice(offset, offset + size), total: items.length }, offset, scope, ctx.services.cursors);
}
