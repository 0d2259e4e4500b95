/** Runs one of the gateway's command-line tools (`npm run documents|keys|audit -- …`) as a child process. */
import { spawnSync } from 'node:child_process';
import { cliEntry } from '../../helpers/node-process.js';

export function runCli(script: 'documents' | 'keys' | 'audit', args: string[], env: Record<string, string>) {
  const result = spawnSync(...cliEntry(script, args), {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    // Generous: each command compiles on start, which takes long on a busy machine.
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
