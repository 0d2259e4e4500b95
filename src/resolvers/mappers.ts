/**
 * The models resolvers receive as parents (codegen `mappers`): the datasources' domain types, or
 * small references where a parent knows only part of an object.
 */
import type { AccessLevel, EnvironmentRef, Principal } from '../auth/principal.js';
import type { UemDevice, UemUser as UemUserRecord } from '../datasources/uem/uem.schemas.js';

export type Device = UemDevice;

/**
 * An enrollment user as far as the parent knows it. Its name, email and given names are answered
 * straight off the model (no resolver: a compiled operation reads them in place, with no call and
 * no resolve info per user); the other fields come from `record`, loaded (batched) only when asked
 * for. A model built without the record leaves `firstName`/`lastName` null only where the query
 * does not select them (`deviceUser`).
 */
export interface UemUser {
  id: string;
  /** Empty when UEM has no name for the user. */
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  record?: UemUserRecord;
}

export type Viewer = Principal;
export type Environment = EnvironmentRef;
export interface ViewerEnvironmentAccess {
  environment: EnvironmentRef;
  levels: AccessLevel[];
}
