/**
 * The browser IDE: GraphiQL (current major) at `GET /graphql` for a browser asking for HTML, and
 * its files under `/graphiql/`. The bundle is built from ide/ by scripts/build-ide.mjs into
 * dist/ide/ (`npm start`, `npm test` and `npm run build` build it when its inputs changed), so the
 * page works with no internet and under a strict Content-Security-Policy: every script, style
 * sheet, font and worker comes from this origin.
 *
 * The page starts clean: it sends no request until the headers carry credentials, and says how to
 * add them. In demo mode a link `/graphql#token=<jwt>` fills the Authorization header (the
 * fragment never reaches the server).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/ide/ of this checkout, from src/http-server/ (tsx) as from dist/http-server/ (compiled). */
export const IDE_DIR = fileURLToPath(new URL('../../dist/ide/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** Every script, style, font and worker from this origin; connections to this origin only. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Monaco positions its widgets with inline styles and adds style elements of its own.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DEFAULT_QUERY = `# Welcome to the UEM–Harmony Gateway.
#
# Put your credentials in the Headers tab below:
#   { "Authorization": "Bearer <JWT>" }
# Demo mode writes a token for every persona to
# .data/demo-credentials.json, and /graphql#token=<token>
# opens the IDE with one. Docs and autocomplete load
# once the headers carry a token.
query FirstDevices {
  viewer { kind email permissions }
  devices(first: 5) {
    totalCount
    nodes { id friendlyName platform complianceStatus user { userName email } }
  }
}
`;

interface Bundle {
  manifest: Record<string, string>;
  /** File name → content type; only these files are served. */
  files: Map<string, string>;
}

export interface Ide {
  /** Answers `GET /graphql` for a browser: the page, or 503 saying how to build it. */
  page(req: IncomingMessage, res: ServerResponse): void;
  /** Answers `GET /graphiql/<name>`; false when there is no such file. */
  asset(req: IncomingMessage, res: ServerResponse, name: string): boolean;
}

export function createIde(options: { endpoint: string; demo: boolean; dir?: string }): Ide {
  const dir = options.dir ?? IDE_DIR;
  let bundle: Bundle | undefined;
  const bodies = new Map<string, Buffer>();

  /** The built bundle, read once it exists (a gateway started before the build picks it up). */
  function load(): Bundle | undefined {
    if (bundle) return bundle;
    const manifestFile = join(dir, 'manifest.json');
    if (!existsSync(manifestFile)) return undefined;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    const files = new Map<string, string>();
    for (const name of readdirSync(dir)) {
      const type = CONTENT_TYPES[extname(name)];
      if (type) files.set(name, type);
    }
    bundle = { manifest, files };
    return bundle;
  }

  const read = (name: string): Buffer | undefined => {
    let body = bodies.get(name);
    if (!body && existsSync(join(dir, name))) {
      body = readFileSync(join(dir, name));
      bodies.set(name, body);
    }
    return body;
  };

  return {
    page(_req, res) {
      const built = load();
      const html = built ? pageHtml(built.manifest, options) : NOT_BUILT;
      res.writeHead(built ? 200 : 503, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': String(Buffer.byteLength(html)),
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(html);
    },

    asset(req, res, name) {
      const type = load()?.files.get(name);
      if (!type) return false;
      const accepted = String(req.headers['accept-encoding'] ?? '');
      const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
      const compressed = encoding ? read(`${name}.${encoding === 'br' ? 'br' : 'gz'}`) : undefined;
      const body = compressed ?? read(name);
      if (!body) return false;
      res.writeHead(200, {
        'content-type': type,
        'content-length': String(body.length),
        // File names carry a hash of their content.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(compressed && encoding ? { 'content-encoding': encoding } : {}),
      });
      res.end(body);
      return true;
    },
  };
}

const escapeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function pageHtml(manifest: Record<string, string>, options: { endpoint: string; demo: boolean }): string {
  const file = (name: string) => `/graphiql/${manifest[name] ?? name}`;
  const settings = {
    endpoint: options.endpoint,
    demo: options.demo,
    defaultQuery: DEFAULT_QUERY,
    workers: { editor: file('editor.worker.js'), json: file('json.worker.js'), graphql: file('graphql.worker.js') },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>UEM–Harmony Gateway · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${file('graphiql.css')}">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="application/json" id="ide-settings">${escapeJson(settings)}</script>
<script src="${file('graphiql.js')}"></script>
</body>
</html>
`;
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>UEM–Harmony Gateway · IDE not built</title></head>
<body>
<h1>The browser IDE is not built</h1>
<p>Build it with <code>npm run build:ide</code> (<code>npm start</code>, <code>npm test</code> and <code>npm run build</code> build it
when needed), then reload. GraphQL itself is available at this address with <code>POST</code>.</p>
</body>
</html>
`;
