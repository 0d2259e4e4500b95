/**
 * The browser IDE: GraphiQL (current major) bundled at build time by scripts/build-ide.mjs into
 * dist/ide/ and served by the gateway, so nothing is fetched from a CDN. It starts clean: without
 * credentials it sends no request and says how to add them; once the headers carry a token it
 * loads the schema (Docs and autocomplete) and runs operations.
 */
import 'graphiql/style.css';
import './ide.css';
import { GraphiQL } from 'graphiql';
import { parse as parseJsonc } from 'jsonc-parser';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { credentialOf, HEADERS_HINT, headersFromFragment, type Headers } from './credentials.js';
import { createFetcher } from './fetcher.js';
import { readSettings, type IdeSettings } from './settings.js';
import { setupWorkers } from './workers.js';

const settings = readSettings(document);
setupWorkers(settings.workers);

const fromFragment = settings.demo ? headersFromFragment(window.location, () => history.replaceState(null, '', window.location.pathname + window.location.search)) : undefined;

const parseHeaders = (text: string): Headers => {
  const value: unknown = parseJsonc(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};

function App({ settings, initialHeaders }: { settings: IdeSettings; initialHeaders: string | undefined }) {
  // A new credential gives a new fetcher, and GraphiQL loads the schema again with it.
  const [credential, setCredential] = useState(() => credentialOf(initialHeaders ? parseHeaders(initialHeaders) : undefined));
  const fetcher = useMemo(() => createFetcher(settings.endpoint), [settings.endpoint, credential]);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  const onEditHeaders = (text: string) => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => setCredential(credentialOf(parseHeaders(text))), 400);
  };
  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={settings.defaultQuery}
      initialHeaders={initialHeaders}
      defaultHeaders={HEADERS_HINT}
      onEditHeaders={onEditHeaders}
      defaultEditorToolsVisibility="headers"
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
      showPersistHeadersSettings
    >
      <GraphiQL.Logo>UEM–Harmony Gateway</GraphiQL.Logo>
    </GraphiQL>
  );
}

createRoot(document.getElementById('graphiql')!).render(<App settings={settings} initialHeaders={fromFragment} />);
