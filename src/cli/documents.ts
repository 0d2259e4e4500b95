/** `npm run documents -- push|list|remove` (documents.command.ts) as the process. */
import { runAsProcess } from './cli-io.js';
import { documentsCommand } from './documents.command.js';

runAsProcess(documentsCommand);
