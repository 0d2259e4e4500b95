/**
 * The models resolvers receive as parents (codegen `mappers`): the datasources' domain types, or
 * small references where a parent knows only part of an object.
 */
import type { AccessLevel, EnvironmentRef, Principal } from '../auth/principal.js';
import type { UemDevice, UemUser as UemUserRecord } from '../datasources/uem/uem.schemas.js';

export type Device = UemDevice;

/**
 * An enrollment user as far as the parent knows it. A device carries the user's id, name and
 * email; the other fields are loaded (batched) only when asked for.
 */
export interface UemUser {
  id: string;
  userName: string | null;
  email: string | null;
  record?: UemUserRecord;
}

export type Viewer = Principal;
export type Environment = EnvironmentRef;
export interface ViewerEnvironmentAccess {
  environment: EnvironmentRef;
  levels: AccessLevel[];
}
