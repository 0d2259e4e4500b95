/**
 * Organization groups and smart groups. Counts on organization groups are strings (as UEM sends
 * them) and include the groups below. A smart group search with `organizationgroupid` lists the
 * groups managed at that organization group, above it (inherited) or below it.
 */
import type { UemRouteContext } from './uem.context.js';
import { formatUemDate } from './uem.dates.js';
import { fail, UemErrorCode } from './uem.errors.js';
import { paged, pageOf, readPaging } from './uem.paging.js';
import { contains, integerParam, text } from './uem.query.js';
import type { UemState } from './uem.state.js';
import type { UemSmartGroup } from './uem.types.js';

/** Groups related to `id` by inheritance (itself, its ancestors, its descendants); null when unknown. */
export function relatedGroups(state: UemState, id: number | undefined): Set<number> | undefined | null {
  if (id === undefined) return undefined;
  const related = state.groupWithDescendants(id);
  if (!related) return null;
  for (let g = state.orgGroups.get(id); g && g.parentId !== null; g = state.orgGroups.get(g.parentId)) related.add(g.parentId);
  return related;
}

function depth(state: UemState, id: number): number {
  let n = 0;
  for (let g = state.orgGroups.get(id); g && g.parentId !== null; g = state.orgGroups.get(g.parentId)) n++;
  return n;
}

function smartGroupParam(state: UemState, id: string | undefined): UemSmartGroup {
  const sg = id !== undefined && /^\d+$/.test(id) ? state.smartGroups.get(Number(id)) : undefined;
  return sg ?? fail(404, UemErrorCode.SMART_GROUP_NOT_FOUND, `Smart group not found for id '${id ?? ''}'.`);
}

export function registerGroupRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('GET', '/API/system/groups/search', 'groups', (req) => {
    const paging = readPaging(req.query);
    const name = text(req.query, 'name');
    const groupId = text(req.query, 'groupid');
    const devices = state.deviceCountsByGroup();
    const users = state.userCountsByGroup();
    const all = [...state.orgGroups.values()]
      .filter((g) => contains(g.name, name) && (groupId === undefined || g.groupId.toLowerCase() === groupId.toLowerCase()))
      .sort((a, b) => a.id - b.id)
      .map((g) => {
        const parent = g.parentId === null ? undefined : state.orgGroups.get(g.parentId);
        return {
          Id: { Value: g.id },
          Uuid: g.uuid,
          Name: g.name,
          GroupId: g.groupId,
          LocationGroupType: g.type,
          Country: g.country,
          Locale: g.locale,
          ParentLocationGroup: parent ? { Id: { Value: parent.id }, Name: parent.name, Uuid: parent.uuid } : null,
          CreatedOn: formatUemDate(g.createdOn),
          LgLevel: depth(state, g.id),
          Users: String(users.get(g.id) ?? 0),
          Admins: g.parentId === null ? '3' : '1',
          Devices: String(devices.get(g.id) ?? 0),
        };
      });
    return paged('LocationGroups', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/mdm/smartgroups/search', 'groups', (req) => {
    const paging = readPaging(req.query);
    const name = text(req.query, 'name');
    const related = relatedGroups(state, integerParam(req.query, 'organizationgroupid'));
    if (related === null) return { status: 204 };
    const all = [...state.smartGroups.values()]
      .filter((sg) => contains(sg.name, name) && (related === undefined || related.has(sg.managedBy)))
      .map((sg) => {
        const og = state.orgGroups.get(sg.managedBy);
        return {
          SmartGroupID: sg.id,
          SmartGroupUuid: sg.uuid,
          Name: sg.name,
          Criteria: sg.criteria,
          Devices: sg.deviceIds.length,
          Assignments: state.assignmentsOf(sg.id),
          Exclusions: 0,
          ManagedByOrganizationGroupId: String(sg.managedBy),
          ManagedByOrganizationGroupName: og?.name ?? '',
          ManagedByOrganizationGroupUuid: og?.uuid ?? '',
        };
      });
    return paged('SmartGroups', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/mdm/smartgroups/{id}', 'groups', (req) => {
    const sg = smartGroupParam(state, req.params.id);
    return {
      status: 200,
      body: { SmartGroupID: sg.id, SmartGroupUuid: sg.uuid, Name: sg.name, Criteria: sg.criteria, DeviceCount: sg.deviceIds.length },
    };
  });

  ctx.route('GET', '/API/mdm/smartgroups/{id}/devices', 'groups', (req) => {
    const sg = smartGroupParam(state, req.params.id);
    const devices = sg.deviceIds.flatMap((id) => {
      const d = state.devices.get(id);
      if (!d) return [];
      return [
        {
          Id: d.id,
          Name: d.friendlyName,
          Model: d.model,
          OSVersion: d.operatingSystem,
          Username: state.users.get(d.userId)?.userName ?? '',
          Platform: d.platform,
          Ownership: d.ownership,
        },
      ];
    });
    return { status: 200, body: { Devices: devices } };
  });
}
