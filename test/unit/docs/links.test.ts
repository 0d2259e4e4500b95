/**
 * The documentation stands alone: everything the README and the other Markdown files of the
 * repository link to or name as a path exists in the repository (anchors included), and nothing in
 * the repository cites documents that live outside it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && existsSync(join(root, f)));
const markdown = tracked.filter((f) => f.endsWith('.md'));

/** Paths the docs may name that a build or a run creates (git-ignored). */
const GENERATED = ['src/__generated__', 'dist', '.data', 'test-artifacts', 'bench/results/', 'node_modules', 'coverage'];

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Markdown links `[text](target)` outside code blocks. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** Repository paths named in code spans: `src/...`, `docs/...`, `.env.example`, … */
function pathsOf(text: string): string[] {
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const span of spans) {
    for (const token of span.split(/[\s,()]+/)) {
      const path = token.replace(/[.:;]+$/, '');
      if (/^(\.\.\/|\.\/)?(src|test|docs|bench|deploy|scripts|schema|ide|\.ci)\/[\w./*<>…-]*$/.test(path) || /^(\.env\.example|Dockerfile|BENCHMARKS\.md|README\.md|package\.json|codegen\.ts|vitest\.config\.ts|tsconfig(\.build)?\.json)$/.test(path)) {
        out.push(path);
      }
    }
  }
  return out;
}

/** Whether a named path (possibly with `*`, `<placeholder>` or `…`) exists in the repository. */
function exists(from: string, path: string): boolean {
  const target = normalize(path.startsWith('.') && !path.startsWith('.env') && !path.startsWith('.ci') ? join(dirname(from), path) : path);
  if (target.startsWith('..')) return false;
  if (GENERATED.some((g) => target === g.replace(/\/$/, '') || target.startsWith(g.endsWith('/') ? g : `${g}${sep}`))) return true;
  // A placeholder or a glob: its directory must exist and hold something that matches.
  const wild = target.search(/[*<…]/);
  if (wild >= 0) {
    const dir = target.slice(0, target.lastIndexOf(sep, wild) + 1) || '.';
    if (!existsSync(join(root, dir)) || !statSync(join(root, dir)).isDirectory()) return false;
    const rest = target.slice(dir === '.' ? 0 : dir.length);
    const first = rest.split(sep)[0]!;
    const pattern = new RegExp(`^${first.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*|<[^>]*>|…/g, '.*')}$`);
    return readdirSync(join(root, dir)).some((name) => pattern.test(name));
  }
  return existsSync(join(root, target));
}

describe('the documentation', () => {
  it('is found: README.md, docs/ and the Markdown files under src/', () => {
    expect(markdown).toContain('README.md');
    expect(markdown.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(3);
  });

  it('links only to files and headings that exist in the repository', () => {
    const broken: string[] = [];
    for (const file of markdown) {
      for (const link of linksOf(readFileSync(join(root, file), 'utf8'))) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
        if (target.startsWith('..') || !existsSync(join(root, target))) {
          broken.push(`${file}: ${link}`);
          continue;
        }
        if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only paths that exist in the repository (or that a build creates)', () => {
    const missing: string[] = [];
    for (const file of markdown) {
      for (const path of pathsOf(readFileSync(join(root, file), 'utf8'))) {
        if (!exists(file, path)) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cites no document that lives outside the repository', () => {
    const self = relative(root, new URL(import.meta.url).pathname);
    const outside = /\b(CONTRACT|DESIGN|STYLE)\.md\b|\.\.\/shared\b/;
    // In code, the upstream notes are named from the repository root (Markdown links are checked above).
    const bareUpstreamNotes = /(?<!docs\/)\bupstreams\/(uem|harmony)\.md\b/;
    const citing = tracked
      .filter((f) => f !== self && /\.(md|ts|tsx|mjs|js|graphql|json|ya?ml|sh)$|^\.ci\/|^Dockerfile$/.test(f))
      .filter((f) => {
        const text = readFileSync(join(root, f), 'utf8');
        return outside.test(text) || (!f.endsWith('.md') && bareUpstreamNotes.test(text));
      });
    expect(citing).toEqual([]);
  });
});
