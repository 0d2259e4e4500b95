/**
 * The browser IDE: GraphiQL 3 served from installed packages (its UMD build with React 18's), so
 * the page works with no internet. The Authorization header is editable in the headers pane.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A file inside an installed package (found from its entry point: `exports` hides the rest). */
function packageFile(spec: string): string {
  const [scopeOrName = '', ...rest] = spec.split('/');
  const name = scopeOrName.startsWith('@') ? `${scopeOrName}/${rest.shift() ?? ''}` : scopeOrName;
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, ...rest);
}

/** Asset name → [file in node_modules, content type]. */
const ASSETS: Record<string, [string, string]> = {
  'react.js': ['react/umd/react.production.min.js', 'text/javascript; charset=utf-8'],
  'react-dom.js': ['react-dom/umd/react-dom.production.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.js': ['graphiql/graphiql.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.css': ['graphiql/graphiql.min.css', 'text/css; charset=utf-8'],
};

const cache = new Map<string, Buffer>();

/** The asset at `/graphiql/<name>`, read once from node_modules. */
export function graphiqlAsset(name: string): { body: Buffer; contentType: string } | undefined {
  const entry = ASSETS[name];
  if (!entry) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(packageFile(entry[0]));
    cache.set(name, body);
  }
  return { body, contentType: entry[1] };
}

const DEFAULT_QUERY = `# Welcome to the UEM–Harmony Gateway.
# Put your token in the Headers pane: { "Authorization": "Bearer <JWT>" }
# (demo mode writes one per persona to .data/demo-credentials.json).
query FirstDevices {
  viewer { kind email permissions }
  devices(first: 5) {
    totalCount
    nodes { id friendlyName platform complianceStatus user { userName email } }
  }
}
`;

export function graphiqlPage(endpoint: string, defaultHeaders = '{\n  "Authorization": "Bearer "\n}'): string {
  const settings = JSON.stringify({ endpoint, query: DEFAULT_QUERY, headers: defaultHeaders }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>UEM–Harmony Gateway · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script>
  const settings = ${settings};
  const fetcher = GraphiQL.createFetcher({ url: settings.endpoint });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: settings.query,
      defaultHeaders: settings.headers,
      headerEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
</script>
</body>
</html>
`;
}
