/**
 * Relay connections over UEM's 0-based paging. A window [offset, offset + first) is read with
 * page size `first`: one upstream page when the offset is a multiple of it (the usual case when a
 * client pages with a fixed `first`), two otherwise.
 */
import { badInput } from '../errors.js';
import type { CursorCodec } from './cursor.js';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function checkFirst(first: number | null | undefined, max: number, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badInput(`"first" must be between 1 and ${max}.`, { argument: 'first', max });
  }
  return n;
}

export async function pagedWindow<T>(
  offset: number,
  first: number,
  fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
): Promise<Page<T>> {
  const firstPage = Math.floor(offset / first);
  const lastPage = Math.floor((offset + first - 1) / first);
  const pages = await Promise.all(
    Array.from({ length: lastPage - firstPage + 1 }, (_, i) => fetchPage(firstPage + i, first)),
  );
  const items = pages.flatMap((p) => p.items);
  const skip = offset - firstPage * first;
  const total = Math.max(...pages.map((p) => p.total));
  return { items: items.slice(skip, skip + first), total };
}

/** An edge whose cursor is signed only if a query reads it (most list queries never do). */
function lazyEdge<T>(node: T, position: number, encode: (offset: number) => string): { cursor: string; node: T } {
  return {
    node,
    get cursor() {
      return encode(position);
    },
  };
}

/** The edges of `nodes` (the item at `position(i)`), built the first time a query reads them. */
export function lazyEdges<T>(nodes: readonly T[], position: (i: number) => number, scope: unknown, cursors: CursorCodec): () => { cursor: string; node: T }[] {
  let edges: { cursor: string; node: T }[] | undefined;
  return () => {
    if (edges) return edges;
    const encode = cursors.encoder(scope);
    return (edges = nodes.map((node, i) => lazyEdge(node, position(i), encode)));
  };
}

export function toConnection<T>(page: Page<T>, offset: number, filter: unknown, cursors: CursorCodec): Connection<T> {
  // Most list queries read `nodes` only: no edge object per item unless `edges` is selected.
  const edges = lazyEdges(page.items, (i) => offset + i, filter, cursors);
  const last = page.items.length - 1;
  return {
    get edges() {
      return edges();
    },
    nodes: page.items,
    pageInfo: {
      hasNextPage: offset + page.items.length < page.total,
      get endCursor() {
        return last >= 0 ? cursors.encode(offset + last, filter) : null;
      },
    },
    totalCount: page.total,
  };
}
