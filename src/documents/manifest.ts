/**
 * Reads the two manifest formats in use into one list of documents, verifying every hash:
 *
 * - the flat `{ "<sha256 hex>": "<document>" }` map written by graphql-codegen's client preset
 *   (`persistedDocuments: { hashAlgorithm: 'sha256' }`) and by Relay (`--persist-output`);
 * - Apollo's `apollo-persisted-query-manifest` version 1: `{ format, version: 1, operations: [{ id,
 *   body, name, type }] }` (generate-persisted-query-manifest).
 *
 * The hash is the sha256 of the body exactly as sent. One bad entry rejects the whole manifest:
 * every problem is reported together and nothing is stored.
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { sha256Hex } from '../store/documents.repository.js';
import type { OperationType } from '../store/database.types.js';

export interface ManifestEntry {
  hash: string;
  body: string;
  operationName: string | null;
  operationType: OperationType;
}

export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`The manifest was rejected (nothing was stored):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
const MAX_PROBLEMS = 50;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one operation of a document, or the reason it cannot be registered. */
export function operationOf(body: string): OperationDefinitionNode | string {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(body, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (err) {
    return `does not parse: ${(err as Error).message}`;
  }
  if (operations.length !== 1) return `must hold exactly one operation (it holds ${operations.length})`;
  return operations[0] as OperationDefinitionNode;
}

function rawEntries(manifest: unknown, problems: string[]): { id: string; body: unknown; label: string }[] {
  if (!isRecord(manifest)) {
    problems.push('a manifest is a JSON object: a flat { hash: document } map or an apollo-persisted-query-manifest');
    return [];
  }
  if (manifest.format === APOLLO_MANIFEST_FORMAT) {
    if (manifest.version !== 1) problems.push(`${APOLLO_MANIFEST_FORMAT} version ${String(manifest.version)} is not supported (only 1)`);
    if (!Array.isArray(manifest.operations)) {
      problems.push('"operations" must be an array');
      return [];
    }
    return manifest.operations.map((op: unknown, i) => {
      const o = isRecord(op) ? op : {};
      return { id: typeof o.id === 'string' ? o.id : '', body: o.body, label: `operations[${i}]${typeof o.name === 'string' ? ` (${o.name})` : ''}` };
    });
  }
  return Object.entries(manifest).map(([id, body]) => ({ id, body, label: `"${id.slice(0, 80)}"` }));
}

/** Every document of a manifest, hashes verified; throws ManifestError listing every problem. */
export function parseManifest(manifest: unknown): ManifestEntry[] {
  const problems: string[] = [];
  const entries: ManifestEntry[] = [];
  for (const raw of rawEntries(manifest, problems)) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (typeof raw.body !== 'string' || raw.body.trim() === '') {
      problems.push(`${raw.label}: the document must be a non-empty string`);
      continue;
    }
    const hash = raw.id.replace(/^sha256:/i, '').toLowerCase();
    const actual = sha256Hex(raw.body);
    if (hash !== actual) {
      const hint = /^[0-9a-f]{40}$/.test(hash) ? ' (a sha1? set persistedDocuments.hashAlgorithm to sha256)' : '';
      problems.push(`${raw.label}: the hash is not the sha256 of the document${hint}; expected ${actual}`);
      continue;
    }
    const operation = operationOf(raw.body);
    if (typeof operation === 'string') {
      problems.push(`${raw.label}: the document ${operation}`);
      continue;
    }
    entries.push({ hash, body: raw.body, operationName: operation.name?.value ?? null, operationType: operation.operation });
  }
  if (problems.length === 0 && entries.length === 0) problems.push('the manifest holds no documents');
  if (problems.length > 0) throw new ManifestError(problems);
  return entries;
}
