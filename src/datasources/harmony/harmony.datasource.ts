/**
 * Jitterbit Harmony as domain verbs: the organization, environments, users and their role
 * assignments, roles, environment access (per role, and every role at once), external users (with
 * their API group and individual API grants), API groups and published APIs, with every write of docs/upstreams/harmony.md. One long-lived instance per gateway owns
 * the HTTP client and the session; `forRequest` gives a cheap per-request view that reports each
 * upstream call to the request's counter. Lists come back whole (Harmony does not page).
 */
import type { Registry } from 'prom-client';
import { HttpClient, type UpstreamCallObserver, type UpstreamHealth } from '../upstream-http/http-client.js';
import type { HttpClientOptionsInput } from '../upstream-http/options.js';
import type { Timing } from '../upstream-http/timing.js';
import { HarmonySession, type HarmonyCredentials } from './harmony.auth.js';
import { harmonyCall, type HarmonyCallSpec, type HarmonyShared } from './harmony.call.js';
import { HarmonyRoutes as R, harmonyApiBaseUrl } from './harmony.routes.js';
import {
  payloads,
  type AccessLevel,
  type ExternalUserStatus,
  type HarmonyApi,
  type HarmonyApiGroup,
  type HarmonyEnvironment,
  type HarmonyEnvironmentAccess,
  type HarmonyExternalUser,
  type HarmonyOrganization,
  type HarmonyRole,
  type HarmonyRoleEnvironmentAccess,
  type HarmonyUser,
  type Permission,
} from './harmony.schemas.js';
import type { z } from 'zod';

export interface HarmonyDatasourceOptions extends HarmonyCredentials {
  /** Harmony's region origin (`https://na-east.jitterbit.com`); the API base path is added. */
  baseUrl: string;
  http?: HttpClientOptionsInput;
  registry?: Registry;
  timing?: Partial<Timing>;
  /** Called for every upstream call of every request (e.g. a process-wide counter). */
  onUpstreamCall?: UpstreamCallObserver;
}

export interface RequestScope {
  /** Called once per HTTP call sent for this request (logins and retries included). */
  onUpstreamCall?: UpstreamCallObserver;
}

export interface NewRole {
  name: string;
  permissions: Permission[];
  active?: boolean;
}

export type RoleChanges = Partial<NewRole>;

/** One API granted on its own, in the environment it is published in (Harmony's wire shape). */
export interface ApiGrant {
  envId: string;
  apiId: string;
}

export interface NewExternalUser {
  email: string;
  /** `YYYY-MM-DD`: access ends at 23:59 that day in `timeZone`; null = never. */
  accessExpiresOn: string | null;
  /** IANA time zone (default UTC). */
  timeZone?: string;
  name?: string;
  company?: string;
  apiGroupIds?: string[];
  apis?: ApiGrant[];
}

export interface ExternalUserChanges {
  status?: Extract<ExternalUserStatus, 'ACTIVE' | 'SUSPENDED'>;
  accessExpiresOn?: string | null;
  timeZone?: string;
  name?: string;
  company?: string;
  apiGroupIds?: string[];
  apis?: ApiGrant[];
}

export class HarmonyDatasource {
  static create(options: HarmonyDatasourceOptions): HarmonyDatasource {
    const client = new HttpClient({
      upstream: 'harmony',
      baseUrl: harmonyApiBaseUrl(options.baseUrl),
      options: options.http,
      registry: options.registry,
      timing: options.timing,
      onUpstreamCall: options.onUpstreamCall,
    });
    const { email, password, orgId, deviceId } = options;
    const session = new HarmonySession(client, { email, password, orgId, deviceId }, options.timing?.now);
    return new HarmonyDatasource({ client, session, orgId });
  }

  constructor(
    private readonly shared: HarmonyShared,
    private readonly scope: RequestScope = {},
  ) {}

  /** A view for one GraphQL request, sharing the client and the session. */
  forRequest(scope: RequestScope): HarmonyDatasource {
    return new HarmonyDatasource(this.shared, scope);
  }

  get session(): HarmonySession {
    return this.shared.session;
  }

  health(): UpstreamHealth {
    return this.shared.client.health();
  }

  /**
   * Start-up check: logs in (a HarmonyLoginError says why it cannot, e.g. TFA_REQUIRED) and reads
   * the organization.
   */
  async start(): Promise<HarmonyOrganization> {
    await this.shared.session.token(this.scope.onUpstreamCall);
    return this.organization();
  }

  close(): Promise<void> {
    return this.shared.client.close();
  }

  private call<S extends z.ZodType>(spec: HarmonyCallSpec<S>): Promise<z.output<S>> {
    return harmonyCall(this.shared, spec, this.scope.onUpstreamCall);
  }

  private get orgId(): string {
    return this.shared.orgId;
  }

  async organization(): Promise<HarmonyOrganization> {
    return (await this.call({ method: 'GET', path: R.org(this.orgId), operation: 'org.get', schema: payloads.org })).org;
  }

  /**
   * The readiness probe: the organization with the integration account's session, once, within
   * `timeoutMs`, even while breakers are open (a success closes them).
   */
  async probe(timeoutMs: number): Promise<void> {
    await this.call({ method: 'GET', path: R.org(this.orgId), operation: 'org.get', schema: payloads.org, probe: { timeoutMs } });
  }

  async environments(): Promise<HarmonyEnvironment[]> {
    const path = R.environments(this.orgId);
    return (await this.call({ method: 'GET', path, operation: 'environments.list', schema: payloads.environments })).environments;
  }

  async users(): Promise<HarmonyUser[]> {
    return (await this.call({ method: 'GET', path: R.users(this.orgId), operation: 'users.list', schema: payloads.users })).users;
  }

  async inviteUser(email: string, roleIds: string[]): Promise<HarmonyUser> {
    const spec = { method: 'POST', path: R.users(this.orgId), body: { email, roleIds }, operation: 'users.invite', schema: payloads.user } as const;
    return (await this.call(spec)).user;
  }

  async removeUser(userId: string): Promise<void> {
    await this.call({ method: 'DELETE', path: R.user(this.orgId, userId), operation: 'users.remove', schema: payloads.userId });
  }

  /** Assigns a role to a user, or changes the assignment's status. */
  async setUserRole(userId: string, roleId: string, active: boolean): Promise<HarmonyUser> {
    const path = R.userRole(this.orgId, userId, roleId);
    return (await this.call({ method: 'PUT', path, body: { active }, operation: 'users.role.set', schema: payloads.user })).user;
  }

  async unassignUserRole(userId: string, roleId: string): Promise<HarmonyUser> {
    const path = R.userRole(this.orgId, userId, roleId);
    return (await this.call({ method: 'DELETE', path, operation: 'users.role.unassign', schema: payloads.user })).user;
  }

  async roles(): Promise<HarmonyRole[]> {
    return (await this.call({ method: 'GET', path: R.roles(this.orgId), operation: 'roles.list', schema: payloads.roles })).roles;
  }

  async createRole(role: NewRole): Promise<HarmonyRole> {
    const spec = { method: 'POST', path: R.roles(this.orgId), body: role, operation: 'roles.create', schema: payloads.role } as const;
    return (await this.call(spec)).role;
  }

  async updateRole(roleId: string, changes: RoleChanges): Promise<HarmonyRole> {
    const spec = { method: 'PUT', path: R.role(this.orgId, roleId), body: changes, operation: 'roles.update', schema: payloads.role } as const;
    return (await this.call(spec)).role;
  }

  /** Removes a role (Harmony removes it from all its users); answers how many assignments went. */
  async removeRole(roleId: string): Promise<{ roleId: string; removedFromUsers: number }> {
    return this.call({ method: 'DELETE', path: R.role(this.orgId, roleId), operation: 'roles.remove', schema: payloads.roleRemoved });
  }

  async roleEnvironmentAccess(roleId: string): Promise<HarmonyRoleEnvironmentAccess[]> {
    const path = R.roleAccess(this.orgId, roleId);
    return (await this.call({ method: 'GET', path, operation: 'roles.access.get', schema: payloads.roleAccess })).access;
  }

  async setRoleEnvironmentAccess(roleId: string, envId: string, levels: AccessLevel[]): Promise<HarmonyEnvironmentAccess> {
    const path = R.roleEnvAccess(this.orgId, roleId, envId);
    return (await this.call({ method: 'PUT', path, body: { levels }, operation: 'roles.access.set', schema: payloads.accessCell })).access;
  }

  /** Every role's access in every environment, in one call (the batch path for loaders). */
  async environmentAccess(): Promise<HarmonyEnvironmentAccess[]> {
    const path = R.allAccess(this.orgId);
    return (await this.call({ method: 'GET', path, operation: 'access.list', schema: payloads.allAccess })).access;
  }

  async externalUsers(): Promise<HarmonyExternalUser[]> {
    const path = R.externalUsers(this.orgId);
    return (await this.call({ method: 'GET', path, operation: 'externalUsers.list', schema: payloads.externalUsers })).externalUsers;
  }

  async inviteExternalUser(input: NewExternalUser): Promise<HarmonyExternalUser> {
    const path = R.externalUsers(this.orgId);
    const spec = { method: 'POST', path, body: input, operation: 'externalUsers.invite', schema: payloads.externalUser } as const;
    return (await this.call(spec)).externalUser;
  }

  async updateExternalUser(externalUserId: string, changes: ExternalUserChanges): Promise<HarmonyExternalUser> {
    const path = R.externalUser(this.orgId, externalUserId);
    const spec = { method: 'PUT', path, body: changes, operation: 'externalUsers.update', schema: payloads.externalUser } as const;
    return (await this.call(spec)).externalUser;
  }

  /** Resends the invitation (REQUESTED or EXPIRED only), optionally with a new expiry. */
  async resendExternalUserInvitation(
    externalUserId: string,
    changes: Pick<ExternalUserChanges, 'accessExpiresOn' | 'timeZone'> = {},
  ): Promise<HarmonyExternalUser> {
    const path = R.externalUserResend(this.orgId, externalUserId);
    const spec = { method: 'POST', path, body: changes, operation: 'externalUsers.resend', schema: payloads.externalUser } as const;
    return (await this.call(spec)).externalUser;
  }

  async deleteExternalUser(externalUserId: string): Promise<void> {
    const path = R.externalUser(this.orgId, externalUserId);
    await this.call({ method: 'DELETE', path, operation: 'externalUsers.delete', schema: payloads.externalUserId });
  }

  async apiGroups(): Promise<HarmonyApiGroup[]> {
    return (await this.call({ method: 'GET', path: R.apiGroups(this.orgId), operation: 'apiGroups.list', schema: payloads.apiGroups })).apiGroups;
  }

  /** Every API published in the organization, each in its environment (what grants may name). */
  async apis(): Promise<HarmonyApi[]> {
    return (await this.call({ method: 'GET', path: R.apis(this.orgId), operation: 'apis.list', schema: payloads.apis })).apis;
  }
}
