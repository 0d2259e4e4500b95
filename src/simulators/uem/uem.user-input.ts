/**
 * Validation of the enrollment user bodies of `adduser` and `update` (PascalCase fields as UEM
 * takes them). Unknown fields are ignored, as UEM ignores them.
 */
import { badRequest } from './uem.errors.js';
import type { UemState } from './uem.state.js';
import type { UemUser } from './uem.types.js';

export type UserFields = Partial<Omit<UemUser, 'id' | 'uuid'>>;

function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') badRequest(`${key} must be a string.`);
  return v.trim();
}

/** The fields present in the body, validated; a 400 for a wrong type or value. */
export function readUserFields(state: UemState, raw: unknown): UserFields {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) badRequest('The body must be a JSON object.');
  const body = raw as Record<string, unknown>;
  const fields: UserFields = {};
  const strings = {
    UserName: 'userName',
    FirstName: 'firstName',
    LastName: 'lastName',
    Email: 'email',
    ContactNumber: 'contactNumber',
    MobileNumber: 'mobileNumber',
    DisplayName: 'displayName',
    Department: 'department',
    Password: 'password',
  } as const;
  for (const [key, field] of Object.entries(strings)) {
    const v = str(body, key);
    if (v !== undefined) fields[field] = v;
  }
  if (fields.email !== undefined && fields.email !== '' && !/^[^@\s]+@[^@\s]+$/.test(fields.email)) {
    badRequest(`Email '${fields.email}' is not an email address.`);
  }
  const security = str(body, 'SecurityType');
  if (security !== undefined) {
    const canonical = (['Basic', 'Directory'] as const).find((s) => s.toLowerCase() === security.toLowerCase());
    fields.securityType = canonical ?? badRequest(`SecurityType must be Basic or Directory, not '${security}'.`);
  }
  const status = body.Status;
  if (status !== undefined && status !== null) {
    if (typeof status !== 'boolean') badRequest('Status must be a boolean.');
    fields.status = status;
  }
  const group = body.LocationGroupId;
  if (group !== undefined && group !== null) {
    const id = typeof group === 'number' ? group : typeof group === 'string' && /^\d+$/.test(group.trim()) ? Number(group) : Number.NaN;
    if (!state.orgGroups.has(id)) badRequest(`LocationGroupId '${String(group)}' is not an organization group.`);
    fields.locationGroupId = id;
  }
  return fields;
}
