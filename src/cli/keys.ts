/** `npm run keys -- create|list|revoke` (keys.command.ts) as the process. */
import { runAsProcess } from './cli-io.js';
import { keysCommand } from './keys.command.js';

runAsProcess(keysCommand);
