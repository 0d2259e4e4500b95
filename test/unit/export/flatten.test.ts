import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cellsOf, columnsOf, explodeRow, valueAt } from '../../../src/export/flatten.js';
import { walkContext } from '../../../src/safety/walk.js';

/** The columns of the selection under `devices { nodes { … } }` of a document. */
function columns(text: string) {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const walk = walkContext(document, operation, {});
  const devices = operation.selectionSet.selections[0] as FieldNode;
  const nodes = devices.selectionSet!.selections.find((s): s is FieldNode => s.kind === 'Field' && s.name.value === 'nodes')!;
  return columnsOf(walk, nodes.selectionSet!);
}

describe('columns from the selection set', () => {
  it('names nested fields with dots, in selection order, aliases included', () => {
    const cols = columns('{ devices { nodes { id name: friendlyName user { email org: organizationGroup { name } } tags { name } } } }');
    expect(cols.map((c) => c.name)).toEqual(['id', 'name', 'user.email', 'user.org.name', 'tags.name']);
    expect(cols.find((c) => c.name === 'user.org.name')?.path).toEqual(['user', 'org', 'name']);
  });

  it('inlines fragments and keeps a key selected twice as one column', () => {
    const cols = columns(`
      query { devices { nodes { id ...D ... on Device { id platform } } } }
      fragment D on Device { friendlyName user { email } }`);
    expect(cols.map((c) => c.name)).toEqual(['id', 'friendlyName', 'user.email', 'platform']);
  });
});

describe('values', () => {
  const device = {
    id: '1',
    user: { email: 'a@demo.example', org: null },
    tags: [{ name: 'Field' }, { name: null }, { name: 'Refresh' }],
    compliance: { policies: [{ name: 'Passcode', actions: ['Notify', 'BlockEmail'] }, { name: 'OS', actions: [] }] },
  };

  it('reads scalars, nulls on the way, and lists without indexes (flattened, nulls kept)', () => {
    expect(valueAt(device, ['id'])).toBe('1');
    expect(valueAt(device, ['user', 'org', 'name'])).toBeNull();
    expect(valueAt(device, ['missing'])).toBeNull();
    expect(valueAt(device, ['tags', 'name'])).toEqual(['Field', null, 'Refresh']);
    expect(valueAt(device, ['compliance', 'policies', 'actions'])).toEqual(['Notify', 'BlockEmail']);
    expect(valueAt({ tags: [] }, ['tags', 'name'])).toEqual([]);
  });

  it('explodes one list into a row per element, the element in its place, without touching the node', () => {
    const rows = explodeRow(device, ['compliance', 'policies']);
    expect(rows).toHaveLength(2);
    expect(valueAt(rows[0], ['compliance', 'policies', 'name'])).toBe('Passcode');
    expect(valueAt(rows[0], ['compliance', 'policies', 'actions'])).toEqual(['Notify', 'BlockEmail']);
    expect(valueAt(rows[1], ['compliance', 'policies', 'name'])).toBe('OS');
    expect(valueAt(rows[1], ['id'])).toBe('1');
    expect(Array.isArray(device.compliance.policies)).toBe(true);
  });

  it('keeps a node whose exploded list is empty or null as one row with those cells empty', () => {
    for (const node of [{ id: '2', tags: [] }, { id: '3', tags: null }]) {
      const rows = explodeRow(node, ['tags']);
      expect(rows).toHaveLength(1);
      expect(cellsOf(rows[0], [{ name: 'id', path: ['id'] }, { name: 'tags.name', path: ['tags', 'name'] }])).toEqual([node.id, null]);
    }
    expect(explodeRow(device, undefined)).toEqual([device]);
  });
});
