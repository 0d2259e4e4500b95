/**
 * v1 bulk bodies (`{ "BulkValues": { "Value": ["101", "102"] } }`) and the BulkResponse every bulk
 * write answers with: HTTP 200 even on partial failure, the failures listed as per-item faults.
 */
import type { SimRequest } from '../common/router.js';
import { jsonBody } from '../common/sim-server.js';
import { badRequest, UemErrorCode, uemError } from './uem.errors.js';

export interface BulkFault {
  ErrorCode: number;
  ItemValue: string;
  Message: string;
}

export interface BulkResponse {
  TotalItems: number;
  AcceptedItems: number;
  FailedItems: number;
  Faults: { Fault: BulkFault[] };
}

const errorResponse = (status: number, _kind: string, message: string) =>
  uemError(status, UemErrorCode.MALFORMED_JSON, message);

/** Reads a JSON request body; malformed JSON is a 400 in UEM's shape. */
export function readJson(req: SimRequest): unknown {
  return jsonBody(req, { errorResponse });
}

/** The item values of a BulkValues body, as strings; a 400 when the body is not one. */
export function readBulkValues(req: SimRequest): string[] {
  const body = readJson(req);
  const values = (body as { BulkValues?: { Value?: unknown } } | undefined)?.BulkValues?.Value;
  if (!Array.isArray(values) || values.length === 0) {
    badRequest('The body must be { "BulkValues": { "Value": [ … ] } } with at least one value.');
  }
  return values.map((v) => {
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return badRequest('BulkValues.Value must hold strings or numbers.');
  });
}

/**
 * Applies `apply` to the first `limit` values; the rest become BULK_LIMIT_EXCEEDED faults.
 * `apply` returns a fault for an item it refuses, or undefined when it accepted it.
 */
export function runBulk(values: string[], limit: number, apply: (value: string) => BulkFault | undefined): BulkResponse {
  const faults: BulkFault[] = [];
  values.forEach((value, index) => {
    const fault =
      index < limit
        ? apply(value)
        : { ErrorCode: UemErrorCode.BULK_LIMIT_EXCEEDED, ItemValue: value, Message: `Exceeds the bulk limit of ${limit} items.` };
    if (fault) faults.push(fault);
  });
  return { TotalItems: values.length, AcceptedItems: values.length - faults.length, FailedItems: faults.length, Faults: { Fault: faults } };
}

export function deviceNotFoundFault(value: string): BulkFault {
  return { ErrorCode: UemErrorCode.DEVICE_NOT_FOUND, ItemValue: value, Message: 'Device not found.' };
}
