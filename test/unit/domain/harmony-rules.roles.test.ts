/**
 * Role rules and typed confirmations (docs/design.md §5), as pure functions over Harmony's role list.
 */
import { describe, expect, it } from 'vitest';
import type { HarmonyRole } from '../../../src/datasources/harmony/harmony.schemas.js';
import { checkConfirmation } from '../../../src/domain/harmony-rules/confirmation.js';
import {
  checkMutable,
  checkNewRole,
  checkPermissions,
  checkRoleEdit,
  checkRoleName,
  distinct,
  findEnvironment,
  findRole,
} from '../../../src/domain/harmony-rules/roles.rules.js';
import { firstViolation, isViolation, violation } from '../../../src/domain/harmony-rules/violation.js';

const role = (roleId: string, name: string, permissions: HarmonyRole['permissions'], builtIn = false): HarmonyRole => ({
  roleId,
  name,
  permissions,
  active: true,
  builtIn,
});
const ROLES = [
  role('1', 'Administrator', ['ADMIN'], true),
  role('2', 'User', ['READ'], true),
  role('3', 'Operators', ['READ']),
  role('8', 'Developers', ['READ', 'APP_DEVELOPER']),
];

describe('role names', () => {
  it('are unique trimmed and in any letter case', () => {
    expect(checkRoleName(ROLES, ' OPERATORS ')).toMatchObject({ reason: 'ROLE_NAME_EXISTS', field: 'name' });
    expect(checkRoleName(ROLES, 'Auditors')).toBeUndefined();
  });

  it('may be kept by the role itself when renamed', () => {
    expect(checkRoleName(ROLES, 'operators', ROLES[2])).toBeUndefined();
    expect(checkRoleName(ROLES, 'User', ROLES[2])).toMatchObject({ reason: 'ROLE_NAME_EXISTS' });
  });

  it('are not empty', () => {
    expect(checkRoleName(ROLES, '  ')).toMatchObject({ reason: 'INVALID_REQUEST' });
  });
});

describe('permissions', () => {
  it('need at least one', () => {
    expect(checkPermissions([])).toMatchObject({ reason: 'ROLE_NEEDS_PERMISSION', field: 'permissions' });
    expect(checkPermissions(['READ'])).toBeUndefined();
  });

  it('never add APP_DEVELOPER, but a role that has it may keep it', () => {
    expect(checkPermissions(['READ', 'APP_DEVELOPER'])).toMatchObject({ reason: 'PERMISSION_DEPRECATED' });
    expect(checkPermissions(['APP_DEVELOPER'], ['READ', 'APP_DEVELOPER'])).toBeUndefined();
  });

  it('are deduplicated in the order given', () => {
    expect(distinct(['READ', 'ADMIN', 'READ'])).toEqual(['READ', 'ADMIN']);
  });
});

describe('new roles', () => {
  it('check the name first, then the permissions', () => {
    expect(checkNewRole(ROLES, { name: 'user', permissions: [] })).toMatchObject({ reason: 'ROLE_NAME_EXISTS' });
    expect(checkNewRole(ROLES, { name: 'New', permissions: [] })).toMatchObject({ reason: 'ROLE_NEEDS_PERMISSION' });
    expect(checkNewRole(ROLES, { name: 'New', permissions: ['API_CONSUMER'] })).toBeUndefined();
  });
});

describe('role edits', () => {
  it('are refused on built-in roles, whatever the change', () => {
    expect(checkRoleEdit(ROLES, ROLES[0]!, { name: 'Admins' })).toMatchObject({ reason: 'ROLE_IMMUTABLE' });
    expect(checkRoleEdit(ROLES, ROLES[1]!, { permissions: ['READ'] })).toMatchObject({ reason: 'ROLE_IMMUTABLE' });
  });

  it('need some change and apply the name and permission rules', () => {
    expect(checkRoleEdit(ROLES, ROLES[2]!, {})).toMatchObject({ reason: 'INVALID_REQUEST' });
    expect(checkRoleEdit(ROLES, ROLES[2]!, { name: null, permissions: null })).toMatchObject({ reason: 'INVALID_REQUEST' });
    expect(checkRoleEdit(ROLES, ROLES[2]!, { name: 'developers' })).toMatchObject({ reason: 'ROLE_NAME_EXISTS' });
    expect(checkRoleEdit(ROLES, ROLES[2]!, { permissions: [] })).toMatchObject({ reason: 'ROLE_NEEDS_PERMISSION' });
    expect(checkRoleEdit(ROLES, ROLES[2]!, { permissions: ['APP_DEVELOPER'] })).toMatchObject({ reason: 'PERMISSION_DEPRECATED' });
    expect(checkRoleEdit(ROLES, ROLES[3]!, { permissions: ['APP_DEVELOPER'] })).toBeUndefined();
    expect(checkRoleEdit(ROLES, ROLES[2]!, { name: 'Ops', permissions: ['READ', 'AGENT_INSTALL'] })).toBeUndefined();
  });
});

describe('built-in roles', () => {
  it('cannot be deactivated or removed; others can', () => {
    expect(checkMutable(ROLES[0]!, 'removed')).toMatchObject({ reason: 'ROLE_IMMUTABLE', message: 'The built-in Administrator role cannot be removed.' });
    expect(checkMutable(ROLES[1]!, 'deactivated')).toMatchObject({ reason: 'ROLE_IMMUTABLE' });
    expect(checkMutable(ROLES[2]!, 'removed')).toBeUndefined();
  });
});

describe('lookups', () => {
  it('answer the record, or NOT_FOUND naming the field', () => {
    expect(findRole(ROLES, '3')).toBe(ROLES[2]);
    const missing = findRole(ROLES, '99');
    expect(isViolation(missing)).toBe(true);
    expect(missing).toMatchObject({ reason: 'NOT_FOUND', field: 'roleId' });
    expect(findEnvironment([{ envId: '101' }], '102')).toMatchObject({ reason: 'NOT_FOUND', field: 'environmentId' });
    expect(isViolation(findEnvironment([{ envId: '101' }], '101'))).toBe(false);
  });

  it('firstViolation keeps the order of the checks', () => {
    const a = violation('NOT_FOUND', 'a');
    const b = violation('ROLE_IMMUTABLE', 'b');
    expect(firstViolation(undefined, a, b)).toBe(a);
    expect(firstViolation(undefined, undefined)).toBeUndefined();
  });
});

describe('typed confirmations', () => {
  it('need the exact word in upper case (surrounding spaces forgiven)', () => {
    expect(checkConfirmation('REMOVE', 'REMOVE', 'remove a role')).toBeUndefined();
    expect(checkConfirmation('REMOVE', ' REMOVE ', 'remove a role')).toBeUndefined();
    expect(checkConfirmation('DEACTIVATE', 'DEACTIVATE', 'deactivate a role')).toBeUndefined();
    for (const given of ['remove', 'REMOVED', '', null, undefined, 'DEACTIVATE']) {
      expect(checkConfirmation('REMOVE', given, 'remove a role')).toMatchObject({
        reason: 'CONFIRMATION_REQUIRED',
        field: 'confirm',
        message: 'To remove a role, type REMOVE as the confirmation.',
      });
    }
  });
});
