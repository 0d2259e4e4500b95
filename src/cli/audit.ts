/** `npm run audit -- export` (audit.command.ts) as the process. */
import { auditCommand } from './audit.command.js';
import { runAsProcess } from './cli-io.js';

runAsProcess(auditCommand);
