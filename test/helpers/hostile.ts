/**
 * Hostile and malformed requests for the robustness suite: a fixed corpus of known troublemakers
 * and a seeded generator of random ones (the same seed always yields the same requests, so a
 * failure can be replayed from the seed and index it prints).
 */

export interface HostileRequest {
  /** What it is, for failure messages. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const deepText = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

/** Known troublemakers: bodies, query strings and content types each refused with a coded 4xx. */
export function hostileCorpus(): HostileRequest[] {
  const post = (name: string, body: string | Uint8Array, headers: Record<string, string> = JSON_TYPE): HostileRequest => ({ name, method: 'POST', path: '/graphql', headers, body });
  const get = (name: string, params: Record<string, string> | string, path = '/graphql'): HostileRequest => ({
    name,
    method: 'GET',
    path: `${path}${typeof params === 'string' ? params : q(params)}`,
    headers: { accept: 'application/json' },
  });
  const valid = '{ viewer { email } }';
  return [
    post('empty body', ''),
    post('whitespace', '   \n\t '),
    post('truncated JSON', '{"query":"{ viewer { email } }"'),
    post('JSON with a comment', '{"query": "{ viewer { email } }" /* hi */}'),
    post('a bare number', '42'),
    post('a huge number', '1e999999'),
    post('an empty array', '[]'),
    post('an array of junk', '[1, "two", null, {}]'),
    post('an empty object', '{}'),
    post('query null', '{"query":null}'),
    post('query a number', '{"query":123}'),
    post('query an object', '{"query":{"a":1}}'),
    post('query an array', '{"query":["{ viewer { email } }"]}'),
    post('query empty', '{"query":""}'),
    post('query an open brace', '{"query":"{"}'),
    post('query a NUL', '{"query":"\\u0000"}'),
    post('query a lone surrogate', '{"query":"{ viewer { email(x: \\"\\ud800\\") } }"}'),
    post('query an unterminated string', '{"query":"{ viewer(x: \\"abc) { email } }"}'),
    post('query an unterminated block string', '{"query":"{ viewer(x: \\"\\"\\"abc) { email } }"}'),
    post('query 100,000 open braces', JSON.stringify({ query: '{'.repeat(100_000) })),
    post('query deeply nested list literal', JSON.stringify({ query: `{ viewer(x: ${deepText(20_000)}) { email } }` })),
    post('query deeply nested object literal', JSON.stringify({ query: `{ viewer(x: ${'{a:'.repeat(5_000)}1${'}'.repeat(5_000)}) { email } }` })),
    post('a subscription', JSON.stringify({ query: 'subscription { viewer { email } }' })),
    post('variables a string', JSON.stringify({ query: valid, variables: 'x' })),
    post('variables an array', JSON.stringify({ query: valid, variables: [1, 2] })),
    post('variables deeply nested', `{"query":"${valid}","variables":{"x":${deepObject(100_000)}}}`),
    post('variables with __proto__', `{"query":"query ($e: String!) { person(email: $e) { email } }","variables":{"__proto__":{"e":"x@y.z"}}}`),
    post('variables of the wrong type', JSON.stringify({ query: 'query ($n: Int) { devices(first: $n) { totalCount } }', variables: { n: 'ten' } })),
    post('variables an enormous integer', '{"query":"query ($n: Int) { devices(first: $n) { totalCount } }","variables":{"n":1e400}}'),
    post('operationName a number', JSON.stringify({ query: valid, operationName: 5 })),
    post('operationName an object', JSON.stringify({ query: valid, operationName: { a: 1 } })),
    post('extensions a string', JSON.stringify({ query: valid, extensions: 'x' })),
    post('extensions deeply nested', `{"query":"${valid}","extensions":${deepText(100_000)}}`),
    post('persistedQuery a string', JSON.stringify({ extensions: { persistedQuery: 'x' } })),
    post('persistedQuery version 2', JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } })),
    post('persistedQuery hash a number', JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 12 } } })),
    post('persistedQuery hash not hex', JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'z'.repeat(64) } } })),
    post('persistedQuery hash of other text', JSON.stringify({ query: valid, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })),
    post('documentId a number', JSON.stringify({ documentId: 7 })),
    post('documentId not a hash', JSON.stringify({ documentId: 'sha256:xyz' })),
    post('documentId and other text', JSON.stringify({ documentId: `sha256:${'b'.repeat(64)}`, query: valid })),
    post('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    post('text/plain', JSON.stringify({ query: valid }), { 'content-type': 'text/plain' }),
    post('application/graphql', valid, { 'content-type': 'application/graphql' }),
    post('multipart', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    post('no content type', JSON.stringify({ query: valid }), {}),
    post('a batch of 500', JSON.stringify(Array.from({ length: 500 }, () => ({ query: valid })))),
    post('a mutation without input', JSON.stringify({ query: 'mutation { sendDeviceCommand { results { status } } }' })),
    get('GET without a query', {}),
    get('GET malformed percent-encoding', '?query=%ZZ%'),
    get('GET variables not JSON', { query: valid, variables: '{' }),
    get('GET variables an array', { query: valid, variables: '[1]' }),
    get('GET variables deeply nested', { query: valid, variables: `{"x":${deepObject(200)}}` }),
    get('GET extensions a number', { query: valid, extensions: '1' }),
    get('GET extensions deeply nested', { query: valid, extensions: deepText(200) }),
    get('GET a mutation', { query: 'mutation { revokeApiKey(id: "x") { revoked } }' }),
    get('GET documentId not a hash', { documentId: '../../etc/passwd' }),
    { name: 'PUT', method: 'PUT', path: '/graphql', headers: JSON_TYPE, body: JSON.stringify({ query: valid }) },
    { name: 'DELETE', method: 'DELETE', path: '/graphql', headers: {} },
    get('export without a document', {}, '/export'),
    get('export an unknown format', { query: '{ devices { nodes { id } } }', format: 'xml' }, '/export'),
    get('export a path that is not one', { query: '{ devices { nodes { id } } }', path: '../x' }, '/export'),
    get('export variables not JSON', { query: '{ devices { nodes { id } } }', variables: '[' }, '/export'),
    get('export variables deeply nested', { query: '{ devices { nodes { id } } }', variables: `{"x":${deepObject(200)}}` }, '/export'),
    get('export extensions deeply nested', { query: '{ devices { nodes { id } } }', extensions: deepText(200) }, '/export'),
    get('export an unknown report', { report: 'nope' }, '/export'),
    get('export a mutation', { query: 'mutation { revokeApiKey(id: "x") { revoked } }' }, '/export'),
    get('export a syntax error', { query: '{ devices { nodes { id }' }, '/export'),
    get('export an unknown field', { query: '{ nothing { nodes { id } } }' }, '/export'),
    get('export an open brace flood', { query: '{'.repeat(5_000) }, '/export'),
    { name: 'export by POST', method: 'POST', path: '/export', headers: JSON_TYPE, body: JSON.stringify({ query: valid }) },
  ];
}

/** Real operations with variables, whose values the generator garbles (coercion, cursors, filters, inputs). */
const OPERATIONS = [
  'query ($first: Int, $after: String) { devices(first: $first, after: $after) { totalCount pageInfo { endCursor } nodes { id } } }',
  'query ($filter: DeviceFilter) { devices(first: 2, filter: $filter) { totalCount } }',
  'query ($email: String!) { person(email: $email) { email devices { totalCount } } }',
  'query ($id: ID!) { device(id: $id) { id friendlyName } }',
  'query ($first: Int, $filter: HarmonyUserFilter) { harmonyUsers(first: $first, filter: $filter) { totalCount } }',
  'query ($first: Int, $after: String) { externalUsers(first: $first, after: $after) { totalCount } }',
  'query ($filter: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage } } }',
  'mutation ($input: SendDeviceCommandInput!) { sendDeviceCommand(input: $input) { results { deviceId status errorCode } } }',
  'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { id } } }',
  'mutation ($input: RegisterPersistedDocumentsInput!) { registerPersistedDocuments(input: $input) { created } }',
  'mutation ($tagId: ID!, $deviceIds: [ID!]!) { addDevicesToTag(tagId: $tagId, deviceIds: $deviceIds) { __typename } }',
];
const VARIABLES = ['first', 'after', 'filter', 'email', 'id', 'input', 'tagId', 'deviceIds'];
const WEIRD: unknown[] = [-1, 0, 2 ** 31, 2 ** 53, 1.5, -0, '', ' ', 'x'.repeat(10_000), '💥', '\u0000', 'null', 'sha256:', '../..', [], {}, [[[]]], true, null,
  { platform: 'NOPE' }, { lastSeenAfter: 'yesterday' }, { organizationGroupId: { $ne: 1 } }, { deviceIds: ['1'], command: 'DEVICE_WIPE', confirm: 'x' }, { deviceIds: Array.from({ length: 2_000 }, (_, i) => String(i)), command: 'SYNC', dryRun: true },
  { name: '', permissions: [] }, { manifest: '{"a":"b"}', clientName: '' }, { manifest: 'not json', clientName: 'x' }];

const ATOMS = ['{', '}', '(', ')', '[', ']', '...', 'query', 'mutation', 'fragment', 'on', '$', '@', ':', '"', '\\', '#', '\n', 'viewer', 'devices', 'email', '__typename', '__schema', 'null', '1e999', '-0', '\u0000', '\ud800', '𝔤', 'ñ', ','];
const KEYS = ['query', 'variables', 'extensions', 'operationName', 'documentId', 'persistedQuery', 'sha256Hash', 'version', '__proto__', 'constructor', 'e', 'n', 'first'];

/** Random requests of every kind the suite sends, reproducible from `seed`. */
export function generateHostile(seed: number, count: number): HostileRequest[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (max: number) => Math.floor(random() * max);
  const text = (max: number) => Array.from({ length: int(max) }, () => pick(ATOMS)).join(random() < 0.5 ? ' ' : '');
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth <= 0 || roll < 0.3) return pick<unknown>([null, true, false, int(1e6), -int(1e6), random(), text(8), '', 'a'.repeat(int(5_000))]);
    if (roll < 0.55) return Array.from({ length: int(4) }, () => value(depth - 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(KEYS), value(depth - 1)]));
  };
  const body = (): string | Uint8Array => {
    const roll = random();
    if (roll < 0.15) return text(40);
    if (roll < 0.25) return Uint8Array.from(Array.from({ length: int(200) }, () => int(256)));
    if (roll < 0.35) return `${'['.repeat(int(50_000))}${']'.repeat(int(50_000))}`;
    const request: Record<string, unknown> = {};
    for (const key of KEYS.slice(0, 5)) if (random() < 0.6) request[key] = random() < 0.6 && key === 'query' ? `{ ${text(30)} }` : value(int(6));
    const json = JSON.stringify(request);
    return random() < 0.2 ? json.slice(0, int(json.length)) : json;
  };
  const types = ['application/json', 'application/graphql-response+json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', ''];
  return Array.from({ length: count }, (_, i): HostileRequest => {
    const roll = random();
    if (roll < 0.2) {
      const params: Record<string, string> = {};
      for (const key of ['query', 'variables', 'extensions', 'operationName', 'documentId', 'format', 'path', 'explode']) {
        if (random() < 0.4) params[key] = random() < 0.5 ? text(20) : JSON.stringify(value(4));
      }
      return { name: `generated #${i} (GET)`, method: 'GET', path: `${random() < 0.6 ? '/graphql' : '/export'}${q(params)}`, headers: { accept: 'application/json' } };
    }
    if (roll < 0.55) {
      // A real operation with garbled variables: coercion, cursors, filters and inputs.
      const variables = Object.fromEntries(VARIABLES.filter(() => random() < 0.5).map((name) => [name, random() < 0.7 ? pick(WEIRD) : value(3)]));
      return { name: `generated #${i} (operation)`, method: 'POST', path: '/graphql', headers: JSON_TYPE, body: JSON.stringify({ query: pick(OPERATIONS), variables }) };
    }
    const type = pick(types);
    return { name: `generated #${i} (POST)`, method: 'POST', path: '/graphql', headers: type ? { 'content-type': type } : {}, body: body() };
  });
}
