/**
 * The pino logger. Secrets are redacted by path wherever they might appear; callers log ids, not
 * bodies. One line per request is written by the HTTP layer.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["aw-tenant-code"]',
  'headers.authtoken',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'password',
  'secret',
  'token',
  'apiKey',
  'jwtSecret',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.clientSecret',
  '*.tenantCode',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'uem-harmony-gateway' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as never,
  );
}
