/**
 * A small HTTP client for the UEM simulator tests: real `fetch`, the API-only admin's headers by
 * default, and answers that keep the raw text so failures can print what the simulator sent.
 */
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { startUemSimulator, type UemSimulator, type UemSimulatorOptions } from '../../../src/simulators/uem/uem.simulator.js';

/** A fixed "now" so the seeded dates are the same on every run. */
export const TEST_NOW = Date.UTC(2025, 5, 15, 12, 0, 0, 0);

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read arbitrary fields of UEM's JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (form bodies, malformed JSON). */
  rawBody?: string;
  /** Replaces the default headers (tenant code and Basic). */
  headers?: Record<string, string>;
  /** Added to the default headers. */
  extraHeaders?: Record<string, string>;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export class UemTestClient {
  constructor(readonly sim: UemSimulator) {}

  defaultHeaders(): Record<string, string> {
    const c = this.sim.credentials;
    return { 'aw-tenant-code': c.tenantCode, authorization: basicAuth(c.username, c.password), accept: 'application/json' };
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers = { ...(options.headers ?? this.defaultHeaders()), ...options.extraHeaders };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.sim.url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path: string, options?: CallOptions): Promise<Answer> {
    return this.call('GET', path, options);
  }

  post(path: string, body?: unknown, options?: CallOptions): Promise<Answer> {
    return this.call('POST', path, { ...options, body });
  }

  delete(path: string, options?: CallOptions): Promise<Answer> {
    return this.call('DELETE', path, options);
  }
}

/** Starts a simulator on a free port with a manual clock at TEST_NOW (unless options say otherwise). */
export async function startTestSimulator(
  options: UemSimulatorOptions = {},
): Promise<{ sim: UemSimulator; client: UemTestClient; clock: ManualClock }> {
  const clock = new ManualClock(TEST_NOW);
  const sim = await startUemSimulator({ port: 0, clock, ...options });
  return { sim, client: new UemTestClient(sim), clock };
}

/** A bulk body: `{ BulkValues: { Value: [...] } }`. */
export function bulk(values: (string | number)[]): { BulkValues: { Value: string[] } } {
  return { BulkValues: { Value: values.map(String) } };
}

/** UEM's date form: ISO with milliseconds and no zone. */
export const UEM_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/;

/** Parses a UEM date (UTC, no zone) to epoch ms. */
export function uemDateMs(s: string): number {
  return Date.parse(`${s}Z`);
}
