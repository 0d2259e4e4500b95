/**
 * One name per domain from the SDL to the resolvers (docs/contributing.md, "Layout"): every resolver
 * folder is named after a schema file, and every schema file is resolved in the folder of its own
 * name or of the domain its name extends (`device-summary.graphql` in `devices/`,
 * `harmony-external.graphql` in `harmony/`). Read from the tree, not from a list kept by hand.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schemaFiles = readdirSync('schema')
  .filter((f) => f.endsWith('.graphql'))
  .map((f) => f.slice(0, -'.graphql'.length));
const folders = readdirSync('src/resolvers', { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(`src/resolvers/${d.name}`).length > 0)
  .map((d) => d.name);

/** Folders with no schema file of their own, and why. */
const WITHOUT_SDL: Record<string, string> = {
  entities: "federation's `_entities` root field, declared by the subgraph schema (src/subgraph/), not by a file in schema/",
};

/** A schema file's name extends a domain: `device-summary` → `device`, `harmony-external` → `harmony`. */
const extendsDomain = (file: string, folder: string) => file.startsWith(`${folder.replace(/s$/, '')}-`);

describe('resolver folders and schema files', () => {
  it('names every resolver folder after a schema file', () => {
    const unnamed = folders.filter((f) => !schemaFiles.includes(f) && !(f in WITHOUT_SDL));
    expect(unnamed).toEqual([]);
  });

  it('resolves every schema file in the folder of its name or of its domain', () => {
    const homeless = schemaFiles.filter((file) => file !== 'base' && !folders.some((f) => f === file || extendsDomain(file, f)));
    expect(homeless).toEqual([]);
  });
});
