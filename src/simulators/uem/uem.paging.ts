/**
 * UEM paging: 0-based `page`, `pagesize` defaulting to 500 (device search and extensive search cut
 * it at 500 and echo the effective size). No match, or a page past the end, is 204 with no body.
 */
import type { CaseInsensitiveQuery, SimResponse } from '../common/router.js';
import { badRequest } from './uem.errors.js';

export const DEFAULT_PAGE_SIZE = 500;

export interface Paging {
  page: number;
  pageSize: number;
  start: number;
}

function integer(query: CaseInsensitiveQuery, name: string, fallback: number, min: number): number {
  const raw = query.get(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) badRequest(`Invalid value '${raw}' for ${name}.`);
  return Number(raw);
}

export function readPaging(query: CaseInsensitiveQuery, cap?: number): Paging {
  const page = integer(query, 'page', 0, 0);
  const asked = integer(query, 'pagesize', DEFAULT_PAGE_SIZE, 1);
  const pageSize = cap === undefined ? asked : Math.min(asked, cap);
  return { page, pageSize, start: page * pageSize };
}

/** `{ [key]: items, Page, PageSize, Total }`, or 204 when the page is empty. */
export function paged(key: string, items: unknown[], paging: Paging, total: number, extra: Record<string, unknown> = {}): SimResponse {
  if (items.length === 0) return { status: 204 };
  return { status: 200, body: { [key]: items, Page: paging.page, PageSize: paging.pageSize, Total: total, ...extra } };
}

/** Pages an in-memory list. */
export function pageOf<T>(all: readonly T[], paging: Paging): T[] {
  return all.slice(paging.start, paging.start + paging.pageSize);
}
