/**
 * Enrollment user fields from the mutations' inputs: parsed with zod past what GraphQL types say
 * (lengths, user name and email shapes), and compared with UEM's record so that only what differs
 * is sent. Field names are the inputs' names; `status` stands for activate/deactivate.
 */
import { z } from 'zod';
import type { UemSecurityType, UemUserStatus } from '../../__generated__/resolvers-types.js';
import type { UemUserFields } from '../../datasources/uem/uem.directory.js';
import type { UemUser } from '../../datasources/uem/uem.schemas.js';
import { badInput } from '../../errors.js';

/** The text fields UEM stores as given. */
export const TEXT_FIELDS = ['firstName', 'lastName', 'displayName', 'department', 'contactNumber', 'mobileNumber'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

export interface UserFields extends Partial<Record<TextField, string>> {
  email?: string;
  securityType?: 'Basic' | 'Directory';
  organizationGroupId?: number;
  password?: string;
  active?: boolean;
}

export interface NewUserFields extends UserFields {
  userName: string;
}

const text = z.string().trim().max(200, 'at most 200 characters');
const id = z.string().trim().regex(/^\d{1,12}$/, 'must be a UEM id').transform(Number);
const shape = {
  userName: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters').regex(/^\S+$/, 'must not contain spaces'),
  organizationGroupId: id,
  firstName: text,
  lastName: text,
  displayName: text,
  department: text,
  contactNumber: z.string().trim().max(50, 'at most 50 characters'),
  mobileNumber: z.string().trim().max(50, 'at most 50 characters'),
  email: z.string().trim().max(254, 'at most 254 characters').regex(/^$|^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'is not an email address'),
  password: z.string().min(1, 'must not be empty').max(200, 'at most 200 characters'),
};
const fieldsSchema = z.object(shape).partial();

/** The GraphQL input's shape: nullable fields and enum values. */
export interface UserInput {
  userName?: string | null;
  organizationGroupId?: string | null;
  securityType?: UemSecurityType | null;
  password?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  displayName?: string | null;
  department?: string | null;
  contactNumber?: string | null;
  mobileNumber?: string | null;
  status?: UemUserStatus | null;
}

/** The fields given (null and absent fields left out), validated; BAD_USER_INPUT naming the field otherwise. */
export function parseUserFields(input: UserInput, argument: string): UserFields & { userName?: string } {
  const given = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== null && v !== undefined && k in shape));
  const parsed = fieldsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw badInput(`"${field}" ${issue?.message ?? 'is not valid'}.`, { argument: `${argument}.${field}` });
  }
  const fields: UserFields & { userName?: string } = { ...parsed.data };
  if (input.securityType) fields.securityType = input.securityType === 'BASIC' ? 'Basic' : 'Directory';
  if (input.status) fields.active = input.status === 'ACTIVE';
  return fields;
}

/** Fields of a user to create: a user name and, for a BASIC user, a password. */
export function parseNewUser(input: UserInput, argument: string): NewUserFields {
  const fields = parseUserFields(input, argument);
  if (!fields.userName) throw badInput('"userName" is required.', { argument: `${argument}.userName` });
  return { ...fields, userName: fields.userName, securityType: fields.securityType ?? 'Basic', active: fields.active ?? true };
}

/** A BASIC user needs a password to be created. */
export function checkCreatable(fields: NewUserFields, argument: string): void {
  if (fields.securityType === 'Basic' && !fields.password) {
    throw badInput('A BASIC user needs a "password" to be created.', { argument: `${argument}.password`, reason: 'PASSWORD_REQUIRED' });
  }
}

const same = (a: string | null | undefined, b: string) => (a ?? '') === b;
const sameIgnoringCase = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

export interface UserDiff {
  /** What `update` must send (without the status). */
  changes: UemUserFields;
  /** The status to set with activate/deactivate, when it differs. */
  active?: boolean;
  /** The input names of everything that differs (`password` when a password is sent). */
  changed: string[];
}

/**
 * What differs between UEM's record and the fields wanted. A password cannot be compared: it is
 * sent when `sendPassword` says so (updateUemUser) and never by provisioning, so reruns stay quiet.
 */
export function diffUser(record: UemUser, wanted: UserFields, sendPassword: boolean): UserDiff {
  const changes: UemUserFields = {};
  const changed: string[] = [];
  for (const field of TEXT_FIELDS) {
    const value = wanted[field];
    if (value !== undefined && !same(record[field], value)) {
      changes[field] = value;
      changed.push(field);
    }
  }
  if (wanted.email !== undefined && !sameIgnoringCase(record.email, wanted.email)) {
    changes.email = wanted.email;
    changed.push('email');
  }
  if (wanted.securityType !== undefined && !sameIgnoringCase(record.securityType, wanted.securityType)) {
    changes.securityType = wanted.securityType;
    changed.push('securityType');
  }
  if (wanted.organizationGroupId !== undefined && record.organizationGroupId !== wanted.organizationGroupId) {
    changes.organizationGroupId = wanted.organizationGroupId;
    changed.push('organizationGroupId');
  }
  if (sendPassword && wanted.password !== undefined) {
    changes.password = wanted.password;
    changed.push('password');
  }
  const diff: UserDiff = { changes, changed };
  if (wanted.active !== undefined && record.active !== wanted.active) {
    diff.active = wanted.active;
    changed.push('status');
  }
  return diff;
}

/** The fields a user is created with, as `changedFields` reports them. */
export function givenFields(fields: NewUserFields): string[] {
  const names: string[] = [...TEXT_FIELDS.filter((f) => fields[f] !== undefined), 'organizationGroupId', 'securityType'];
  if (fields.email !== undefined) names.push('email');
  if (fields.password !== undefined) names.push('password');
  names.push('status');
  return names;
}
