/**
 * Harmony's answer envelope: `{ status: true, …payload }` or `{ status: false, errorCode,
 * errorMessage }` (docs/upstreams/harmony.md). Business failures are HTTP 200 as Harmony sends them;
 * a body that is not JSON or not the right shape is HTTP 400 `INVALID_REQUEST`, an invalid or
 * expired session HTTP 401 `INVALID_TOKEN`, an unknown route HTTP 404 `NOT_FOUND`.
 */
import type { SimRequest, SimResponse } from '../common/router.js';
import { jsonBody, SimHttpError, type SimErrorKind } from '../common/sim-server.js';

/** Codes of docs/upstreams/harmony.md plus the few this simulator adds for login and malformed requests. */
export type HarmonyErrorCode =
  | 'INVALID_TOKEN'
  | 'NOT_ORG_ADMIN'
  | 'ROLE_NAME_EXISTS'
  | 'ROLE_IMMUTABLE'
  | 'ROLE_NEEDS_PERMISSION'
  | 'PERMISSION_DEPRECATED'
  | 'EMAIL_IS_ORG_MEMBER'
  | 'EMAIL_IS_EXTERNAL_USER'
  | 'SSO_ORG_CONFLICT'
  | 'INVALID_STATUS_TRANSITION'
  | 'SUBSCRIPTION_EXPIRED'
  | 'NOT_FOUND'
  // Login (documented: VALIDATE_TFA_LOGIN_EMAIL; the others are ours).
  | 'VALIDATE_TFA_LOGIN_EMAIL'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TFA_CODE'
  | 'SSO_LOGIN_REQUIRED'
  // Transport-level answers (malformed body, injected faults, rate limit).
  | 'INVALID_REQUEST'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export type Body = Record<string, unknown>;

export const ok = (payload: Body = {}): SimResponse => ({ status: 200, body: { status: true, ...payload } });

export function failure(code: HarmonyErrorCode, message: string, httpStatus = 200, extra: Body = {}): SimResponse {
  return { status: httpStatus, body: { status: false, ...extra, errorCode: code, errorMessage: message } };
}

/** Ends the request with a failure envelope (the server turns the throw into the answer). */
export function fail(code: HarmonyErrorCode, message: string, httpStatus = 200, extra: Body = {}): never {
  throw new SimHttpError(failure(code, message, httpStatus, extra));
}

const kindCodes: Record<SimErrorKind, HarmonyErrorCode> = {
  fault: 'SERVICE_UNAVAILABLE',
  'rate-limit': 'RATE_LIMITED',
  'bad-json': 'INVALID_REQUEST',
  'too-large': 'INVALID_REQUEST',
  internal: 'INTERNAL_ERROR',
};

/** What an injected 4xx fault says, so a client reacts as it would to the real thing. */
const faultCodes: Partial<Record<number, HarmonyErrorCode>> = { 401: 'INVALID_TOKEN', 404: 'NOT_FOUND', 429: 'RATE_LIMITED' };

/** The shape of injected faults and transport errors, for `startSimServer`. */
export function errorResponse(status: number, kind: SimErrorKind, message: string): SimResponse {
  const code = kind === 'fault' && status < 500 ? (faultCodes[status] ?? 'INVALID_REQUEST') : kindCodes[kind];
  return failure(code, message, status);
}

export function notFoundRoute(req: { method: string; path: string }): SimResponse {
  return failure('NOT_FOUND', `No resource at ${req.method} ${req.path}.`, 404);
}

/** The request body as a JSON object (an empty body reads as `{}`), or a 400. */
export function readBody(req: SimRequest): Body {
  const value = jsonBody(req, { errorResponse });
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('INVALID_REQUEST', 'The request body must be a JSON object.', 400);
  }
  return value as Body;
}

const invalid = (message: string): never => fail('INVALID_REQUEST', message, 400);

export function requiredString(body: Body, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.trim() === '') return invalid(`${key} must be a non-empty string.`);
  return v.trim();
}

export function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return invalid(`${key} must be a string.`);
  return v.trim();
}

export function optionalBoolean(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return invalid(`${key} must be true or false.`);
  return v;
}

/** A list of strings, each one of `allowed` when given; undefined when absent. */
export function optionalStringList<T extends string>(body: Body, key: string, allowed?: readonly T[]): T[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return invalid(`${key} must be a list of strings.`);
  const unknown = allowed ? v.filter((x) => !(allowed as readonly string[]).includes(x)) : [];
  if (unknown.length > 0) return invalid(`${key} has unknown values: ${unknown.join(', ')}.`);
  return [...new Set(v as T[])];
}

export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export const isEmail = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
