/** What the UEM verb modules share: the authenticated API, tuning, and the cached bulk settings. */
import type { UemApi } from './uem.call.js';
import type { UemBulkSettings } from './uem.schemas.js';

export interface UemTuning {
  /** Pages (or id chunks) fetched at once after the first. Default 4. */
  pageConcurrency: number;
  /** Most ids per `POST /mdm/devices/id`. Default 500. */
  maxIdsPerRead: number;
}

export interface UemContext {
  api: UemApi;
  tuning: UemTuning;
  bulkSettings(): Promise<UemBulkSettings>;
}

/** A path segment from an id the caller gave (numbers or strings; always encoded). */
export const seg = (id: number | string): string => encodeURIComponent(String(id).trim());
