/**
 * What a refusal's audit row says about the document: its mutations' root fields, read with the
 * lexer no further than the token limit.
 */
import { describe, expect, it } from 'vitest';
import { fieldsLabel, mutationFieldsOf } from '../../../src/audit/refused-fields.js';

describe('mutationFieldsOf', () => {
  it('lists the root fields of mutations, aliases, arguments, directives and sub-selections aside', () => {
    const text = `mutation Wipe($ids: [ID!]!) @trace {
      a: sendDeviceCommand(input: { deviceIds: $ids, command: DEVICE_WIPE }) @skip(if: false) { results { status } }
      createRole(input: { name: "x", permissions: [ADMIN] }) { role { id } }
      b: sendDeviceCommand(input: { deviceIds: [], command: SYNC }) { results { status } }
      ...Spread
      ... on Mutation { removeRole(roleId: "1", confirm: "REMOVE") { removedRoleId } }
    }`;
    expect(mutationFieldsOf(text, 5000)).toEqual({ fields: ['sendDeviceCommand', 'createRole'], rootFields: 3, operationName: 'Wipe', complete: true });
  });

  it('ignores queries and fragments, and finds a mutation after them', () => {
    expect(mutationFieldsOf('{ viewer { email } } query Q { devices { totalCount } }', 5000)).toBeUndefined();
    const text = 'query Q { viewer { email } } fragment F on Mutation { createRole { role { id } } } mutation { removeRole(roleId: "1") { removedRoleId } }';
    expect(mutationFieldsOf(text, 5000)).toMatchObject({ fields: ['removeRole'], rootFields: 1, operationName: null });
  });

  it('stops at the token limit and at a lexical error, keeping what it read', () => {
    const flood = `mutation { ${'removeRole '.repeat(10_000)}}`;
    expect(mutationFieldsOf(flood, 500)).toEqual({ fields: ['removeRole'], rootFields: 498, operationName: null, complete: false });
    expect(mutationFieldsOf('mutation { createRole "unterminated', 5000)).toMatchObject({ fields: ['createRole'], complete: false });
  });

  it('labels one field by name and many by a list cut to a readable length', () => {
    expect(fieldsLabel(['createRole'], 1)).toBe('createRole');
    expect(fieldsLabel(['createRole', 'removeRole'], 2)).toBe('createRole,removeRole');
    const many = Array.from({ length: 50 }, (_, i) => `field${i}`);
    const label = fieldsLabel(many, 60);
    expect(label.length).toBeLessThanOrEqual(202);
    expect(label.endsWith(',…')).toBe(true);
    expect(fieldsLabel([], 0)).toBe('…');
  });
});
