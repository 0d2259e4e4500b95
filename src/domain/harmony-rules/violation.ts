/**
 * What a Harmony business rule (docs/design.md §5) answers when a change breaks it: the rule's code —
 * Harmony's own envelope code (docs/upstreams/harmony.md), so a refusal by the gateway and the same
 * refusal by Harmony read alike — and a message for the person who asked. The rules are pure
 * functions over Harmony's current lists; the resolvers turn a violation into a coded GraphQL
 * error (`BAD_USER_INPUT`, or `NOT_FOUND` for unknown ids) with the code in `extensions.reason`.
 */
export type RuleCode =
  | 'ROLE_NAME_EXISTS'
  | 'ROLE_NEEDS_PERMISSION'
  | 'PERMISSION_DEPRECATED'
  | 'ROLE_IMMUTABLE'
  | 'EMAIL_IS_ORG_MEMBER'
  | 'EMAIL_IS_EXTERNAL_USER'
  | 'INVALID_STATUS_TRANSITION'
  | 'SSO_ORG_CONFLICT'
  | 'CONFIRMATION_REQUIRED'
  | 'NOT_FOUND'
  /** Input the upstream would reject as malformed (not an email, an unknown time zone…). */
  | 'INVALID_REQUEST';

export interface RuleViolation {
  reason: RuleCode;
  message: string;
  /** The input field at fault, when there is one (e.g. `email`, `input.accessExpiresOn`). */
  field?: string;
}

export const violation = (reason: RuleCode, message: string, field?: string): RuleViolation =>
  field === undefined ? { reason, message } : { reason, message, field };

/** The first violation of several checks, in the order given (undefined when all pass). */
export function firstViolation(...checks: (RuleViolation | undefined)[]): RuleViolation | undefined {
  return checks.find((c) => c !== undefined);
}

/** Emails compare trimmed and case-insensitively, as Harmony compares them. */
export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The shape an identity provider's username must have in an SSO organization, and every invitee's. */
export const isEmail = (s: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());

/** Whether a lookup answered a violation rather than the record (records never carry `reason`). */
export const isViolation = <T extends object>(v: T | RuleViolation): v is RuleViolation => 'reason' in v && 'message' in v;
