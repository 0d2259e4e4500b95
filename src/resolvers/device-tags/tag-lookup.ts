/**
 * Finding a tag from what a caller typed: its UEM id, or its name (case-insensitive, surrounding
 * spaces ignored). A value made only of digits is an id. The cached tag list answers both; an id
 * missing from it (a tag created since, on another instance) is read once from UEM
 * (`GET /mdm/tags/{id}`), so a fresh tag never waits for the cache to expire.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, notFound } from '../../errors.js';
import { sameTagName } from '../../domain/tag-names.js';

const ID = /^\d{1,12}$/;


/** The tag with this id, from the cached list or UEM; null when UEM has none. */
export async function tagById(ctx: GraphQLContext, id: string): Promise<UemTag | null> {
  const wanted = id.trim();
  if (!ID.test(wanted)) throw badInput(`"${wanted.slice(0, 40)}" is not a UEM tag id.`, { argument: 'id' });
  return (await ctx.loaders.uem.tags()).find((t) => String(t.id) === wanted) ?? (await ctx.uem.getTag(wanted));
}

/**
 * The one tag a reference names. NOT_FOUND when none does; BAD_USER_INPUT when a name is used by
 * tags of several organization groups (their ids are listed, to pick one).
 */
export async function findTag(ctx: GraphQLContext, ref: string, argument: string): Promise<UemTag> {
  const wanted = ref.trim();
  if (wanted === '' || wanted.length > 200) throw badInput(`"${argument}" must be a tag's id or name (1 to 200 characters).`, { argument });
  if (ID.test(wanted)) {
    const tag = await tagById(ctx, wanted);
    if (tag) return tag;
    throw notFound(`No tag with id ${wanted}.`, { argument });
  }
  const named = (await ctx.loaders.uem.tags()).filter((t) => sameTagName(t.name, wanted));
  if (named.length === 1) return named[0] as UemTag;
  if (named.length === 0) throw notFound(`No tag is named "${wanted.slice(0, 60)}" (createTag creates one).`, { argument });
  const ids = named.map((t) => t.id).sort((a, b) => a - b);
  throw badInput(`Several tags are named "${wanted.slice(0, 60)}" (ids ${ids.join(', ')}): name the one you mean by its id.`, { argument, tagIds: ids.map(String) });
}
