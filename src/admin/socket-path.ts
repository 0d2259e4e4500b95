/**
 * Where a data directory's admin socket lives: `${DATA_DIR}/gateway.sock`, or, when that path is
 * too long for a Unix socket (about 100 bytes), a name derived from the directory in the system's
 * temporary directory; on Windows a named pipe derived from the directory. The gateway and the
 * CLIs compute the same path from DATA_DIR alone.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAX_UNIX_SOCKET_PATH = 100;

export function adminSocketPath(dataDir: string): string {
  const dir = resolve(dataDir);
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\uem-harmony-gateway-${id}`;
  const inDir = join(dir, 'gateway.sock');
  return Buffer.byteLength(inDir) <= MAX_UNIX_SOCKET_PATH ? inDir : join(tmpdir(), `uem-harmony-gateway-${id}.sock`);
}
