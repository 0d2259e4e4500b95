/**
 * Federation entity resolution (`Query._entities` of the subgraph, src/subgraph/): one reference
 * resolver per entity type, each answering exactly what the direct graph's root field answers for
 * the same key, with the same checks in the same order:
 *
 * - the capability first (`ctx.access.requireEntity`: the root field's, ENTITY_CAPABILITIES):
 *   without it, null with FORBIDDEN and nothing is read;
 * - then the object through the request's batching loaders (500 devices: one `POST /devices/id`, or
 *   one `POST /devices/serialnumber`; Harmony users: the one list read), null when there is none;
 * - then the row scope: a device or enrollment user outside the caller's environments is null
 *   without an error, exactly like one that does not exist, as `device(id)` and `uemUser(id)` are
 *   (the access service decides it: `ctx.access.device`, `ctx.access.user`).
 *
 * Representations come from the router as `_Any`: they are parsed here, and one that lacks its key
 * fails alone with BAD_USER_INPUT. The resolvers are async so that a refusal fails its own entity,
 * never the list; loads start before their first `await`, so every representation of a request
 * joins the same batch.
 */
import { z } from 'zod';
import type { GraphQLContext } from '../../context.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import type { EntityTypeName } from '../../auth/access/entities.js';
import { badInput } from '../../errors.js';
import { findPerson } from '../harmony/people.js';
import { userModel } from '../uem-users/uem-users.service.js';

const key = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);
const email = z.string().trim().min(3).max(320);
const representations = {
  Device: z.union([z.object({ id: key }), z.object({ serialNumber: z.string().trim().min(1).max(128) })]),
  UemUser: z.object({ id: key }),
  HarmonyUser: z.object({ email }),
  Person: z.object({ email }),
} satisfies Record<EntityTypeName, z.ZodType>;

function parse<T extends EntityTypeName>(type: T, reference: unknown): z.infer<(typeof representations)[T]> {
  const parsed = representations[type].safeParse(reference);
  if (!parsed.success) throw badInput(`A ${type} representation needs its key: ${keyNames[type]}.`, { reason: 'INVALID_REPRESENTATION' });
  return parsed.data as z.infer<(typeof representations)[T]>;
}
const keyNames: Record<EntityTypeName, string> = { Device: '`id` or `serialNumber`', UemUser: '`id`', HarmonyUser: '`email`', Person: '`email`' };

/**
 * An entity with its type name, through a view: records may be shared with the request's caches, so
 * they are not written to. Not a copy either: a device's kinds and dates are getters of its class
 * (reading private fields), which a spread would drop.
 */
const entity = <T extends object>(type: EntityTypeName, value: T | null): (T & { __typename: string }) | null =>
  value === null ? null : (new Proxy(value, { get: (target, key) => (key === '__typename' ? type : Reflect.get(target, key, target)) }) as T & { __typename: string });

/**
 * The one device with this serial number the caller may see; a serial number shared by several
 * devices the caller sees is refused (devices out of scope are not counted: they are not there).
 */
async function deviceBySerialNumber(ctx: GraphQLContext, serialNumber: string): Promise<UemDevice | null> {
  const devices = await ctx.access.devicesBySerialNumber(serialNumber);
  if (devices.length > 1) {
    throw badInput(`The serial number ${serialNumber} belongs to ${devices.length} devices in UEM: reference the device by id.`, {
      reason: 'SERIAL_NUMBER_NOT_UNIQUE',
    });
  }
  return devices[0] ?? null;
}

export const entityReferences = {
  Device: {
    async __resolveReference(reference: unknown, ctx: GraphQLContext) {
      ctx.access.requireEntity('Device');
      const ref = parse('Device', reference);
      return entity('Device', await ('id' in ref ? ctx.access.device(ref.id) : deviceBySerialNumber(ctx, ref.serialNumber)));
    },
  },
  UemUser: {
    async __resolveReference(reference: unknown, ctx: GraphQLContext) {
      ctx.access.requireEntity('UemUser');
      const record = await ctx.access.user(await ctx.loaders.uem.userById.load(parse('UemUser', reference).id));
      return entity('UemUser', record && userModel(record));
    },
  },
  HarmonyUser: {
    async __resolveReference(reference: unknown, ctx: GraphQLContext) {
      ctx.access.requireEntity('HarmonyUser');
      return entity('HarmonyUser', await ctx.loaders.harmony.userByEmail(parse('HarmonyUser', reference).email));
    },
  },
  Person: {
    async __resolveReference(reference: unknown, ctx: GraphQLContext) {
      ctx.access.requireEntity('Person');
      return entity('Person', await findPerson(ctx, parse('Person', reference).email));
    },
  },
};
