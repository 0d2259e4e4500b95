/**
 * Apps: search, one internal app, the devices of an app by status (snake_case on that route, as
 * UEM writes it), assigning an internal app to a smart group, and installing it on a device.
 * An install goes Pending and settles to Installed or Failed after the install delay on the
 * simulator's clock (see `uem.installs.ts`).
 */
import { readJson } from './uem.bulk.js';
import type { UemRouteContext } from './uem.context.js';
import { deviceParam } from './uem.devices.routes.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { paged, pageOf, readPaging } from './uem.paging.js';
import { booleanParam, contains, text } from './uem.query.js';
import { appSearchItemV1, internalAppV1 } from './uem.shapes.js';
import type { UemState } from './uem.state.js';
import type { UemApp } from './uem.types.js';

function appParam(state: UemState, id: string | undefined): UemApp {
  const app = id !== undefined && /^\d+$/.test(id) ? state.apps.get(Number(id)) : undefined;
  return app ?? fail(404, UemErrorCode.APP_NOT_FOUND, `Application not found for id '${id ?? ''}'.`);
}

const sameText = (a: string, b: string | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase();

export function registerAppRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('GET', '/API/mam/apps/search', 'devices', (req) => {
    const q = req.query;
    const paging = readPaging(q);
    const [name, platform, bundleId, status] = ['applicationname', 'platform', 'bundleid', 'status'].map((n) => text(q, n));
    const all = [...state.apps.values()].filter(
      (a) => contains(a.name, name) && sameText(a.platform, platform) && sameText(a.bundleId, bundleId) && sameText(a.status, status),
    );
    return paged('Application', pageOf(all, paging).map((a) => appSearchItemV1(state, a)), paging, all.length);
  });

  ctx.route('GET', '/API/mam/apps/internal/{id}', 'devices', (req) => ({
    status: 200,
    body: internalAppV1(state, appParam(state, req.params.id)),
  }));

  ctx.route('GET', '/API/mam/apps/{uuid}/devices', 'devices', (req) => {
    const app = state.appByUuid(req.params.uuid ?? '') ?? fail(404, UemErrorCode.APP_NOT_FOUND, `Application not found for uuid '${req.params.uuid ?? ''}'.`);
    const paging = readPaging(req.query);
    const isInstalled = booleanParam(req.query, 'isinstalled');
    const isAssigned = booleanParam(req.query, 'isassigned');
    const assigned = state.assignedDeviceIds(app);
    const rows = state.appDeviceIds(app).flatMap((id) => {
      const device = state.devices.get(id);
      if (!device) return [];
      const install = state.deviceInstall(id, app.id);
      const installedStatus = install?.status ?? 'NotInstalled';
      if (isInstalled !== undefined && (installedStatus === 'Installed') !== isInstalled) return [];
      if (isAssigned !== undefined && assigned.has(id) !== isAssigned) return [];
      return [
        {
          device_id: id,
          device_uuid: device.uuid,
          device_friendly_name: device.friendlyName,
          enrollment_user_name: state.users.get(device.userId)?.userName ?? '',
          assignment_status: assigned.has(id) ? 'Assigned' : 'NotAssigned',
          installed_status: installedStatus,
          installed_version: install?.status === 'Installed' ? install.version : '',
          last_action_taken: install === undefined ? 'None' : install.attempts > 1 ? 'InstallRetry' : 'Install',
        },
      ];
    });
    const page = pageOf(rows, paging);
    if (page.length === 0) return { status: 204 };
    return { status: 200, body: { devices: page, Page: paging.page, PageSize: paging.pageSize, TotalResults: rows.length } };
  });

  const smartGroupOf = (id: string | undefined) => {
    const sg = id !== undefined && /^\d+$/.test(id) ? state.smartGroups.get(Number(id)) : undefined;
    return sg ?? fail(404, UemErrorCode.SMART_GROUP_NOT_FOUND, `Smart group not found for id '${id ?? ''}'.`);
  };

  ctx.route('POST', '/API/mam/apps/internal/{appId}/smartgroups/{smartGroupId}', 'devices', (req) => {
    const app = appParam(state, req.params.appId);
    const sg = smartGroupOf(req.params.smartGroupId);
    const body = readJson(req) as { PushMode?: unknown } | undefined;
    const asked = typeof body?.PushMode === 'string' ? body.PushMode : 'Auto';
    const pushMode = (['Auto', 'OnDemand'] as const).find((m) => m.toLowerCase() === asked.toLowerCase());
    state.assignApp(app, sg.id, pushMode ?? badRequest(`PushMode must be Auto or OnDemand, not '${asked}'.`));
    return { status: 204 };
  });

  ctx.route('DELETE', '/API/mam/apps/internal/{appId}/smartgroups/{smartGroupId}', 'devices', (req) => {
    const app = appParam(state, req.params.appId);
    state.unassignApp(app, smartGroupOf(req.params.smartGroupId).id);
    return { status: 204 };
  });

  ctx.route('POST', '/API/mam/apps/internal/{appId}/install', 'devices', (req) => {
    const app = appParam(state, req.params.appId);
    const body = readJson(req) as { DeviceId?: unknown } | undefined;
    const raw = body?.DeviceId;
    const deviceId = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
    if (deviceId === undefined || deviceId === '') badRequest('DeviceId is required.');
    const device = deviceParam(state, deviceId);
    if (app.status !== 'Active') badRequest(`Application ${app.id} is retired.`);
    if (device.enrollmentStatus === 'Unenrolled') fail(400, UemErrorCode.DEVICE_NOT_ENROLLED, `Device ${device.id} is not enrolled.`);
    if (device.platform !== app.platform) {
      fail(400, UemErrorCode.APP_PLATFORM_MISMATCH, `Application ${app.id} is for ${app.platform}, device ${device.id} is ${device.platform}.`);
    }
    state.installApp(app, device);
    return { status: 202 };
  });
}
