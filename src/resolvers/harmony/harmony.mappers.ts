/**
 * The parent models of the Harmony side of the graph (codegen `mappers`): Harmony's parsed
 * domain types where a parent is a whole upstream record, small joins where it is a relation.
 */
import type { AccessLevel, EnvironmentRef } from '../../auth/principal.js';
import type {
  HarmonyApi,
  HarmonyApiGroup,
  HarmonyExternalUser,
  HarmonyRole,
  HarmonyUser as HarmonyUserRecord,
} from '../../datasources/harmony/harmony.schemas.js';

export type HarmonyUser = HarmonyUserRecord;
export type Role = HarmonyRole;
export type ExternalUser = HarmonyExternalUser;
export type ApiGroup = HarmonyApiGroup;
export type Api = HarmonyApi;

/** One role assigned to one user, with the assignment's own status. */
export interface RoleAssignment {
  user: HarmonyUserRecord;
  role: HarmonyRole;
  active: boolean;
}

/** Levels held in one environment (a role's, or a user's effective ones). */
export interface EnvironmentAccess {
  environment: EnvironmentRef;
  levels: AccessLevel[];
}

/** One role's levels in an environment, seen from the environment. */
export interface RoleEnvironmentAccess {
  role: HarmonyRole;
  levels: AccessLevel[];
}

/** A person is only the (lower-case) email; each side is looked up when asked for. */
export interface Person {
  email: string;
}
