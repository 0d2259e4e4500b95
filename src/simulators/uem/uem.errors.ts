/**
 * UEM's error shape `{ errorCode, message, activityId }` and the codes the simulator answers with.
 * 1005, 1013 and 5061 are UEM's own (docs/upstreams/uem.md); the others are our choice, listed here so
 * the gateway and the doctor command can rely on them.
 */
import { randomUUID } from 'node:crypto';
import { SimHttpError } from '../common/sim-server.js';
import type { SimResponse } from '../common/router.js';

export const UemErrorCode = {
  /** 500: an unexpected simulator error. */
  INTERNAL: 1000,
  /** 400: a query parameter or body field is missing or invalid (also a body over the size limit). */
  INVALID_REQUEST: 1001,
  /** 400: the body is not valid JSON. */
  MALFORMED_JSON: 1002,
  /** 401: bad user or password, or an unknown or expired bearer token (UEM's code). */
  UNAUTHORIZED: 1005,
  /** 403: missing or unknown aw-tenant-code (UEM's code). */
  TENANT_CODE: 1013,
  /** 403: the admin's role lacks the permission category the route needs (our choice). */
  PERMISSION_DENIED: 1016,
  /** 429: injected per-second rate limit (`rateLimitPerSecond` fault). */
  TOO_MANY_REQUESTS: 1028,
  /** 429: the tenant's daily API quota is spent. */
  QUOTA_EXCEEDED: 1029,
  /** Any status: an injected fault (`errorRate`). */
  INJECTED_FAULT: 1999,
  /** 404: device not found (UEM's code); also a bulk fault for an unknown device. */
  DEVICE_NOT_FOUND: 5061,
  USER_NOT_FOUND: 5064,
  APP_NOT_FOUND: 5065,
  SMART_GROUP_NOT_FOUND: 5066,
  TAG_NOT_FOUND: 5067,
  USER_GROUP_NOT_FOUND: 5068,
  /** 400: `adduser` with a UserName that already exists (case-insensitive). */
  DUPLICATE_USER_NAME: 5071,
  /** 400: unknown `command=` name. */
  UNKNOWN_COMMAND: 5072,
  /** 400 for more ids than allowed in one call; a bulk fault for items beyond the bulk limit. */
  BULK_LIMIT_EXCEEDED: 5073,
  /** 400 (single command) or a bulk fault: the device is Unenrolled and takes no command. */
  DEVICE_NOT_ENROLLED: 5075,
  /** 400: the app's platform is not the device's platform. */
  APP_PLATFORM_MISMATCH: 5076,
  /** 400: `addtag` with a name already used by a tag at that organization group (case-insensitive). */
  DUPLICATE_TAG_NAME: 5077,
  /** 404: no command with this CommandUuid. */
  COMMAND_NOT_FOUND: 5078,
  /** 400 (single command) or a bulk fault: the device's platform does not support the command. */
  COMMAND_NOT_SUPPORTED: 5079,
} as const;
export type UemErrorCode = (typeof UemErrorCode)[keyof typeof UemErrorCode];

export interface UemErrorBody {
  errorCode: number;
  message: string;
  activityId: string;
}

export function uemError(status: number, errorCode: number, message: string): SimResponse {
  const body: UemErrorBody = { errorCode, message, activityId: randomUUID() };
  return { status, body };
}

/** Throws a UEM error out of a handler. */
export function fail(status: number, errorCode: number, message: string): never {
  throw new SimHttpError(uemError(status, errorCode, message));
}

export function badRequest(message: string, errorCode: number = UemErrorCode.INVALID_REQUEST): never {
  return fail(400, errorCode, message);
}

/** What IIS in front of UEM answers for an unknown path: an HTML page, not JSON. */
export function htmlNotFound(path: string): SimResponse {
  const escaped = path.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body:
      '<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head>' +
      `<body><h1>Server Error</h1><h2>404 - File or directory not found.</h2><p>${escaped}</p></body></html>`,
  };
}
