/**
 * Enrollment users and custom user groups: search, read, create, update (a POST in v1),
 * activate, deactivate, group members, and adding or removing a member. UEM has no batch read of
 * users by id (docs/upstreams/uem.md): loaders page the search or fetch one by one with bounded concurrency.
 */
import { z } from 'zod';
import { orNull } from './uem.devices.js';
import { seg, type UemContext } from './uem.context.js';
import { fetchAllPages, pageSchema, toPage, type UemPage } from './uem.paging.js';
import { createdSchema, userSchema, type UemUser } from './uem.schemas.js';
import { userGroupSchema, type UemUserGroup } from './uem.catalog-schemas.js';
import { list } from './uem.wire.js';

export interface UemUserFilter {
  userName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  organizationGroupId?: number;
  /** Active (true) or inactive users only. */
  active?: boolean;
}

export interface UemUserFields {
  firstName?: string;
  lastName?: string;
  email?: string;
  displayName?: string;
  contactNumber?: string;
  mobileNumber?: string;
  department?: string;
  securityType?: 'Basic' | 'Directory';
  active?: boolean;
  organizationGroupId?: number;
  /** Basic users only. */
  password?: string;
}

export interface UemNewUser extends UemUserFields {
  userName: string;
}

/** The PascalCase body of `adduser` and `update`, without absent fields. */
function userBody(fields: UemUserFields & { userName?: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    UserName: fields.userName,
    Password: fields.password,
    FirstName: fields.firstName,
    LastName: fields.lastName,
    Email: fields.email,
    DisplayName: fields.displayName,
    ContactNumber: fields.contactNumber,
    MobileNumber: fields.mobileNumber,
    Department: fields.department,
    SecurityType: fields.securityType,
    Status: fields.active,
    LocationGroupId: fields.organizationGroupId,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export async function searchUsers(ctx: UemContext, filter: UemUserFilter, page: number, pageSize: number): Promise<UemPage<UemUser>> {
  const query = {
    username: filter.userName,
    firstname: filter.firstName,
    lastname: filter.lastName,
    email: filter.email,
    locationgroupId: filter.organizationGroupId,
    status: filter.active,
    page,
    pagesize: pageSize,
  };
  const spec = { method: 'GET', path: '/system/users/search', query, operation: 'users.search' } as const;
  return toPage(await ctx.api.json(spec, pageSchema('Users', userSchema)), page, pageSize);
}

export async function getUser(ctx: UemContext, id: number | string): Promise<UemUser | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/system/users/${seg(id)}`, operation: 'users.get' }, userSchema));
}

/**
 * The user with exactly this user name (case-insensitive), or null. UEM's `username` filter
 * matches by "contains", so every page of the search is read and the exact name picked.
 */
export async function findUserByName(ctx: UemContext, userName: string): Promise<UemUser | null> {
  const wanted = userName.trim().toLowerCase();
  if (wanted === '') return null;
  const fetchPage = (page: number, pageSize: number) => searchUsers(ctx, { userName: userName.trim() }, page, pageSize);
  const { items } = await fetchAllPages(fetchPage, { concurrency: ctx.tuning.pageConcurrency });
  return items.find((u) => u.userName?.toLowerCase() === wanted) ?? null;
}

/** Creates an enrollment user; answers its new id. */
export async function createUser(ctx: UemContext, user: UemNewUser): Promise<number> {
  const spec = { method: 'POST', path: '/system/users/adduser', body: userBody(user), operation: 'users.create' } as const;
  const created = await ctx.api.json(spec, createdSchema);
  if (created === undefined) throw new TypeError('UEM answered adduser without the new id');
  return created.Value;
}

export async function updateUser(ctx: UemContext, id: number | string, changes: UemUserFields): Promise<void> {
  await ctx.api.send({ method: 'POST', path: `/system/users/${seg(id)}/update`, body: userBody(changes), operation: 'users.update' });
}

export async function setUserActive(ctx: UemContext, id: number | string, active: boolean): Promise<void> {
  const action = active ? 'activate' : 'deactivate';
  await ctx.api.send({ method: 'POST', path: `/system/users/${seg(id)}/${action}`, operation: `users.${action}` });
}

export async function searchUserGroups(ctx: UemContext, filter: { name?: string; organizationGroupId?: number }): Promise<UemUserGroup[]> {
  const schema = pageSchema('UserGroup', userGroupSchema);
  const fetchPage = async (page: number, pagesize: number) => {
    const query = { groupname: filter.name, organizationgroupid: filter.organizationGroupId, page, pagesize };
    return toPage(await ctx.api.json({ method: 'GET', path: '/system/usergroups/custom/search', query, operation: 'userGroups.search' }, schema), page, pagesize);
  };
  return (await fetchAllPages(fetchPage, { concurrency: ctx.tuning.pageConcurrency })).items;
}

const userGroupMembersSchema = z.object({ EnrollmentUser: list(userSchema) });

export async function userGroupMembers(ctx: UemContext, groupId: number | string): Promise<UemUser[]> {
  const schema = userGroupMembersSchema;
  const spec = { method: 'GET', path: `/system/usergroups/${seg(groupId)}/users`, operation: 'userGroups.members' } as const;
  return (await ctx.api.json(spec, schema))?.EnrollmentUser ?? [];
}

export async function setUserGroupMember(ctx: UemContext, groupId: number | string, userId: number | string, member: boolean): Promise<void> {
  const action = member ? 'addusertogroup' : 'removeuserfromgroup';
  const path = `/system/usergroups/${seg(groupId)}/user/${seg(userId)}/${action}`;
  await ctx.api.send({ method: 'POST', path, operation: member ? 'userGroups.addUser' : 'userGroups.removeUser' });
}
