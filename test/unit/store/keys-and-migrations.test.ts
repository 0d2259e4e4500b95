import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, generateApiKey, hashApiKey } from '../../../src/store/api-keys.repository.js';
import { sha256Hex } from '../../../src/store/documents.repository.js';
import { MigrationError } from '../../../src/store/errors.js';
import { migrations } from '../../../src/store/migrations/index.js';

describe('API key material', () => {
  it('is the uhg_ marker plus 32 random bytes in base64url, never repeated', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    }
  });

  it('is stored as a hex sha256', () => {
    expect(hashApiKey('uhg_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('uhg_x')).not.toBe(hashApiKey('uhg_y'));
    expect(sha256Hex('{ viewer { email } }')).toBe(hashApiKey('{ viewer { email } }'));
  });
});

describe('migration list', () => {
  it('is named so that sorting gives the order it is written in', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    expect(names.every((name) => /^\d{4}_[a-z0-9_]+$/.test(name))).toBe(true);
    for (const migration of Object.values(migrations)) expect(typeof migration.up).toBe('function');
  });

  it('names the failed migration and keeps the cause', () => {
    const cause = new Error('relation "x" does not exist');
    const error = new MigrationError('0002_api_keys', cause);
    expect(error.message).toBe('database migration 0002_api_keys failed: relation "x" does not exist');
    expect(error.cause).toBe(cause);
    expect(new MigrationError(undefined, 'boom').message).toBe('database migrations failed: boom');
  });
});
