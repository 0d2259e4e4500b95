/**
 * The response an export streams into. Lines are buffered into chunks of about 64 KiB; when the
 * socket's buffer is full (`write` returns false) the export waits for `drain` before the next
 * chunk, so a slow reader slows the paging down instead of filling memory. A reader that takes
 * nothing for `stallTimeoutMs` (HTTP_SEND_TIMEOUT_MS) is disconnected, so it cannot hold an export
 * slot and its memory forever. When the client goes away the signal aborts: no further page is
 * fetched and nothing more is written.
 */
import type { ServerResponse } from 'node:http';

const CHUNK_BYTES = 64 * 1024;

export class ExportSink {
  private readonly controller = new AbortController();
  private buffer = '';

  constructor(
    private readonly res: ServerResponse,
    private readonly stallTimeoutMs = 60_000,
  ) {
    res.on('close', () => {
      if (!res.writableFinished) this.controller.abort();
    });
    // A write on a socket that just went away errors the response: that is the client leaving.
    res.on('error', () => this.controller.abort());
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  get started(): boolean {
    return this.res.headersSent;
  }

  start(status: number, headers: Record<string, string>): void {
    this.res.writeHead(status, headers);
  }

  /** Queues text; writes a chunk once enough is queued. */
  async push(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= CHUNK_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk === '' || this.aborted) return;
    if (!this.res.write(chunk)) await this.drained();
  }

  /** Writes what is queued, the trailers, and ends the response (nothing when the client left). */
  async end(trailers: Record<string, string>): Promise<void> {
    await this.flush();
    if (this.aborted) return;
    this.res.addTrailers(trailers);
    this.res.end();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const stalled = setTimeout(() => {
        this.controller.abort();
        this.res.destroy();
        done();
      }, this.stallTimeoutMs);
      const done = () => {
        clearTimeout(stalled);
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }
}
