/** What the gateway tells the page (a JSON block in the HTML, see src/http-server/graphiql.ts). */
export interface IdeSettings {
  /** The GraphQL endpoint, same origin. */
  endpoint: string;
  /** Demo mode: a `#token=` fragment fills the Authorization header. */
  demo: boolean;
  /** The operation the first tab starts with. */
  defaultQuery: string;
  /** Monaco's workers: `editor`, `json` and `graphql` → their script URLs (same origin). */
  workers: Record<'editor' | 'json' | 'graphql', string>;
}

export function readSettings(doc: Document): IdeSettings {
  const text = doc.getElementById('ide-settings')?.textContent;
  if (!text) throw new Error('The page has no #ide-settings block.');
  return JSON.parse(text) as IdeSettings;
}
