/**
 * Enrollment user fields (src/resolvers/uem-provisioning/user-fields.ts): inputs parsed past what
 * GraphQL types say, and compared with UEM's record so that only what differs is sent.
 */
import { describe, expect, it } from 'vitest';
import type { UemUser } from '../../../src/datasources/uem/uem.schemas.js';
import { checkCreatable, diffUser, givenFields, parseNewUser, parseUserFields } from '../../../src/resolvers/uem-provisioning/user-fields.js';

const badInputAt = (argument: string) => expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument }) });

describe('parseUserFields', () => {
  it('keeps the fields given, trimmed, and maps the enums to UEM spellings', () => {
    expect(parseUserFields({ firstName: '  Ada ', lastName: null, email: 'ada@example.com', organizationGroupId: ' 571 ', securityType: 'DIRECTORY', status: 'INACTIVE' }, 'input')).toEqual({
      firstName: 'Ada',
      email: 'ada@example.com',
      organizationGroupId: 571,
      securityType: 'Directory',
      active: false,
    });
    expect(parseUserFields({ securityType: 'BASIC', status: 'ACTIVE', email: '' }, 'input')).toEqual({ securityType: 'Basic', active: true, email: '' });
  });

  it('refuses a bad field with BAD_USER_INPUT naming the argument path', () => {
    expect(() => parseUserFields({ email: 'not-an-email' }, 'input')).toThrow(badInputAt('input.email'));
    expect(() => parseUserFields({ userName: 'two words' }, 'users.3')).toThrow(badInputAt('users.3.userName'));
    expect(() => parseUserFields({ organizationGroupId: 'abc' }, 'input')).toThrow(badInputAt('input.organizationGroupId'));
    expect(() => parseUserFields({ department: 'x'.repeat(201) }, 'input')).toThrow(/"department" at most 200 characters/);
  });
});

describe('parseNewUser and checkCreatable', () => {
  it('needs a user name, and defaults to an active BASIC user', () => {
    expect(() => parseNewUser({ firstName: 'A' }, 'input')).toThrow(badInputAt('input.userName'));
    expect(parseNewUser({ userName: 'ada', password: 'pw' }, 'input')).toEqual({ userName: 'ada', password: 'pw', securityType: 'Basic', active: true });
  });

  it('needs a password for a BASIC user only', () => {
    expect(() => checkCreatable(parseNewUser({ userName: 'ada' }, 'input'), 'input')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ argument: 'input.password', reason: 'PASSWORD_REQUIRED' }) }),
    );
    expect(() => checkCreatable(parseNewUser({ userName: 'ada', securityType: 'DIRECTORY' }, 'input'), 'input')).not.toThrow();
  });
});

describe('diffUser', () => {
  const record = {
    firstName: 'Ada',
    lastName: null,
    displayName: 'Ada L.',
    department: 'Ops',
    contactNumber: '',
    mobileNumber: null,
    email: 'Ada@Example.com',
    securityType: 'basic',
    organizationGroupId: 571,
    active: true,
  } as unknown as UemUser;

  it('sends nothing when everything already matches (case-insensitive email and security type, absent as empty)', () => {
    expect(diffUser(record, { firstName: 'Ada', lastName: '', email: 'ada@example.com', securityType: 'Basic', organizationGroupId: 571, active: true, password: 'x' }, false)).toEqual({
      changes: {},
      changed: [],
    });
  });

  it('sends exactly what differs, the password only when asked, and the status apart', () => {
    const diff = diffUser(record, { department: 'Sales', email: 'ada@new.example', organizationGroupId: 572, password: 'pw', active: false }, true);
    expect(diff).toEqual({
      changes: { department: 'Sales', email: 'ada@new.example', organizationGroupId: 572, password: 'pw' },
      active: false,
      changed: ['department', 'email', 'organizationGroupId', 'password', 'status'],
    });
  });
});

describe('givenFields', () => {
  it('lists what a new user is created with', () => {
    expect(givenFields({ userName: 'ada', firstName: 'Ada', email: 'a@b.c', password: 'pw', securityType: 'Basic' })).toEqual([
      'firstName',
      'organizationGroupId',
      'securityType',
      'email',
      'password',
      'status',
    ]);
  });
});
