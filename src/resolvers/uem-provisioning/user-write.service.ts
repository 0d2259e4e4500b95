/**
 * One enrollment user at a time: create, update (only what differs), activate or deactivate.
 * Each is audited, checks `provisionUemUsers` in the user's environment before anything is sent,
 * and answers the user as UEM holds it afterwards.
 */
import type { CreateUemUserInput, UemUserStatus, UpdateUemUserInput } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { badInput, codedError, ErrorCode, notFound } from '../../errors.js';
import { UEM_KEYS } from '../../loaders/uem.loaders.js';
import { UEM_REFERENCE_KEYS } from '../../loaders/uem-reference.loaders.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import type { UemUser } from '../mappers.js';
import { forgetUem } from '../uem-write.js';
import { userModel } from '../uem-users/uem-users.service.js';
import { checkCreatable, diffUser, givenFields, parseNewUser, parseUserFields, type UserFields } from './user-fields.js';
import { knownGroup, requireProvision, userIdArgument } from './user-targets.js';

export interface UserPayload {
  user: UemUser;
  changedFields: string[];
}

/** Cache keys a change of enrollment users makes stale (directory, searches, group user counts). */
export const USER_CACHE_KEYS = [UEM_KEYS.userDirectory, UEM_KEYS.userScans, UEM_REFERENCE_KEYS.organizationGroups];

const auditVariables = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;

async function reread(ctx: GraphQLContext, id: number): Promise<UemUserRecord> {
  const user = await ctx.uem.getUser(id);
  if (!user) throw codedError(ErrorCode.INTERNAL_SERVER_ERROR, `UEM does not answer user ${id} after changing it.`);
  // The users snapshot takes the user as just read (no directory refresh for one user).
  await ctx.services.snapshots.putUsers([user]);
  return user;
}

export function createUemUser(ctx: GraphQLContext, input: CreateUemUserInput): Promise<UserPayload> {
  const targets = [{ type: 'UemUserName', id: input.userName.trim().slice(0, 100) }];
  return withAudit(ctx, { field: 'createUemUser', targets, variables: auditVariables({ input }) }, async () => {
    const fields = parseNewUser(input, 'input');
    checkCreatable(fields, 'input');
    const places = await ctx.access.provisioning();
    const groupId = fields.organizationGroupId as number;
    knownGroup(places, groupId, 'input.organizationGroupId');
    requireProvision(places, [groupId]);
    if (await ctx.uem.findUserByName(fields.userName)) {
      throw badInput(`UEM already has a user named ${fields.userName}.`, { argument: 'input.userName', reason: 'USER_NAME_TAKEN' });
    }
    const id = await ctx.uem.createUser(fields);
    forgetUem(ctx, USER_CACHE_KEYS);
    const user = await reread(ctx, id);
    return { result: { user: userModel(user), changedFields: givenFields(fields) }, outcome: 'SUCCESS', details: { userId: String(id) } };
  });
}

/** Applies what differs between the user and `wanted`; answers the fields sent. */
async function applyChanges(ctx: GraphQLContext, id: number, wanted: UserFields, sendPassword: boolean): Promise<UserPayload> {
  const record = await ctx.access.user(await ctx.uem.getUser(id));
  if (!record) throw notFound(`No enrollment user with id ${id}.`, { argument: 'id' });
  const places = await ctx.access.provisioning();
  if (wanted.organizationGroupId !== undefined) knownGroup(places, wanted.organizationGroupId, 'input.organizationGroupId');
  requireProvision(places, [record.organizationGroupId, wanted.organizationGroupId ?? record.organizationGroupId]);
  const diff = diffUser(record, wanted, sendPassword);
  if (diff.changed.length === 0) return { user: userModel(record), changedFields: [] };
  if (Object.keys(diff.changes).length > 0) await ctx.uem.updateUser(id, diff.changes);
  if (diff.active === true) await ctx.uem.activateUser(id);
  if (diff.active === false) await ctx.uem.deactivateUser(id);
  forgetUem(ctx, USER_CACHE_KEYS);
  return { user: userModel(await reread(ctx, id)), changedFields: diff.changed };
}

export function updateUemUser(ctx: GraphQLContext, id: string, input: UpdateUemUserInput): Promise<UserPayload> {
  return withAudit(ctx, { field: 'updateUemUser', targets: [{ type: 'UemUser', id: id.slice(0, 40) }], variables: auditVariables({ id, input }) }, async () => {
    const userId = userIdArgument(id);
    const wanted = parseUserFields(input, 'input');
    const payload = await applyChanges(ctx, userId, wanted, true);
    return { result: payload, outcome: 'SUCCESS', details: { changedFields: payload.changedFields } };
  });
}

export function setUemUserStatus(ctx: GraphQLContext, id: string, status: UemUserStatus): Promise<UserPayload> {
  return withAudit(ctx, { field: 'setUemUserStatus', targets: [{ type: 'UemUser', id: id.slice(0, 40) }], variables: { id, status } }, async () => {
    const payload = await applyChanges(ctx, userIdArgument(id), { active: status === 'ACTIVE' }, false);
    return { result: payload, outcome: 'SUCCESS', details: { changedFields: payload.changedFields } };
  });
}
