import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ExportSink } from '../../../src/export/sink.js';

/** A response whose socket buffer is always full: every write asks to wait for `drain`. */
class FullResponse extends EventEmitter {
  headersSent = false;
  writableFinished = false;
  writes: string[] = [];
  trailers: Record<string, string> | undefined;
  ended = false;
  destroyed = false;
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  writeHead() {
    this.headersSent = true;
    return this;
  }
  write(chunk: string) {
    this.writes.push(chunk);
    return false;
  }
  addTrailers(trailers: Record<string, string>) {
    this.trailers = trailers;
  }
  end() {
    this.ended = true;
    this.writableFinished = true;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the export sink', () => {
  it('waits for drain before going on when the socket buffer is full', async () => {
    const res = new FullResponse();
    const sink = new ExportSink(res as unknown as ServerResponse);
    sink.start(200, {});
    let flushed = false;
    const flushing = sink.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(true); // nothing queued: nothing to wait for
    await sink.push('a,b\r\n');
    const second = sink.flush().then(() => (flushed = true));
    flushed = false;
    await tick();
    expect(res.writes).toEqual(['a,b\r\n']);
    expect(flushed).toBe(false);
    res.emit('drain');
    await second;
    await flushing;
    expect(flushed).toBe(true);
  });

  it('writes in chunks of about 64 KiB, not line by line', async () => {
    const res = new FullResponse();
    res.write = (chunk: string) => (res.writes.push(chunk), true);
    const sink = new ExportSink(res as unknown as ServerResponse);
    for (let i = 0; i < 2000; i++) await sink.push(`${'x'.repeat(99)}\n`);
    expect(res.writes.length).toBe(3);
    await sink.end({ 'x-export-status': 'complete' });
    expect(res.writes.join('').length).toBe(200_000);
    expect(res.trailers).toEqual({ 'x-export-status': 'complete' });
    expect(res.ended).toBe(true);
  });

  it('aborts when the client goes away, releases a pending drain, and writes nothing more', async () => {
    const res = new FullResponse();
    const sink = new ExportSink(res as unknown as ServerResponse);
    await sink.push('row\n');
    const pending = sink.flush();
    res.emit('close');
    await pending;
    expect(sink.aborted).toBe(true);
    expect(sink.signal.aborted).toBe(true);
    await sink.push('more\n');
    await sink.end({});
    expect(res.writes).toEqual(['row\n']);
    expect(res.ended).toBe(false);
  });

  it('disconnects a reader that takes nothing for the stall timeout: the export stops', async () => {
    const res = new FullResponse();
    const sink = new ExportSink(res as unknown as ServerResponse, 30);
    await sink.push('row\n');
    await sink.flush();
    expect(res.destroyed).toBe(true);
    expect(sink.aborted).toBe(true);
    await sink.push('more\n');
    await sink.flush();
    expect(res.writes).toEqual(['row\n']);
  });
});
