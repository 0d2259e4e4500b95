/**
 * What a store CLI (keys, documents, audit) runs with: its arguments, the environment and two
 * output streams, and an exit code as its result. The entry files (`src/cli/<name>.ts`) run a
 * command as the process (`runAsProcess`); the tests call the same command in-process with strings
 * for streams, and start the entries as processes only to prove the wiring (exit codes, stdout and
 * stderr).
 */
import type { Writable } from 'node:stream';
import { readEnvironment } from '../config.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
}

/** A command's arguments and streams; its promise is the exit code. */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Ends a command with an exit code (thrown by `fail`, caught by whoever runs the command). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/** Ends the command with a message on stderr and an exit code (2, usage, unless told otherwise). */
export type Fail = (message: string, code?: number) => never;

/** Writes `message` (and the usage, for a usage failure: exit code 2), then ends the command with `code`. */
export function failure(io: CliIo, usage: string): Fail {
  return (message, code = 2) => {
    io.stderr.write(`${message}\n${code === 2 ? `${usage}\n` : ''}`);
    throw new CliExit(code);
  };
}

/**
 * Runs `command` until its exit code, a `CliExit` being an exit code too. Arguments `parseArgs`
 * refuses (an unknown option, a missing value) are a usage failure of every command alike: their
 * message on stderr and exit code 2, not a stack trace.
 */
export async function runCommand(command: CliCommand, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await command(argv, io);
  } catch (err) {
    if (err instanceof CliExit) return err.code;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      io.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}

/**
 * The command as the process: its arguments, environment and streams. Success ends when the event
 * loop drains (stdout flushed); a failure exits at once, as a store that stays open must not keep
 * a refused command alive.
 */
export function runAsProcess(command: CliCommand): void {
  void runCommand(command, process.argv.slice(2), { env: readEnvironment(), stdout: process.stdout, stderr: process.stderr }).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
