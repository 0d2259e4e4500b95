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
import { withStore } from './with-store.js';

const USAGE = `usage:
  npm run audit -- export --format csv|jsonl [--from <ISO instant>] [--to <ISO instant>] [--principal <email>] [--field <name>] [--out <file>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const instant = (value: string | undefined, name: string): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) fail(`--${name} must be an ISO 8601 instant.`);
  return date;
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
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
  const filter = { from: instant(values.from, 'from'), to: instant(values.to, 'to'), principalEmail: values.principal, field: values.field };
  await withStore(fail, 'npm run audit', async (store) => {
    const out: Writable = values.out ? createWriteStream(values.out, { mode: 0o600 }) : process.stdout;
    try {
      await store.exportAudit(filter, format, out);
    } finally {
      if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
    }
  });
}

void main();
