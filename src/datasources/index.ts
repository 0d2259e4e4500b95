/**
 * The datasources' public surface for the gateway: the two datasources with their options and
 * domain types, and the HTTP layer's options, health and observer types. Nothing here reads the
 * environment; `src/config.ts` maps variables onto these option types.
 */
export { HttpClient, type HttpClientDeps, type HttpRequest, type HttpResponse, type UpstreamCallObserver, type UpstreamHealth } from './http/http-client.js';
export { DEFAULT_HTTP_OPTIONS, resolveHttpOptions, type BreakerOptions, type HttpClientOptions, type HttpClientOptionsInput, type RetryOptions } from './http/options.js';
export type { BreakerState } from './http/breaker.js';
export type { Timing } from './http/timing.js';

export { UemDatasource, uemApiBaseUrl, type UemDatasourceOptions } from './uem/uem.datasource.js';
export type { UemAuthOptions } from './uem/uem.auth.js';
export { DEVICE_COMMANDS, type BulkItemResult, type UemDeviceCommand } from './uem/uem.bulk.js';
export { fetchAllPages, type UemPage } from './uem/uem.paging.js';
export type { UemDeviceFilter, UemDeviceOrder, UemExtensiveFilter } from './uem/uem.devices.js';
export type { UemNewUser, UemUserFields, UemUserFilter } from './uem/uem.directory.js';
export type { UemAppFilter } from './uem/uem.catalog.js';
export type {
  UemBulkSettings,
  UemCompliancePolicy,
  UemDevice,
  UemDeviceApp,
  UemDeviceCompliance,
  UemExtensiveDevice,
  UemSystemInfo,
  UemUser,
} from './uem/uem.schemas.js';
export type {
  UemApp,
  UemAppDevice,
  UemInternalApp,
  UemOrganizationGroup,
  UemSmartGroup,
  UemSmartGroupDevice,
  UemTag,
  UemTagDevice,
  UemUserGroup,
} from './uem/uem.catalog-schemas.js';

export {
  HarmonyDatasource,
  type ApiGrant,
  type ExternalUserChanges,
  type HarmonyDatasourceOptions,
  type NewExternalUser,
  type NewRole,
  type RoleChanges,
} from './harmony/harmony.datasource.js';
export { HarmonyLoginError, type HarmonyLoginFailure } from './harmony/harmony.errors.js';
export { ACCESS_LEVELS, EXTERNAL_STATUSES, PERMISSIONS } from './harmony/harmony.schemas.js';
export type {
  AccessLevel,
  ExternalUserStatus,
  HarmonyApiGroup,
  HarmonyEnvironment,
  HarmonyEnvironmentAccess,
  HarmonyExternalUser,
  HarmonyOrganization,
  HarmonyRole,
  HarmonyRoleAssignment,
  HarmonyRoleEnvironmentAccess,
  HarmonyUser,
  Permission,
} from './harmony/harmony.schemas.js';
