/**
 * Workspace ONE UEM as domain verbs over one HTTP client (docs/upstreams/uem.md). One long-lived
 * instance per gateway owns the client, the credentials (token cache) and the bulk settings cache;
 * `forRequest` gives a cheap per-request view that reports every upstream call to the request's
 * counter. Lookups by id answer null when UEM has no such object; other failures are UpstreamErrors.
 */
import type { Registry } from 'prom-client';
import { HttpClient, type UpstreamCallObserver, type UpstreamHealth } from '../upstream-http/http-client.js';
import type { HttpClientOptionsInput } from '../upstream-http/options.js';
import type { Timing } from '../upstream-http/timing.js';
import { createUemAuth, type UemAuth, type UemAuthOptions } from './uem.auth.js';
import type { BulkItemResult, UemDeviceCommand } from './uem.bulk.js';
import { UemApi, type UemShared } from './uem.call.js';
import * as catalog from './uem.catalog.js';
import * as commands from './uem.commands.js';
import type { UemContext, UemTuning } from './uem.context.js';
import * as devices from './uem.devices.js';
import * as directory from './uem.directory.js';
import { DEFAULT_PAGE_SIZE, fetchAllPages, type UemPage } from './uem.paging.js';
import { bulkSettingsSchema, systemInfoSchema, type UemBulkSettings, type UemDevice, type UemSystemInfo, type UemUser } from './uem.schemas.js';

export interface UemDatasourceOptions {
  /** The API host's origin (`https://as1234.awmdm.com`); `/API` is added unless present. */
  baseUrl: string;
  /** The REST API key sent as `aw-tenant-code`. */
  tenantCode?: string;
  auth: UemAuthOptions;
  /** Default 1 (the shapes here are v1). */
  apiVersion?: number;
  http?: HttpClientOptionsInput;
  registry?: Registry;
  timing?: Partial<Timing>;
  /** Called for every upstream call of every request (e.g. a process-wide counter). */
  onUpstreamCall?: UpstreamCallObserver;
  tuning?: Partial<UemTuning>;
  /** How long the bulk settings are cached. Default 10 minutes. */
  bulkSettingsTtlMs?: number;
}

export interface RequestScope {
  /** Called once per HTTP call sent for this request (token fetches and retries included). */
  onUpstreamCall?: UpstreamCallObserver;
}

interface Shared extends UemShared {
  tuning: UemTuning;
  bulk: { ttlMs: number; now: () => number; cached?: { at: number; value: Promise<UemBulkSettings> } };
}

export function uemApiBaseUrl(origin: string): string {
  const trimmed = origin.replace(/\/+$/, '');
  return /\/api$/i.test(trimmed) ? trimmed : `${trimmed}/API`;
}

export class UemDatasource {
  static create(options: UemDatasourceOptions): UemDatasource {
    const client = new HttpClient({
      upstream: 'uem',
      baseUrl: uemApiBaseUrl(options.baseUrl),
      options: options.http,
      registry: options.registry,
      timing: options.timing,
      onUpstreamCall: options.onUpstreamCall,
    });
    const now = options.timing?.now ?? Date.now;
    return new UemDatasource({
      client,
      auth: createUemAuth(options.auth, client, now),
      tenantCode: options.tenantCode,
      apiVersion: options.apiVersion ?? 1,
      tuning: { pageConcurrency: 4, maxIdsPerRead: 500, ...options.tuning },
      bulk: { ttlMs: options.bulkSettingsTtlMs ?? 600_000, now },
    });
  }

  private readonly ctx: UemContext;

  private constructor(
    private readonly shared: Shared,
    scope: RequestScope = {},
  ) {
    this.ctx = { api: new UemApi(shared, scope.onUpstreamCall), tuning: shared.tuning, bulkSettings: () => this.bulkSettings() };
  }

  /** A view for one GraphQL request, sharing the client, credentials and caches. */
  forRequest(scope: RequestScope): UemDatasource {
    return new UemDatasource(this.shared, scope);
  }

  get auth(): UemAuth {
    return this.shared.auth;
  }

  health(): UpstreamHealth {
    return this.shared.client.health();
  }

  close(): Promise<void> {
    return this.shared.client.close();
  }

  async systemInfo(): Promise<UemSystemInfo> {
    const info = await this.ctx.api.json({ method: 'GET', path: '/system/info', operation: 'system.info' }, systemInfoSchema);
    return info ?? { productName: null, productVersion: null };
  }

  /**
   * The readiness probe: `/system/info` with the gateway's credentials, once, within `timeoutMs`,
   * even while breakers are open (a success closes them).
   */
  async probe(timeoutMs: number): Promise<void> {
    await this.ctx.api.send({ method: 'GET', path: '/system/info', operation: 'system.info', probe: { timeoutMs } });
  }

  /** Most devices per bulk call by kind of action; cached for `bulkSettingsTtlMs`. */
  bulkSettings(): Promise<UemBulkSettings> {
    const bulk = this.shared.bulk;
    if (bulk.cached && bulk.now() - bulk.cached.at < bulk.ttlMs) return bulk.cached.value;
    const value = this.ctx.api
      .json({ method: 'GET', path: '/mdm/devices/bulksettings', operation: 'devices.bulkSettings' }, bulkSettingsSchema)
      .then((s) => s ?? { sendMessage: null, enterpriseWipe: null, deleteDevice: null, gps: null, lockDevice: null });
    const entry = { at: bulk.now(), value };
    bulk.cached = entry;
    // A failed read is not cached.
    value.catch(() => {
      if (bulk.cached === entry) bulk.cached = undefined;
    });
    return value;
  }

  // Devices.
  searchDevices(filter: devices.UemDeviceFilter = {}, page = 0, pageSize = DEFAULT_PAGE_SIZE, order?: devices.UemDeviceOrder): Promise<UemPage<UemDevice>> {
    return devices.searchDevices(this.ctx, filter, page, pageSize, order);
  }
  /**
   * Every matching device: the first page, then the rest with bounded concurrency; with `onPage`,
   * each page is handed over as it comes and none is kept (`items` is then empty).
   */
  async allDevices(filter: devices.UemDeviceFilter = {}, order?: devices.UemDeviceOrder, onPage?: (page: UemDevice[]) => Promise<void>): Promise<{ items: UemDevice[]; total: number }> {
    const fetchPage = (page: number, size: number) => devices.searchDevices(this.ctx, filter, page, size, order);
    return fetchAllPages(fetchPage, { concurrency: this.shared.tuning.pageConcurrency, ...(onPage ? { onPage } : {}) });
  }
  getDevice(id: number | string) {
    return devices.getDevice(this.ctx, id);
  }
  getDevicesByIds(ids: readonly (number | string)[]) {
    return devices.getDevicesByIds(this.ctx, ids);
  }
  getDevicesBySerialNumbers(serials: readonly string[]) {
    return devices.getDevicesBySerialNumbers(this.ctx, serials);
  }
  deviceApps(id: number | string) {
    return devices.deviceApps(this.ctx, id);
  }
  deviceCompliance(id: number | string) {
    return devices.deviceCompliance(this.ctx, id);
  }
  extensiveSearch(filter: devices.UemExtensiveFilter = {}, page = 0, pageSize = DEFAULT_PAGE_SIZE) {
    return devices.extensiveSearch(this.ctx, filter, page, pageSize);
  }
  /** Sends a command to one device; UEM's CommandUuid for it (null when the answer names none). */
  sendCommand(id: number | string, command: UemDeviceCommand): Promise<string | null> {
    return commands.sendCommand(this.ctx, id, command);
  }
  /** One page of a device's commands, newest first; null for an unknown device. */
  deviceCommands(id: number | string, page: number, pageSize: number, filter?: commands.CommandHistoryFilter) {
    return commands.deviceCommands(this.ctx, id, page, pageSize, filter);
  }
  /** One command by UEM's CommandUuid; null when UEM knows none. */
  deviceCommand(uuid: string) {
    return commands.deviceCommand(this.ctx, uuid);
  }
  /** `hooks` run around each chunk (callers record progress before a chunk is sent). */
  sendBulkCommand(ids: readonly (number | string)[], command: UemDeviceCommand, hooks?: devices.BulkHooks): Promise<BulkItemResult[]> {
    return devices.sendBulkCommand(this.ctx, ids, command, hooks);
  }
  /** A device's event log over the last `dayRange` days, newest first; null for an unknown device. */
  deviceEventLog(id: number | string, dayRange: number) {
    return devices.deviceEventLog(this.ctx, id, dayRange);
  }

  // Enrollment users and user groups.
  searchUsers(filter: directory.UemUserFilter = {}, page = 0, pageSize = DEFAULT_PAGE_SIZE): Promise<UemPage<UemUser>> {
    return directory.searchUsers(this.ctx, filter, page, pageSize);
  }
  getUser(id: number | string) {
    return directory.getUser(this.ctx, id);
  }
  /** The user with exactly this user name (case-insensitive), or null. */
  findUserByName(userName: string) {
    return directory.findUserByName(this.ctx, userName);
  }
  createUser(user: directory.UemNewUser) {
    return directory.createUser(this.ctx, user);
  }
  updateUser(id: number | string, changes: directory.UemUserFields) {
    return directory.updateUser(this.ctx, id, changes);
  }
  activateUser(id: number | string) {
    return directory.setUserActive(this.ctx, id, true);
  }
  deactivateUser(id: number | string) {
    return directory.setUserActive(this.ctx, id, false);
  }
  searchUserGroups(filter: { name?: string; organizationGroupId?: number } = {}) {
    return directory.searchUserGroups(this.ctx, filter);
  }
  userGroupMembers(groupId: number | string) {
    return directory.userGroupMembers(this.ctx, groupId);
  }
  addUserToGroup(groupId: number | string, userId: number | string) {
    return directory.setUserGroupMember(this.ctx, groupId, userId, true);
  }
  removeUserFromGroup(groupId: number | string, userId: number | string) {
    return directory.setUserGroupMember(this.ctx, groupId, userId, false);
  }

  // Apps.
  searchApps(filter: catalog.UemAppFilter = {}, page = 0, pageSize = DEFAULT_PAGE_SIZE) {
    return catalog.searchApps(this.ctx, filter, page, pageSize);
  }
  getInternalApp(id: number | string) {
    return catalog.getInternalApp(this.ctx, id);
  }
  appDevices(uuid: string, filter: { installed?: boolean; assigned?: boolean } = {}) {
    return catalog.appDevices(this.ctx, uuid, filter);
  }
  assignAppToSmartGroup(appId: number | string, smartGroupId: number | string, pushMode: 'Auto' | 'OnDemand' = 'Auto') {
    return catalog.setAppAssignment(this.ctx, appId, smartGroupId, true, pushMode);
  }
  unassignAppFromSmartGroup(appId: number | string, smartGroupId: number | string) {
    return catalog.setAppAssignment(this.ctx, appId, smartGroupId, false);
  }
  installApp(appId: number | string, deviceId: number | string) {
    return catalog.installApp(this.ctx, appId, deviceId);
  }

  // Organization groups, smart groups, tags.
  searchOrganizationGroups(filter: { name?: string; groupId?: string } = {}) {
    return catalog.searchOrganizationGroups(this.ctx, filter);
  }
  searchSmartGroups(filter: { name?: string; organizationGroupId?: number } = {}) {
    return catalog.searchSmartGroups(this.ctx, filter);
  }
  smartGroupDevices(id: number | string) {
    return catalog.smartGroupDevices(this.ctx, id);
  }
  searchTags(filter: { name?: string; organizationGroupId?: number } = {}) {
    return catalog.searchTags(this.ctx, filter);
  }
  getTag(id: number | string) {
    return catalog.getTag(this.ctx, id);
  }
  createTag(name: string, organizationGroupId: number) {
    return catalog.createTag(this.ctx, name, organizationGroupId);
  }
  tagDevices(tagId: number | string) {
    return catalog.tagDevices(this.ctx, tagId);
  }
  addDevicesToTag(tagId: number | string, deviceIds: readonly (number | string)[], hooks?: devices.BulkHooks): Promise<BulkItemResult[]> {
    return catalog.setDevicesTagged(this.ctx, tagId, deviceIds, true, hooks);
  }
  removeDevicesFromTag(tagId: number | string, deviceIds: readonly (number | string)[], hooks?: devices.BulkHooks): Promise<BulkItemResult[]> {
    return catalog.setDevicesTagged(this.ctx, tagId, deviceIds, false, hooks);
  }
}
