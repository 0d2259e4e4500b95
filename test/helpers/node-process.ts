/**
 * How tests start the gateway's TypeScript entry points as processes (`src/main.ts`, the CLIs, a
 * test build): `node --import tsx <entry>`, one process that receives its signals itself. The tsx
 * CLI would run the entry in a second process and relay signals to it, and it SIGKILLs that child
 * when it does not acknowledge a relayed signal within 30 ms, which a busy machine misses: the
 * gateway then dies without draining or releasing its data directory, and the parent exits 143.
 */
import { join } from 'node:path';

/** The command and arguments that run `entry` (relative to the repository root) with `args`. */
export function tsEntry(entry: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', entry, ...args]];
}

/** The command and arguments of a store CLI (`npm run <name> -- …`): `src/cli/<name>.ts`. */
export const cliEntry = (name: 'documents' | 'keys' | 'audit' | 'doctor', args: readonly string[] = []): [string, string[]] => tsEntry(join('src', 'cli', `${name}.ts`), args);
