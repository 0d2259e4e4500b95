/**
 * `npm run audit -- export --format csv|jsonl [--from <ISO instant>] [--to <ISO instant>]
 * [--principal <email>] [--field <name>] [--out <file>]`: the audit trail, oldest first, read in
 * batches so an export of any size runs in constant memory. Writes to stdout unless `--out`.
 * While a gateway owns the embedded database the export streams through it (with-store.ts).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { ExportFormat } from '../audit/export.js';
import { failure, type CliIo, type Fail } from './cli-io.js';
import { withStore } from './with-store.js';

const USAGE = `usage:
  npm run audit -- export --format csv|jsonl [--from <ISO instant>] [--to <ISO instant>] [--principal <email>] [--field <name>] [--out <file>]`;

const instant = (value: string | undefined, name: string, fail: Fail): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) fail(`--${name} must be an ISO 8601 instant.`);
  return date;
};

/** The command: `argv` after `npm run audit --`; its promise is the exit code. */
export async function auditCommand(argv: readonly string[], io: CliIo): Promise<number> {
  // Typed here: TypeScript narrows after a call only through a declared `never` function.
  const fail: Fail = failure(io, USAGE);
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      principal: { type: 'string' },
      field: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals[0] !== 'export') fail(positionals[0] ? `unknown command "${positionals[0]}".` : 'a command is required.');
  if (values.format !== 'csv' && values.format !== 'jsonl') fail('--format must be csv or jsonl.');
  const format: ExportFormat = values.format;
  const filter = { from: instant(values.from, 'from', fail), to: instant(values.to, 'to', fail), principalEmail: values.principal, field: values.field };
  await withStore(io, fail, 'npm run audit', async (store) => {
    const out: Writable = values.out ? createWriteStream(values.out, { mode: 0o600 }) : io.stdout;
    try {
      await store.exportAudit(filter, format, out);
    } finally {
      if (out !== io.stdout) await new Promise<void>((resolve) => out.end(resolve));
    }
  });
  return 0;
}
