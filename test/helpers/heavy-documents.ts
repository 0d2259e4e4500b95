/**
 * Documents that cost graphql-js's validation hundreds of thousands of comparisons in under 20 KB
 * (the OverlappingFieldsCanBeMerged rule compares same-named fields and spread fragments pairwise).
 */
const rep = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

export const HEAVY_DOCUMENTS = {
  repeatedField: `{ ${rep(1000, () => 'viewer { email }')} }`,
  repeatedNested: `{ ${rep(300, () => 'roles { assignments { role { name } } }')} }`,
  fragmentPairs: `{ ${rep(300, (i) => `...F${i}`)} } ${rep(300, (i) => `fragment F${i} on Query { viewer { email } }`)}`,
  inlineFragments: `{ ${rep(500, () => '... on Query { viewer { email } }')} }`,
  conflictingAliases: `{ ${rep(800, () => 'a: viewer { email }')} a: viewer { kind } }`,
} as const;
