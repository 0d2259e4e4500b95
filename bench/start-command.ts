/**
 * How a checkout's `npm start` runs its gateway, so the benchmark measures the process users run
 * (its Node flags, its heap ceiling, the C library's allocator settings, compiled JavaScript rather
 * than TypeScript transpiled in memory, which alone costs ~100 MB resident). A `start` script of the
 * form `[exec] [env NAME=value …] node <flags> <file.js> [args]` is run as that node process
 * directly, with those variables, after `prestart` has brought the compiled files up to date; any
 * other script (older checkouts: `tsx src/main.ts`) runs `src/main.ts` through tsx, as that script
 * does. The process started is the gateway itself, never npm, so its pid is the one whose CPU and
 * memory are read from `/proc`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GatewayCommand {
  /** Environment the script sets before Node starts (`env NAME=value …`: the allocator's settings). */
  env: Record<string, string>;
  /** Node flags from the start script (before the benchmark's own `--node-args`). */
  nodeArgs: string[];
  /** The entry file, relative to the checkout. */
  entry: string;
  /** Arguments after the entry (e.g. `--exit-with-parent`). */
  args: string[];
  /** For the report: what runs. */
  describe: string;
}

const NODE_SCRIPT = /^(?:exec\s+)?((?:env\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*)node\s+(.+)$/;

/** The command `scripts.start` stands for (pure: no compile step). */
export function parseStartScript(script: string | undefined): GatewayCommand {
  const match = script ? NODE_SCRIPT.exec(script.trim()) : null;
  const tokens = match?.[2]?.split(/\s+/) ?? [];
  const at = tokens.findIndex((t) => !t.startsWith('-'));
  if (!match || at === -1 || !tokens[at]!.endsWith('.js')) {
    return { env: {}, nodeArgs: ['--import', 'tsx'], entry: 'src/main.ts', args: [], describe: `node --import tsx src/main.ts (as "${script ?? ''}")` };
  }
  const assignments = match[1]!.split(/\s+/).filter((t) => t.includes('='));
  const env = Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const nodeArgs = tokens.slice(0, at);
  const args = tokens.slice(at + 1);
  return { env, nodeArgs, entry: tokens[at]!, args, describe: [...assignments, 'node', ...nodeArgs, tokens[at]!, ...args].join(' ') };
}

const prepared = new Map<string, GatewayCommand>();

/**
 * The gateway command of the checkout at `root`, its compiled files brought up to date once per
 * run (`npm run prestart`; a no-op when nothing changed).
 */
export function gatewayCommand(root: string): GatewayCommand {
  const known = prepared.get(root);
  if (known) return known;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const command = parseStartScript(pkg.scripts?.start);
  if (command.entry.endsWith('.js') && pkg.scripts?.prestart) {
    const run = spawnSync('npm', ['run', '--silent', 'prestart'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`npm run prestart failed in ${root} (exit ${run.status ?? run.signal}): ${run.stderr.slice(-1000)}`);
  }
  prepared.set(root, command);
  return command;
}
