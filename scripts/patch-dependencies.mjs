#!/usr/bin/env node
/**
 * Run after every install (`postinstall`): one change to an installed dependency, found by its
 * exact text, that the gateway's CPU depends on. Idempotent; with `--check` it only reports.
 *
 * Apollo Server (`makeGatewayGraphQLRequestContext`, the seam the graphql-jit executor is plugged
 * into: src/graphql/executor.ts) builds every request's `response.http` as an object literal with a
 * `get status()`/`set status()` pair whose closures capture the whole request context. In Node 20's
 * V8 such a literal defines its accessors afresh each time, and what they capture then survives
 * every scavenge until the next mark-compact: each request's context, loaders, upstream bodies and
 * result were promoted to the old generation (BENCHMARKS.md, "Per-request CPU, fifth round"). The
 * patch puts the same accessors on a class's prototype: the same behaviour, defined once.
 *
 * The gateway is correct without the patch, only slower: text that is not found (another Apollo
 * Server version) is reported and left alone, and the install goes on. A unit test
 * (test/unit/graphql/apollo-patch.test.ts) fails when the installed file is not patched.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MARKER = 'uem-harmony-gateway: scripts/patch-dependencies.mjs';

const ORIGINAL = `        http: {
            headers: new FetcherHeadersForHeaderMap(newRequestContext.response.http.headers),
            get status() {
                return newRequestContext.response.http.status;
            },
            set status(newStatus) {
                newRequestContext.response.http.status = newStatus;
            },
        },`;

const PATCHED = `        // ${MARKER}: the status accessors on a class (GatewayResponseHttp).
        http: new GatewayResponseHttp(newRequestContext),`;

const CLASS = `
// ${MARKER}: accessors defined once, on the prototype, instead of per request.
class GatewayResponseHttp {
    headers;
    #requestContext;
    constructor(requestContext) {
        this.headers = new FetcherHeadersForHeaderMap(requestContext.response.http.headers);
        this.#requestContext = requestContext;
    }
    get status() {
        return this.#requestContext.response.http.status;
    }
    set status(newStatus) {
        this.#requestContext.response.http.status = newStatus;
    }
}
`;

/** The files patched, under a `node_modules` folder. */
export const TARGETS = ['esm', 'cjs'].map((flavour) => join('@apollo', 'server', 'dist', flavour, 'utils', 'makeGatewayGraphQLRequestContext.js'));

/** `patched` (now or before), or `unknown` (the text is not Apollo's as we know it: left alone). */
export function patchText(text) {
  if (text.includes(MARKER)) return { outcome: 'already', text };
  if (!text.includes(ORIGINAL)) return { outcome: 'unknown', text };
  const replaced = text.replace(ORIGINAL, PATCHED);
  // The class goes before the source map comment, or at the end.
  const mapAt = replaced.lastIndexOf('//# sourceMappingURL=');
  const at = mapAt === -1 ? replaced.length : mapAt;
  return { outcome: 'patched', text: `${replaced.slice(0, at)}${CLASS}${replaced.slice(at)}` };
}

/** Patches (or with `check`, only reads) the targets under `nodeModules`; answers each file's outcome. */
export function patchDependencies(nodeModules, { check = false } = {}) {
  return TARGETS.map((target) => {
    const file = join(nodeModules, target);
    if (!existsSync(file)) return { file, outcome: 'missing' };
    const { outcome, text } = patchText(readFileSync(file, 'utf8'));
    if (outcome === 'patched' && !check) writeFileSync(file, text);
    return { file, outcome: check && outcome === 'patched' ? 'unpatched' : outcome };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const results = patchDependencies(join(root, 'node_modules'), { check });
  for (const { file, outcome } of results) {
    if (outcome === 'unknown' || outcome === 'missing') {
      process.stderr.write(`patch-dependencies: ${file}: ${outcome === 'missing' ? 'not installed' : 'not the text this patch knows (another Apollo Server version?)'}; left alone. The gateway works without it, with more garbage-collection work per request.\n`);
    } else if (outcome === 'unpatched') {
      process.stderr.write(`patch-dependencies: ${file}: not patched (run \`node scripts/patch-dependencies.mjs\`).\n`);
    }
  }
  if (check && results.some((r) => r.outcome !== 'already')) process.exitCode = 1;
}
