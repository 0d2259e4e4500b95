import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { failure, runCommand, type CliCommand, type CliIo } from '../../../src/cli/cli-io.js';

function io(): CliIo & { out: () => string; err: () => string } {
  const sink = () => {
    let text = '';
    const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
    return { stream, text: () => text };
  };
  const stdout = sink();
  const stderr = sink();
  return { env: {}, stdout: stdout.stream, stderr: stderr.stream, out: stdout.text, err: stderr.text };
}

const command: CliCommand = async (argv, streams) => {
  const { values } = parseArgs({ args: [...argv], options: { name: { type: 'string' } } });
  if (!values.name) failure(streams, 'usage: test --name <name>')('--name is required.');
  streams.stdout.write(`hello ${values.name}\n`);
  return 0;
};

describe('runCommand', () => {
  it('answers the command\'s own exit code and output', async () => {
    const streams = io();
    expect(await runCommand(command, ['--name', 'ada'], streams)).toBe(0);
    expect(streams.out()).toBe('hello ada\n');
  });

  it('turns a usage failure into exit code 2 with the message and the usage', async () => {
    const streams = io();
    expect(await runCommand(command, [], streams)).toBe(2);
    expect(streams.err()).toBe('--name is required.\nusage: test --name <name>\n');
  });

  it('turns arguments parseArgs refuses into exit code 2 with its message, not a thrown error', async () => {
    const unknown = io();
    expect(await runCommand(command, ['--bogus'], unknown)).toBe(2);
    expect(unknown.err()).toContain("Unknown option '--bogus'");
    const missing = io();
    expect(await runCommand(command, ['--name'], missing)).toBe(2);
    expect(missing.err()).toMatch(/--name/);
  });

  it('lets other errors through', async () => {
    const failing: CliCommand = async () => {
      throw new Error('store unreachable');
    };
    await expect(runCommand(failing, [], io())).rejects.toThrow('store unreachable');
  });
});
