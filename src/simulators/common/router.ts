/**
 * A tiny router for the simulators. Route templates look like `/API/mdm/devices/{id}`; literal
 * segments match case-insensitively (the real UEM API accepts `/API` and `/api`), and a template
 * with more literal segments wins over one with parameters (`/devices/search` beats `/devices/{id}`).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  /** The matched route template, e.g. `/API/mdm/devices/{id}`. */
  template: string;
  params: Record<string, string>;
  query: CaseInsensitiveQuery;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; any other value is sent as JSON. Omit for an empty body. */
  body?: unknown;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** Query parameters whose names match case-insensitively (`pagesize` = `PageSize`). */
export class CaseInsensitiveQuery {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const k = key.toLowerCase();
      const list = this.values.get(k) ?? [];
      list.push(value);
      this.values.set(k, list);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }

  getAll(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  literalCount: number;
  handler: Handler;
}

export interface RouteMatch {
  template: string;
  params: Record<string, string>;
  handler: Handler;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const segments = split(template);
    this.routes.push({
      method: method.toUpperCase(),
      template,
      segments,
      literalCount: segments.filter((s) => !s.startsWith('{')).length,
      handler,
    });
    // Most specific first, so literal routes shadow parameterised ones.
    this.routes.sort((a, b) => b.literalCount - a.literalCount);
    return this;
  }

  get(template: string, handler: Handler): this {
    return this.add('GET', template, handler);
  }
  post(template: string, handler: Handler): this {
    return this.add('POST', template, handler);
  }
  put(template: string, handler: Handler): this {
    return this.add('PUT', template, handler);
  }
  delete(template: string, handler: Handler): this {
    return this.add('DELETE', template, handler);
  }

  /** All templates, as `METHOD template` (what the stats count by). */
  templates(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = split(path);
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith('{') && seg.endsWith('}')) {
          params[seg.slice(1, -1)] = safeDecode(part);
        } else if (seg.toLowerCase() !== part.toLowerCase()) {
          ok = false;
          break;
        }
      }
      if (ok) return { template: route.template, params, handler: route.handler };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
