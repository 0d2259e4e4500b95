/**
 * The benchmark runs each gateway as its checkout's `npm start` does (bench/start-command.ts): the
 * start script's Node flags and compiled entry, or the TypeScript entry through tsx for a checkout
 * whose start script is not a plain `node` command.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStartScript } from '../../../bench/start-command.js';

describe('parseStartScript', () => {
  it("reads this checkout's start script: its flags, entry and arguments", () => {
    const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    const command = parseStartScript(script);
    expect(command.entry).toBe('dist/main.js');
    expect(command.nodeArgs).toContain('--enable-source-maps');
    expect(command.nodeArgs.some((a) => a.startsWith('--max-old-space-size='))).toBe(true);
    expect(command.args).toEqual(['--exit-with-parent']);
    expect(Object.keys(command.env)).toContain('MALLOC_ARENA_MAX');
  });

  it('reads the variables an `env` prefix sets, for the node process itself', () => {
    expect(parseStartScript('exec env A_B=2 C_=131072 node --x=1 dist/main.js --y')).toMatchObject({
      env: { A_B: '2', C_: '131072' },
      nodeArgs: ['--x=1'],
      entry: 'dist/main.js',
      args: ['--y'],
    });
    expect(parseStartScript('exec env A=2 node dist/main.js').describe).toBe('A=2 node dist/main.js');
  });

  it('splits flags, entry and arguments, with or without exec', () => {
    expect(parseStartScript('exec node --a=1 --b dist/x.js --c')).toMatchObject({ env: {}, nodeArgs: ['--a=1', '--b'], entry: 'dist/x.js', args: ['--c'] });
    expect(parseStartScript('node dist/main.js')).toMatchObject({ nodeArgs: [], entry: 'dist/main.js', args: [] });
  });

  it('runs anything else (an older `tsx src/main.ts`) through tsx', () => {
    for (const script of ['tsx src/main.ts', undefined, 'node --import tsx src/main.ts']) {
      expect(parseStartScript(script)).toMatchObject({ nodeArgs: ['--import', 'tsx'], entry: 'src/main.ts', args: [] });
    }
  });
});
