/**
 * Architecture checks over the TypeScript import graph of a source tree (`npm run lint` runs it on
 * src/; docs/contributing.md, "Dependency direction"):
 *
 * 1. No import cycle between folders. A folder is a directory directly under the root, or under
 *    `<root>/resolvers/` (a resolver domain); a file directly in the root or in `resolvers/` is a
 *    node of its own. Every import counts, `import type` included: a cycle of types is still two
 *    folders that cannot be understood or moved apart. The composition roots are left out
 *    (COMPOSITION_ROOTS: they wire every folder together, and the request context's type is
 *    everyone's); an import that is a known, named exception is left out too (EXEMPT_IMPORTS).
 * 2. Restricted modules: a module only its owners may import (the environment map and the row
 *    scope: only the access service, src/auth/access/, turns an organization group into an
 *    environment or computes what a caller may see).
 *
 * Usage: tsx scripts/folder-cycles.ts [root]   (default: src). Exits 1 and names every cycle
 * (with one import that makes each step) and every forbidden import.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Module (path under the root) → the folders (under the root) whose files alone may import it. */
const RESTRICTED: Record<string, string[]> = {
  'auth/access/environment-map.ts': ['auth/access'],
  'auth/access/scope.ts': ['auth/access'],
};

/** Files that wire the folders together (paths under the root). */
const COMPOSITION_ROOTS: readonly string[] = ['app.ts', 'main.ts', 'server.ts', 'cluster.ts', 'context.ts', 'resolvers/index.ts'];

/**
 * Imports that close a folder cycle today, each with why it is tolerated; every entry must still
 * exist (a stale one fails the check, so the list only shrinks).
 */
export const EXEMPT_IMPORTS: Record<string, string> = {};

const SKIP = new Set(['__generated__', 'node_modules']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the source), or undefined for packages. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.(m?js|jsx)$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The node a file belongs to (see the header), as a path relative to the root with `/`. */
export function nodeOf(rel: string): string {
  const parts = rel.split('/');
  if (parts.length === 1) return rel;
  if (parts[0] === 'resolvers') return parts.length === 2 ? rel : `resolvers/${parts[1]}`;
  return parts[0] as string;
}

/** One import between two files of the root, as paths relative to the root with `/`. */
export interface Import {
  from: string;
  to: string;
}

interface Cycle {
  /** The folders (nodes) of the cycle's strongly connected component. */
  nodes: string[];
  /** One cycle through them, its first node repeated at the end. */
  path: string[];
  /** One import that makes each step of the path. */
  imports: string[];
}

/** Every import between files of the root. */
export function importGraph(root: string): Import[] {
  const abs = resolve(root);
  const edges: Import[] = [];
  for (const file of sourceFiles(abs)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      const target = resolveImport(file, fileName);
      if (!target || !target.startsWith(abs + sep)) continue;
      edges.push({ from: relative(abs, file).split(sep).join('/'), to: relative(abs, target).split(sep).join('/') });
    }
  }
  return edges;
}

/** The imports the cycle check reads: without the composition roots and the exempt imports. */
export function checkedImports(edges: readonly Import[], roots = COMPOSITION_ROOTS, exempt = EXEMPT_IMPORTS): Import[] {
  return edges.filter(({ from, to }) => !roots.includes(from) && !roots.includes(to) && !(`${from} -> ${to}` in exempt));
}

/** Exempt imports that no longer exist. */
export function staleExemptions(edges: readonly Import[], exempt = EXEMPT_IMPORTS): string[] {
  const present = new Set(edges.map(({ from, to }) => `${from} -> ${to}`));
  return Object.keys(exempt).filter((line) => !present.has(line));
}

/** The folder cycles of a graph: each as the list of nodes, with one import per step. */
export function folderCycles(edges: readonly Import[]): Cycle[] {
  const next = new Map<string, Set<string>>();
  const example = new Map<string, string>();
  for (const { from, to } of edges) {
    const a = nodeOf(from);
    const b = nodeOf(to);
    if (a === b) continue;
    const out = next.get(a) ?? new Set<string>();
    out.add(b);
    next.set(a, out);
    if (!example.has(`${a} ${b}`)) example.set(`${a} ${b}`, `${from} -> ${to}`);
  }
  // Tarjan's strongly connected components: every component of more than one node holds a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0] as string;
    // One concrete cycle through the component's first node (breadth-first, so the shortest).
    const previous = new Map<string, string | null>([[start, null]]);
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const v = queue.shift() as string;
      for (const w of [...(next.get(v) ?? [])].sort()) {
        if (!members.has(w)) continue;
        if (w === start) {
          closing = v;
          break;
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const path: string[] = [];
    for (let v: string | null | undefined = closing; v !== null && v !== undefined; v = previous.get(v)) path.unshift(v);
    path.push(start);
    return { nodes: [...component].sort(), path, imports: path.slice(1).map((b, i) => example.get(`${path[i]} ${b}`) ?? '') };
  });
}

/** Imports of a restricted module by a file outside its owners. */
export function forbiddenImports(edges: readonly Import[], restricted = RESTRICTED): Import[] {
  return edges.filter(({ from, to }) => {
    const owners = restricted[to];
    return owners !== undefined && !owners.some((folder) => from.startsWith(`${folder}/`));
  });
}

function main() {
  const root = process.argv[2] ?? 'src';
  const edges = importGraph(root);
  const cycles = folderCycles(checkedImports(edges));
  const forbidden = forbiddenImports(edges);
  const stale = root === 'src' ? staleExemptions(edges) : [];
  for (const c of cycles) {
    console.error(`folder import cycle: ${c.path.join(' -> ')}`);
    for (const line of c.imports) console.error(`  ${line}`);
  }
  for (const f of forbidden) console.error(`${f.from} imports ${f.to}, which only ${(RESTRICTED[f.to] ?? []).join(', ')} may import`);
  for (const line of stale) console.error(`exempt import no longer exists (remove it from EXEMPT_IMPORTS): ${line}`);
  if (cycles.length > 0 || forbidden.length > 0 || stale.length > 0) process.exit(1);
  console.log(`${root}: ${edges.length} imports, no folder import cycle, restricted modules imported by their owners only`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
