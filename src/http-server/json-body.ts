/**
 * GraphQL responses as the bytes sent, for Apollo's `stringifyResult` and the server's send. The
 * text is Apollo's own (`JSON.stringify` of the result and a newline); a large one is never made
 * into one string or one buffer: its pieces (json-pieces.ts) are encoded into buffers of up to
 * CHUNK_BYTES and written one after another, with the same bytes and a Content-Length. Apollo's
 * interface wants a string, so a large result is handed through it as a marker naming the pieces,
 * which the server takes back (`take`) as soon as Apollo answers: a marker starts with a NUL, which
 * no JSON text does.
 */
import { jsonPieces } from './json-pieces.js';

/** Results of at least this many characters are sent in pieces (V8 keeps strings over 128 KB apart). */
export const LARGE_RESULT_CHARS = 48 * 1024;
/** Bytes of each buffer a large result is encoded into (under the allocator's mapping threshold). */
const CHUNK_BYTES = 64 * 1024;
const MARKER = '\u0000json-pieces:';
/**
 * Markers waiting at most: one per response between Apollo's stringify and the server's send
 * (microtasks apart). The server takes every one; the bound only keeps a fault from growing it.
 */
const MAX_PENDING = 10_000;

/** A response body: its encoded bytes, in one or several buffers, and its text when someone must read it. */
export interface JsonBody {
  chunks: Buffer[];
  bytes: number;
  text(): string;
}

export class JsonBodies {
  private readonly pending = new Map<string, string[]>();
  private next = 0;

  /** Apollo's `stringifyResult`: the text, or for a large result a marker for `take`. */
  readonly stringify = (value: unknown): string => {
    const pieces = jsonPieces(value);
    if (!pieces) return `${JSON.stringify(value)}\n`;
    pieces.push('\n');
    let chars = 0;
    for (const p of pieces) chars += p.length;
    if (chars < LARGE_RESULT_CHARS) return pieces.join('');
    const marker = `${MARKER}${++this.next}`;
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
    this.pending.set(marker, pieces);
    return marker;
  };

  /** The body of a response text Apollo answered (a marker's pieces are taken: each is sent once). */
  take(text: string): JsonBody {
    if (!text.startsWith(MARKER)) {
      const encoded = Buffer.from(text);
      return { chunks: [encoded], bytes: encoded.length, text: () => text };
    }
    const pieces = this.pending.get(text);
    if (!pieces) throw new Error('A response body was sent twice or lost before it was sent.');
    this.pending.delete(text);
    const chunks = encodePieces(pieces);
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    return { chunks, bytes, text: () => pieces.join('') };
  }

  /** Markers not taken yet (tests). */
  get pendingCount(): number {
    return this.pending.size;
  }
}

/** The pieces encoded as UTF-8 into buffers of up to CHUNK_BYTES (a larger piece gets its own). */
function encodePieces(pieces: readonly string[]): Buffer[] {
  const chunks: Buffer[] = [];
  let chunk: Buffer | undefined;
  let used = 0;
  const flush = () => {
    if (chunk && used > 0) chunks.push(chunk.subarray(0, used));
    chunk = undefined;
    used = 0;
  };
  for (const piece of pieces) {
    const bytes = Buffer.byteLength(piece);
    if (bytes > CHUNK_BYTES) {
      flush();
      chunks.push(Buffer.from(piece));
      continue;
    }
    if (!chunk || used + bytes > chunk.length) {
      flush();
      chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    }
    used += chunk.write(piece, used, 'utf8');
  }
  flush();
  return chunks;
}
