/**
 * The email joins between the two systems (docs/design.md §3). Emails compare case-insensitively: UEM
 * keeps whatever letter case an enrollment used, Harmony its own.
 */
import type { GraphQLContext } from '../../context.js';
import { devicesOfUser, userModel } from '../uem-users/uem-users.service.js';
import type { UemUser } from '../mappers.js';
import { externalUserByEmail } from './harmony.directory.js';
import type { Person } from './harmony.mappers.js';

/**
 * The UEM enrollment user with this email: from the users snapshot, the cached directory, or
 * `users/search?email=` (planned by cost, batched across the request's emails).
 */
export async function uemUserByEmail(ctx: GraphQLContext, email: string): Promise<UemUser | null> {
  const record = await ctx.loaders.uem.userByEmail(email);
  return record ? userModel(record) : null;
}

/** `Person.uemUser`, `HarmonyUser.uemUser`: the UEM user, or null (like an unknown one) when out of the caller's row scope. */
export async function scopedUemUserByEmail(ctx: GraphQLContext, email: string): Promise<UemUser | null> {
  const user = await uemUserByEmail(ctx, email);
  return user && (await ctx.access.user(user.record)) && user;
}

/**
 * A person when either system knows the email. A side that cannot be asked (its upstream is
 * failing) counts as knowing it, so the person is still returned and only that side's field fails.
 */
export async function findPerson(ctx: GraphQLContext, email: string): Promise<Person | null> {
  const lookups = await Promise.allSettled([
    uemUserByEmail(ctx, email),
    ctx.loaders.harmony.userByEmail(email),
    externalUserByEmail(ctx.loaders.harmony, email),
  ]);
  const known = lookups.some((r) => r.status === 'rejected' || r.value !== null);
  return known ? { email: email.toLowerCase() } : null;
}

/** The devices of the UEM user with this email, paged exactly as `UemUser.devices` pages them. */
export async function devicesOfEmail(ctx: GraphQLContext, email: string, args: { first?: number | null; after?: string | null }) {
  const user = await uemUserByEmail(ctx, email);
  return devicesOfUser(ctx, user?.userName ?? null, user?.id ?? `email:${email.toLowerCase()}`, args);
}
