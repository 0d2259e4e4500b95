/**
 * API versions by header: `Accept: application/json;version=N`, v1 when none is asked. Every route
 * of the simulator exists in v1 only, so an unknown version is answered with v1, as UEM answers an
 * endpoint that lacks the asked version with one it has.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const SUPPORTED_VERSIONS: readonly number[] = [1];

export function askedVersion(headers: IncomingHttpHeaders): number | undefined {
  const accept = headers.accept ?? '';
  const m = /version\s*=\s*"?(\d+)/i.exec(accept);
  return m ? Number(m[1]) : undefined;
}

/** The version a response is written in. */
export function answeredVersion(headers: IncomingHttpHeaders): number {
  const asked = askedVersion(headers);
  return asked !== undefined && SUPPORTED_VERSIONS.includes(asked) ? asked : 1;
}
