/**
 * The in-process tier: requests go straight into the gateway's HTTP handler (light-my-request's
 * `inject`: the same request and response objects Node's server would pass, no socket), against
 * one demo gateway per worker that every file of the tier shares, read-only. That tier runs with
 * `isolate: false` (vitest.config.ts), so the gateway and the imports are paid once per worker.
 *
 * What a file of this tier may do: read anything; write only fresh objects of its own that no
 * other test reads (a new API key for a new owner). What it may not: change the demo data, set
 * faults, or depend on caches being cold — that is the integration tier (startTestGateway).
 */
import inject from 'light-my-request';
import type { RunningApp } from '../../src/app.js';
import { demoCredentialValues, expectNoLeaks, startTestGateway, testGateway, type Send, type TestGateway } from './gateway.js';

let shared: Promise<TestGateway> | undefined;

/** Sends a request into the handler without a socket. */
export function injector(app: RunningApp): Send {
  return async ({ method, path, headers, body }) => {
    const res = await inject((req, res) => void app.handle(req, res), { method: method as 'GET', url: path, headers, payload: body });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return { status: res.statusCode, headers: out, text: res.payload };
  };
}

/**
 * The worker's shared demo gateway, driven in-process. `close()` leaves it running for the next
 * file and checks its logs so far for leaked secrets (call it in `afterAll`).
 */
export async function demoGateway(): Promise<TestGateway> {
  shared ??= startTestGateway();
  const { app, logs } = await shared;
  return testGateway(app, logs, injector(app), async () => expectNoLeaks(app, logs, demoCredentialValues(app.config.dataDir)));
}
