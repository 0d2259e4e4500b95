/**
 * Typed confirmations (docs/design.md §5): removing a user or a role needs the word REMOVE, deactivating
 * a role DEACTIVATE, deleting an external user DELETE. Reactivating needs none. The word must be
 * typed exactly (upper case, surrounding spaces forgiven), as in Harmony's dialogs.
 */
import { violation, type RuleViolation } from './violation.js';

export type ConfirmationWord = 'REMOVE' | 'DEACTIVATE' | 'DELETE';

export function checkConfirmation(expected: ConfirmationWord, given: string | null | undefined, action: string): RuleViolation | undefined {
  if (given?.trim() === expected) return undefined;
  return violation('CONFIRMATION_REQUIRED', `To ${action}, type ${expected} as the confirmation.`, 'confirm');
}
