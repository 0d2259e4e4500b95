/**
 * `npm run doctor`: the configuration, database, UEM, Harmony and mapping checks as a table with a
 * fix for every failure; exit code 0 only when everything passes.
 */
import { formatReport, runDoctor } from '../doctor/run.js';
import type { CliIo } from './cli-io.js';

/** The command (it takes no arguments); its promise is the exit code. */
export async function doctorCommand(_argv: readonly string[], io: CliIo): Promise<number> {
  const results = await runDoctor(io.env);
  io.stdout.write(formatReport(results));
  return results.every((r) => r.ok) ? 0 : 1;
}
