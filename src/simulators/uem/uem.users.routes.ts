/**
 * Enrollment users (search, one, add, update, activate, deactivate) and custom user groups
 * (search, members, add and remove a member). Text filters match case-insensitively by "contains".
 */
import { randomUUID } from 'node:crypto';
import { readJson } from './uem.bulk.js';
import type { UemRouteContext } from './uem.context.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { relatedGroups } from './uem.groups.routes.js';
import { paged, pageOf, readPaging } from './uem.paging.js';
import { booleanParam, contains, integerParam, text } from './uem.query.js';
import { userV1 } from './uem.shapes.js';
import type { UemState } from './uem.state.js';
import type { UemUser, UemUserGroup } from './uem.types.js';
import { readUserFields } from './uem.user-input.js';

export function userParam(state: UemState, id: string | undefined): UemUser {
  const user = id !== undefined && /^\d+$/.test(id) ? state.users.get(Number(id)) : undefined;
  return user ?? fail(404, UemErrorCode.USER_NOT_FOUND, `Enrollment user not found for id '${id ?? ''}'.`);
}

function userGroupParam(state: UemState, id: string | undefined): UemUserGroup {
  const group = id !== undefined && /^\d+$/.test(id) ? state.userGroups.get(Number(id)) : undefined;
  return group ?? fail(404, UemErrorCode.USER_GROUP_NOT_FOUND, `User group not found for id '${id ?? ''}'.`);
}

export function registerUserRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('GET', '/API/system/users/search', 'groups', (req) => {
    const q = req.query;
    const paging = readPaging(q);
    const [userName, firstName, lastName, email] = ['username', 'firstname', 'lastname', 'email'].map((n) => text(q, n));
    const status = booleanParam(q, 'status', ['active'], ['inactive']);
    const groupId = integerParam(q, 'locationgroupid');
    const groups = groupId === undefined ? undefined : state.groupWithDescendants(groupId);
    if (groups === undefined && groupId !== undefined) return { status: 204 };
    const all = [...state.users.values()].filter(
      (u) =>
        contains(u.userName, userName) &&
        contains(u.firstName, firstName) &&
        contains(u.lastName, lastName) &&
        contains(u.email, email) &&
        (status === undefined || u.status === status) &&
        (groups === undefined || groups.has(u.locationGroupId)),
    );
    return paged('Users', pageOf(all, paging).map((u) => userV1(state, u)), paging, all.length);
  });

  ctx.route('GET', '/API/system/users/{id}', 'groups', (req) => ({ status: 200, body: userV1(state, userParam(state, req.params.id)) }));

  ctx.route('POST', '/API/system/users/adduser', 'groups', (req) => {
    const fields = readUserFields(state, readJson(req));
    const userName = fields.userName;
    if (!userName) return badRequest('UserName is required.');
    if (state.userByName(userName)) badRequest(`UserName '${userName}' already exists.`, UemErrorCode.DUPLICATE_USER_NAME);
    const securityType = fields.securityType ?? 'Basic';
    if (securityType === 'Basic' && !fields.password) badRequest('Password is required for a Basic user.');
    const firstName = fields.firstName ?? '';
    const lastName = fields.lastName ?? '';
    const user = state.addUser({
      uuid: randomUUID(),
      userName,
      firstName,
      lastName,
      email: fields.email ?? '',
      status: fields.status ?? true,
      securityType,
      contactNumber: fields.contactNumber ?? '',
      mobileNumber: fields.mobileNumber ?? '',
      displayName: fields.displayName ?? `${firstName} ${lastName}`.trim(),
      locationGroupId: fields.locationGroupId ?? 570,
      department: fields.department ?? '',
      ...(fields.password ? { password: fields.password } : {}),
    });
    return { status: 200, body: { Value: user.id } };
  });

  ctx.route('POST', '/API/system/users/{id}/update', 'groups', (req) => {
    const user = userParam(state, req.params.id);
    const fields = readUserFields(state, readJson(req) ?? {});
    if (fields.userName !== undefined && fields.userName.toLowerCase() !== user.userName.toLowerCase()) {
      badRequest('UserName cannot be changed.');
    }
    delete fields.userName;
    Object.assign(user, fields);
    return { status: 204 };
  });

  for (const [action, status] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    ctx.route('POST', `/API/system/users/{id}/${action}`, 'groups', (req) => {
      userParam(state, req.params.id).status = status;
      return { status: 204 };
    });
  }

  ctx.route('GET', '/API/system/usergroups/custom/search', 'groups', (req) => {
    const paging = readPaging(req.query);
    const name = text(req.query, 'groupname');
    const related = relatedGroups(state, integerParam(req.query, 'organizationgroupid'));
    if (related === null) return { status: 204 };
    const all = [...state.userGroups.values()]
      .filter((g) => contains(g.name, name) && (related === undefined || related.has(g.locationGroupId)))
      .map((g) => ({
        UserGroupId: g.id,
        UserGroupName: g.name,
        UserGroupUuid: g.uuid,
        Description: g.description,
        OrganizationGroup: state.orgGroups.get(g.locationGroupId)?.name ?? '',
        OrganizationGroupId: g.locationGroupId,
        UserCount: g.members.size,
        Type: 'Custom',
      }));
    return paged('UserGroup', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/system/usergroups/{id}/users', 'groups', (req) => {
    const group = userGroupParam(state, req.params.id);
    const users = [...group.members].sort((a, b) => a - b).flatMap((id) => {
      const u = state.users.get(id);
      return u ? [userV1(state, u)] : [];
    });
    return { status: 200, body: { EnrollmentUser: users } };
  });

  for (const action of ['addusertogroup', 'removeuserfromgroup'] as const) {
    ctx.route('POST', `/API/system/usergroups/{groupId}/user/{userId}/${action}`, 'groups', (req) => {
      const group = userGroupParam(state, req.params.groupId);
      const user = userParam(state, req.params.userId);
      if (action === 'addusertogroup') group.members.add(user.id);
      else group.members.delete(user.id);
      return { status: 204 };
    });
  }
}
