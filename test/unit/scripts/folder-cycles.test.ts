/**
 * The architecture check `npm run lint` runs (scripts/folder-cycles.ts): it finds folder cycles
 * (type imports included), names one import per step, leaves the composition roots out, and
 * refuses imports of a restricted module from outside its owners — on small source trees written
 * for each case, and on the gateway's own src/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkedImports,
  EXEMPT_IMPORTS,
  folderCycles,
  forbiddenImports,
  importGraph,
  nodeOf,
  staleExemptions,
} from '../../../scripts/folder-cycles.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A source tree from `path → text`. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('folder cycles', () => {
  it('names folders: first level, resolver domains, and loose files on their own', () => {
    expect(nodeOf('auth/access/core.ts')).toBe('auth');
    expect(nodeOf('resolvers/devices/devices.resolvers.ts')).toBe('resolvers/devices');
    expect(nodeOf('resolvers/uem-write.ts')).toBe('resolvers/uem-write.ts');
    expect(nodeOf('errors.ts')).toBe('errors.ts');
  });

  it('finds a cycle made by a type import, with one import per step', () => {
    const root = tree({
      'a/one.ts': "import { two } from '../b/two.js';\nexport const one = two + 1;\n",
      'b/two.ts': "import type { Three } from '../a/deep/three.js';\nexport const two: Three = 2;\n",
      'a/deep/three.ts': 'export type Three = number;\n',
      'c/free.ts': "import { one } from '../a/one.js';\nexport const free = one;\n",
    });
    const cycles = folderCycles(importGraph(root));
    expect(cycles).toEqual([{ nodes: ['a', 'b'], path: ['a', 'b', 'a'], imports: ['a/one.ts -> b/two.ts', 'b/two.ts -> a/deep/three.ts'] }]);
  });

  it('finds a cycle through three resolver domains, and none in a tree that only goes one way', () => {
    const cyclic = tree({
      'resolvers/x/x.ts': "export { y } from '../y/y.js';\n",
      'resolvers/y/y.ts': "import { z } from '../z/z.js';\nexport const y = z;\n",
      'resolvers/z/z.ts': "import('../x/x.js');\nexport const z = 1;\n",
    });
    expect(folderCycles(importGraph(cyclic)).map((c) => c.nodes)).toEqual([['resolvers/x', 'resolvers/y', 'resolvers/z']]);
    const acyclic = tree({
      'resolvers/x/x.ts': "import { y } from '../y/y.js';\nimport { base } from '../../base.js';\nexport const x = y + base;\n",
      'resolvers/y/y.ts': "import { base } from '../../base.js';\nexport const y = base;\n",
      'base.ts': "import { z } from './lib/z.js';\nexport const base = z;\n",
      'lib/z.ts': "import { readFileSync } from 'node:fs';\nexport const z = typeof readFileSync;\n",
    });
    expect(importGraph(acyclic)).toHaveLength(4);
    expect(folderCycles(importGraph(acyclic))).toEqual([]);
  });

  it('leaves the composition roots and exempt imports out of the check, and reports an exemption that no longer exists', () => {
    const root = tree({
      'context.ts': "import type { A } from './a/a.js';\nexport type Ctx = { a: A };\n",
      'a/a.ts': "import type { Ctx } from '../context.js';\nexport type A = { ctx?: Ctx };\n",
      'b/b.ts': "import { c } from '../c/c.js';\nexport const b = c;\n",
      'c/c.ts': "import { b } from '../b/b.js';\nexport const c = 1;\nexport const again = () => b;\n",
    });
    const edges = importGraph(root);
    expect(folderCycles(edges).map((c) => c.nodes).sort()).toEqual([['a', 'context.ts'], ['b', 'c']]);
    const exempt = { 'c/c.ts -> b/b.ts': 'a test exemption', 'c/c.ts -> gone/gone.ts': 'moved away' };
    expect(folderCycles(checkedImports(edges, ['context.ts'], exempt))).toEqual([]);
    expect(staleExemptions(edges, exempt)).toEqual(['c/c.ts -> gone/gone.ts']);
  });

  it('refuses a restricted module imported from outside its owners', () => {
    const root = tree({
      'auth/access/environment-map.ts': 'export class EnvironmentMap {}\n',
      'auth/access/core.ts': "import type { EnvironmentMap } from './environment-map.js';\nexport type Core = EnvironmentMap;\n",
      'resolvers/devices/sneaky.ts': "import { EnvironmentMap } from '../../auth/access/environment-map.js';\nexport const map = new EnvironmentMap();\n",
    });
    expect(forbiddenImports(importGraph(root))).toEqual([{ from: 'resolvers/devices/sneaky.ts', to: 'auth/access/environment-map.ts' }]);
  });
});

describe("the gateway's own src/", () => {
  const edges = importGraph('src');

  it('has no folder import cycle', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(folderCycles(checkedImports(edges))).toEqual([]);
    expect(staleExemptions(edges)).toEqual([]);
    expect(Object.keys(EXEMPT_IMPORTS)).toEqual([]);
  });

  it('lets only the access service import the environment map and the row scope', () => {
    expect(forbiddenImports(edges)).toEqual([]);
    const importers = (module: string) => [...new Set(edges.filter((e) => e.to === module).map((e) => e.from))];
    for (const module of ['auth/access/environment-map.ts', 'auth/access/scope.ts']) {
      expect(importers(module).length, module).toBeGreaterThan(0);
      for (const from of importers(module)) expect(from, module).toMatch(/^auth\/access\//);
    }
  });
});
