/**
 * A tiny HTTP client for the Harmony simulator tests: real `fetch`, the simulator's paths, and
 * failure messages that print the request and the answer.
 */
import { expect } from 'vitest';
import { HARMONY_BASE } from '../../../src/simulators/harmony/harmony.paths.js';

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read arbitrary fields of the envelope.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON). */
  rawBody?: string;
}

export class HarmonyTestClient {
  constructor(
    readonly origin: string,
    readonly orgId = 'demo-org',
  ) {}

  /** `/orgs/{orgId}` + path under the API base. */
  orgPath(path = ''): string {
    return `/orgs/${this.orgId}${path}`;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authToken = options.token;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.origin}${HARMONY_BASE}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  login(email: string, password = 'demo-password', deviceId?: string): Promise<Answer> {
    return this.call('PUT', '/user/login', { body: deviceId ? { email, password, deviceId } : { email, password } });
  }

  /** Logs in and returns the token, failing loudly with the answer when login fails. */
  async token(email = 'integration@demo.example', password = 'demo-password'): Promise<string> {
    const answer = await this.login(email, password);
    if (answer.json?.status !== true) throw new Error(`login of ${email} failed: ${answer.status} ${answer.text}`);
    return answer.json.authenticationToken as string;
  }

  get(path: string, token: string): Promise<Answer> {
    return this.call('GET', this.orgPath(path), { token });
  }
  post(path: string, token: string, body?: unknown): Promise<Answer> {
    return this.call('POST', this.orgPath(path), { token, body });
  }
  put(path: string, token: string, body?: unknown): Promise<Answer> {
    return this.call('PUT', this.orgPath(path), { token, body });
  }
  delete(path: string, token: string): Promise<Answer> {
    return this.call('DELETE', this.orgPath(path), { token });
  }
}

/** Asserts a body-level failure (HTTP 200 unless told) with the given code and a message. */
export function expectFailure(answer: Answer, errorCode: string, status = 200): void {
  const context = `${answer.status} ${answer.text}`;
  expect(answer.status, context).toBe(status);
  expect(answer.json, context).toMatchObject({ status: false, errorCode, errorMessage: expect.any(String) });
}

/** Asserts a success envelope and returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectOk(answer: Answer): any {
  const context = `${answer.status} ${answer.text}`;
  expect(answer.status, context).toBe(200);
  expect(answer.json?.status, context).toBe(true);
  return answer.json;
}
