/**
 * One authenticated UEM call: `aw-tenant-code`, the version in `Accept`
 * (`application/json;version=1`), the Authorization header, and exactly one retry with fresh
 * credentials when the answer is 401 and a fresh token may help (OAuth). A write is safe to resend
 * then: UEM refused it before acting. A 403 other than the tenant code's (1013) means the API admin's
 * role lacks the route's permission category: the error names it (uem.role-categories.ts). Bodies
 * are parsed with their schema; 204 reads as undefined.
 */
import type { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import type { HttpClient, HttpMethod, HttpResponse, UpstreamCallObserver } from '../upstream-http/http-client.js';
import type { Query } from '../upstream-http/request-parts.js';
import { parseResponse, type BodyReader, type BodyShape } from '../upstream-http/validate.js';
import type { UemAuth } from './uem.auth.js';
import { roleCategoryFix, roleCategoryOf, UEM_ROLE_CATEGORIES } from './uem.role-categories.js';
import { copyWith } from '../../object-copy.js';

/** UEM's code for an unknown tenant code (a 403 that is not about the role). */
const TENANT_CODE_REFUSED = 1013;

/** A 403 about the role, rewritten to name the missing category; anything else as it was. */
function namingRoleCategory(err: unknown, path: string): unknown {
  if (!(err instanceof UpstreamError) || err.details.status !== 403 || Number(err.details.upstreamCode) === TENANT_CODE_REFUSED) return err;
  const category = roleCategoryOf(path);
  if (category === undefined) return err;
  const label = UEM_ROLE_CATEGORIES[category];
  const message = `UEM refused the call (${err.details.operation ?? 'uem'}): the gateway's API admin role lacks the permission category ${label}. ${roleCategoryFix(category)}`;
  return new UpstreamError(err.code, 'uem', message, { ...err.details, reason: 'UEM_ROLE_CATEGORY_MISSING', roleCategory: label }, { cause: err });
}

export interface UemShared {
  client: HttpClient;
  auth: UemAuth;
  tenantCode: string | undefined;
  /** The API version asked in `Accept`; the shapes here are v1. */
  apiVersion: number;
}

export interface UemCallSpec {
  method: HttpMethod;
  /** Under `/API`, e.g. `/mdm/devices/search`. */
  path: string;
  query?: Query;
  body?: unknown;
  /** Route name for metrics and errors (never an id). */
  operation: string;
  /** Marks a POST lookup as safe to retry (e.g. `POST /mdm/devices/id`). */
  idempotent?: boolean;
  /** A readiness probe (HttpRequest.probe). */
  probe?: { timeoutMs: number };
}

export class UemApi {
  constructor(
    private readonly shared: UemShared,
    private readonly onUpstreamCall?: UpstreamCallObserver,
  ) {}

  async send(spec: UemCallSpec): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.shared.auth.authorization(this.onUpstreamCall);
      const headers: Record<string, string> = {
        accept: `application/json;version=${this.shared.apiVersion}`,
        authorization,
      };
      if (this.shared.tenantCode) headers['aw-tenant-code'] = this.shared.tenantCode;
      try {
        return await this.shared.client.request(copyWith(spec, { headers, onUpstreamCall: this.onUpstreamCall }));
      } catch (err) {
        const unauthorized = err instanceof UpstreamError && err.details.status === 401;
        if (attempt > 0 || !unauthorized || !this.shared.auth.rejected(authorization)) throw namingRoleCategory(err, spec.path);
      }
    }
  }

  /** Sends and parses the body; undefined for 204 or an empty body. */
  json<T>(spec: UemCallSpec, schema: BodyReader<T>): Promise<T | undefined>;
  json<S extends z.ZodType>(spec: UemCallSpec, schema: S): Promise<z.output<S> | undefined>;
  async json(spec: UemCallSpec, schema: BodyShape): Promise<unknown> {
    const res = await this.send(spec);
    if (res.status === 204 || res.body === undefined) return undefined;
    return parseResponse(schema, res, { upstream: 'uem', operation: spec.operation });
  }
}
