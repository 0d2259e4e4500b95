/**
 * Runs one of the gateway's command-line tools (`npm run documents|keys|audit|doctor -- …`): in-process
 * (the command the entry runs, with the environment given and its output kept as strings: what
 * the tests of a command's behaviour use), or as a child process (the compiled entry: what proves
 * the wiring, i.e. exit codes and what goes to stdout and to stderr; one per tool).
 */
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { auditCommand } from '../../src/cli/audit.command.js';
import { runCommand, type CliCommand } from '../../src/cli/cli-io.js';
import { documentsCommand } from '../../src/cli/documents.command.js';
import { keysCommand } from '../../src/cli/keys.command.js';
import { cliEntry } from './node-process.js';

type Tool = 'documents' | 'keys' | 'audit';
const COMMANDS: Record<Tool, CliCommand> = { documents: documentsCommand, keys: keysCommand, audit: auditCommand };

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** What the tests run a tool with: the worker's environment, quiet logs, the embedded database. */
const toolEnv = (env: Record<string, string>) => ({ ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env });

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** `command` in this process with exactly the environment `env`, its output kept. */
export async function runInProcess(command: CliCommand, args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const status = await runCommand(command, args, { env, stdout: stdout.stream, stderr: stderr.stream });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** The tool's command in this process, as `npm run <tool> -- <args>` would run it. */
export const runCli = (tool: Tool, args: string[], env: Record<string, string>): Promise<CliResult> => runInProcess(COMMANDS[tool], args, toolEnv(env));

/** The tool as a child process (the compiled entry, `node --liftoff-only dist/cli/<tool>.js`). */
export function runCliProcess(tool: Tool, args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(...cliEntry(tool, args), {
    env: toolEnv(env),
    encoding: 'utf8',
    // Generous: a process loading the gateway's modules and PGlite takes long on a busy machine.
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
