/** `npm run doctor` (doctor.command.ts) as the process: it exits with the command's code once the report is written. */
import { readEnvironment } from '../config.js';
import { doctorCommand } from './doctor.command.js';

process.exit(await doctorCommand(process.argv.slice(2), { env: readEnvironment(), stdout: process.stdout, stderr: process.stderr }));
