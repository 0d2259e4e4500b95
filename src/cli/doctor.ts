/**
 * `npm run doctor`: the configuration, database, UEM, Harmony and mapping checks as a table with a
 * fix for every failure; exit code 0 only when everything passes.
 */
import { formatReport, runDoctor } from '../doctor/run.js';
import { readEnvironment } from '../config.js';

const results = await runDoctor(readEnvironment());
process.stdout.write(formatReport(results));
process.exit(results.every((r) => r.ok) ? 0 : 1);
