/**
 * UEM paging (docs/upstreams/uem.md): 0-based `page`, `pagesize` (500 by default; device search cuts a
 * larger one and echoes the effective `PageSize`), `Total` counting every match, and **204 with no
 * body for no match or a page past the end**, read here as an empty page.
 */
import { z } from 'zod';
import { mapConcurrent } from '../concurrency.js';
import type { BodyReader } from '../upstream-http/validate.js';
import { count, readCount } from './uem.wire.js';

export interface UemPage<T> {
  items: T[];
  /** 0-based. */
  page: number;
  /** The page size UEM applied (it may cut the one asked for). */
  pageSize: number;
  /** Matches in all; 0 for a 204 (no match, or a page past the end). */
  total: number;
}

export const DEFAULT_PAGE_SIZE = 500;

const pageSchemas = new WeakMap<z.ZodType, Map<string, z.ZodType>>();

/**
 * `{ [key]: items, Page, PageSize, Total }` (or another total key, e.g. `TotalResults`). The same
 * arguments answer the same schema object, so a body shared by several requests is validated once
 * (http/validate.ts remembers outcomes per schema).
 */
export function pageSchema<S extends z.ZodType>(key: string, item: S, totalKey = 'Total') {
  let byKey = pageSchemas.get(item);
  if (!byKey) {
    byKey = new Map();
    pageSchemas.set(item, byKey);
  }
  const name = `${key}\n${totalKey}`;
  const cached = byKey.get(name) as ReturnType<typeof buildPageSchema<S>> | undefined;
  if (cached) return cached;
  const schema = buildPageSchema(key, item, totalKey);
  byKey.set(name, schema);
  return schema;
}

function buildPageSchema<S extends z.ZodType>(key: string, item: S, totalKey: string) {
  return z
    .object({ [key]: z.array(item).nullish(), Page: count, PageSize: count, [totalKey]: count })
    .transform((body) => {
      const record = body as Record<string, unknown>;
      const items = (record[key] ?? []) as z.output<S>[];
      return { items, page: record.Page as number | null, pageSize: record.PageSize as number | null, total: record[totalKey] as number | null };
    });
}

/** A page as `pageSchema` reads it, before `toPage`. */
export interface ParsedPage<T> {
  items: T[];
  page: number | null;
  pageSize: number | null;
  total: number | null;
}

/**
 * `pageSchema(key, readerSchema(read, what), totalKey)` read by hand, for the pages the hot path
 * reads (device searches): the same answers and the same refusals (not an object; the list neither
 * absent, null nor an array; an item `read` cannot read), without zod's transform per item, whose
 * outputs survived scavenges (validate.ts, `BodyReader`).
 */
export function readerPage<T>(key: string, read: (wire: unknown) => T | null, what: string, totalKey = 'Total'): BodyReader<ParsedPage<T>> {
  const refuse = (message: string) => ({ success: false as const, error: new Error(`${key} page: ${message}`) });
  return {
    safeParse(body) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('not an object');
      const record = body as Record<string, unknown>;
      const list = record[key];
      if (list !== undefined && list !== null && !Array.isArray(list)) return refuse(`${key} is not a list`);
      const items: T[] = [];
      for (const [i, wire] of (list ?? []).entries()) {
        const item = read(wire);
        if (item === null) return refuse(`${key}[${i}]: ${what} without a readable Id`);
        items.push(item);
      }
      return { success: true, data: { items, page: readCount(record.Page), pageSize: readCount(record.PageSize), total: readCount(record[totalKey]) } };
    },
  };
}

/** A parsed page, or the empty page a 204 stands for. */
export function toPage<T>(
  parsed: { items: T[]; page: number | null; pageSize: number | null; total: number | null } | undefined,
  page: number,
  pageSize: number,
): UemPage<T> {
  if (!parsed) return { items: [], page, pageSize, total: 0 };
  return {
    items: parsed.items,
    page: parsed.page ?? page,
    pageSize: parsed.pageSize ?? pageSize,
    total: parsed.total ?? page * pageSize + parsed.items.length,
  };
}

export interface FetchAllOptions<T = unknown> {
  pageSize?: number;
  /** Pages fetched at once after the first. Default 4. */
  concurrency?: number;
  /**
   * Each page's items as it comes (in any order), instead of all of them at the end: the answer's
   * `items` is then empty, and at most `concurrency` pages are held at once (a whole-tenant read).
   */
  onPage?(items: T[]): Promise<void>;
}

/**
 * Every item: the first page, then — once `Total` is known — the remaining pages with bounded
 * concurrency, concatenated in page order. A later page answering 204 (the data shrank) is empty.
 */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<UemPage<T>>,
  options: FetchAllOptions<T> = {},
): Promise<{ items: T[]; total: number }> {
  const asked = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const { onPage } = options;
  const first = await fetchPage(0, asked);
  if (first.items.length === 0) return { items: [], total: first.total };
  // The effective size UEM echoes; a missing echo falls back to what came back.
  const size = first.pageSize > 0 ? Math.min(first.pageSize, asked) : first.items.length;
  const pages = Math.ceil(first.total / Math.max(1, size));
  const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 1);
  if (onPage) {
    await onPage(first.items);
    await mapConcurrent(rest, options.concurrency ?? 4, async (page) => onPage((await fetchPage(page, size)).items));
    return { items: [], total: first.total };
  }
  const later = await mapConcurrent(rest, options.concurrency ?? 4, (page) => fetchPage(page, size));
  return { items: [first.items, ...later.map((p) => p.items)].flat(), total: first.total };
}
