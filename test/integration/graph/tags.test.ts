/**
 * Tags you can find and create (issue 18, job 1), through the gateway against the UEM simulator:
 * `tags` / `tag` with row-scoped device counts, `createTag`, tag mutations by name, and
 * `updateDeviceTags` ("add these, remove those") with per-device results, idempotency included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/idempotency/fingerprint.js';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { asPersona } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ IDEMPOTENCY_WAIT_SECONDS: '120' });
});
afterAll(async () => {
  await gw?.close();
});

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';
const OMAR = 'omar.operator@demo.example';
const PRODUCTION = 571;
const SANDBOX = 572;

const uem = () => gw.app.simulators.uem!;
const route = (name: string) => uem().stats().byRoute[name] ?? 0;
const tagNamed = (name: string) => [...uem().state.tags.values()].find((t) => t.name === name)!;
/** Enrolled devices of a group that no other test of this file uses. */
const used = new Set<number>();
function devicesOf(group: number, count: number): string[] {
  const found = [...uem().state.devices.values()].filter((d) => d.locationGroupId === group && d.enrollmentStatus === 'Enrolled' && !used.has(d.id)).slice(0, count);
  for (const d of found) used.add(d.id);
  return found.map((d) => String(d.id));
}
const tagsOfDevice = (id: string) =>
  [...uem().state.tags.values()]
    .filter((t) => t.members.has(Number(id)))
    .sort((a, b) => a.id - b.id)
    .map((t) => t.name);

const TAGS = `query Tags($search: String, $first: Int, $after: String) {
  tags(search: $search, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id name type deviceCount organizationGroup { id } } }
}`;
type TagNode = { id: string; name: string; type: string; deviceCount: number; organizationGroup: { id: string } | null };
type TagsData = { tags: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: TagNode[] } };

describe('tags and tag', () => {
  it('lists tags in id order, searches by name, and pages', async () => {
    const all = expectData(await gw.gql<TagsData>(TAGS, { as: ADA }), TAGS).tags;
    const simTags = [...uem().state.tags.values()].sort((a, b) => a.id - b.id);
    expect(all.nodes.map((t) => t.name)).toEqual(simTags.map((t) => t.name));
    expect(all.nodes[0]).toMatchObject({ id: String(simTags[0]!.id), type: 'Device', organizationGroup: { id: String(simTags[0]!.locationGroupId) } });
    const sales = expectData(await gw.gql<TagsData>(TAGS, { as: RITA, variables: { search: ' SALES ' } })).tags;
    expect(sales.nodes.map((t) => t.name)).toEqual(['Field Sales']);
    const page1 = expectData(await gw.gql<TagsData>(TAGS, { as: ADA, variables: { first: 3 } })).tags;
    const page2 = expectData(await gw.gql<TagsData>(TAGS, { as: ADA, variables: { first: 3, after: page1.pageInfo.endCursor } })).tags;
    expect([...page1.nodes, ...page2.nodes].map((t) => t.id)).toEqual(all.nodes.slice(0, 6).map((t) => t.id));
    expect(page1.pageInfo.hasNextPage).toBe(true);
  });

  it('counts only the devices the caller may read', async () => {
    const fieldSales = tagNamed('Field Sales');
    const members = [...fieldSales.members.keys()].map((id) => uem().state.devices.get(id)!);
    const inProduction = members.filter((d) => d.locationGroupId === PRODUCTION).length;
    expect(inProduction).toBeGreaterThan(0);
    expect(inProduction).toBeLessThan(members.length);
    const asAda = expectData(await gw.gql<TagsData>(TAGS, { as: ADA, variables: { search: 'Field Sales' } })).tags.nodes[0]!;
    const asRita = expectData(await gw.gql<TagsData>(TAGS, { as: RITA, variables: { search: 'Field Sales' } })).tags.nodes[0]!;
    expect(asAda.deviceCount).toBe(members.length);
    expect(asRita.deviceCount).toBe(inProduction);
  });

  it('reads one tag by id, a tag created since the list was cached included; null for none', async () => {
    const Q = 'query One($id: ID!) { tag(id: $id) { id name organizationGroup { id } deviceCount } }';
    const kiosk = tagNamed('Kiosk');
    expect(expectData(await gw.gql<{ tag: unknown }>(Q, { as: RITA, variables: { id: String(kiosk.id) } })).tag).toMatchObject({ id: String(kiosk.id), name: 'Kiosk' });
    await gw.gql(TAGS, { as: ADA }); // the list is cached now
    const fresh = uem().state.addTag({ uuid: 'fresh-uuid', name: 'Made In The Console', tagType: 'Device', locationGroupId: SANDBOX });
    expect(expectData(await gw.gql<{ tag: unknown }>(Q, { as: ADA, variables: { id: String(fresh.id) } })).tag).toEqual({
      id: String(fresh.id),
      name: 'Made In The Console',
      organizationGroup: { id: String(SANDBOX) },
      deviceCount: 0,
    });
    const none = await gw.gql<{ tag: unknown }>(Q, { as: ADA, variables: { id: '987654' } });
    expect(none.body).toEqual({ data: { tag: null } });
  });

  it('is refused to a principal who reads no inventory', async () => {
    // AGENT_INSTALL alone sends no free text: through a registered document, the field is refused.
    expect(errorCodes(await asPersona(gw, 'agnes.agent@demo.example', TAGS))).toEqual(['FORBIDDEN']);
  });
});

const CREATE = `mutation Create($name: String!, $group: ID, $key: String) {
  createTag(name: $name, organizationGroupId: $group, idempotencyKey: $key) { created replayed interrupted tag { id name type organizationGroup { id } deviceCount } }
}`;
type CreateData = { createTag: { created: boolean; replayed: boolean; interrupted: boolean; tag: { id: string; name: string; type: string; organizationGroup: { id: string }; deviceCount: number } } };

describe('createTag', () => {
  it('creates a tag where the caller has WRITE, then answers the same tag without creating another', async () => {
    const before = route('POST /API/mdm/tags/addtag');
    const first = expectData(await gw.gql<CreateData>(CREATE, { as: OMAR, variables: { name: '  Sandbox Pilot ', group: String(SANDBOX) } }), CREATE).createTag;
    expect(first).toMatchObject({ created: true, replayed: false, tag: { name: 'Sandbox Pilot', type: 'Device', organizationGroup: { id: String(SANDBOX) }, deviceCount: 0 } });
    expect(uem().state.tags.get(Number(first.tag.id))).toMatchObject({ name: 'Sandbox Pilot', locationGroupId: SANDBOX });
    const again = expectData(await gw.gql<CreateData>(CREATE, { as: OMAR, variables: { name: 'sandbox pilot', group: String(SANDBOX) } })).createTag;
    expect(again).toMatchObject({ created: false, tag: { id: first.tag.id } });
    expect(route('POST /API/mdm/tags/addtag')).toBe(before + 1);
    // The new tag is listed at once (the cached list was dropped).
    const listed = expectData(await gw.gql<TagsData>(TAGS, { as: OMAR, variables: { search: 'sandbox pilot' } })).tags.nodes;
    expect(listed.map((t) => t.id)).toEqual([first.tag.id]);
  });

  it('is refused without WRITE in the group’s environment, and at the top group to non-admins', async () => {
    const before = route('POST /API/mdm/tags/addtag');
    for (const [as, group] of [[OMAR, String(PRODUCTION)], [RITA, String(PRODUCTION)], [OMAR, null]] as const) {
      const result = await gw.gql(CREATE, { as, variables: { name: 'Not Allowed', group } });
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.body.errors?.[0]?.message).not.toMatch(/Production|Sandbox|Development/);
    }
    expect(route('POST /API/mdm/tags/addtag')).toBe(before);
    const top = expectData(await gw.gql<CreateData>(CREATE, { as: ADA, variables: { name: 'Tenant Wide' } })).createTag;
    expect(top.tag.organizationGroup.id).toBe(String([...uem().state.orgGroups.values()].find((g) => g.parentId === null)!.id));
  });

  it('refuses bad names and unknown groups', async () => {
    for (const variables of [{ name: ' ' }, { name: 'x'.repeat(51) }, { name: '2025' }, { name: 'Fine', group: '4242' }]) {
      expect(errorCodes(await gw.gql(CREATE, { as: ADA, variables }))).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('replays under an idempotency key', async () => {
    const before = route('POST /API/mdm/tags/addtag');
    const variables = { name: 'Keyed Tag', group: String(SANDBOX), key: 'create-keyed' };
    const answers = await Promise.all([1, 2, 3].map(() => gw.gql<CreateData>(CREATE, { as: ADA, variables })));
    const payloads = answers.map((a) => expectData(a).createTag);
    expect(new Set(payloads.map((p) => p.tag.id)).size).toBe(1);
    expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
    expect(payloads.every((p) => p.created)).toBe(true);
    expect(route('POST /API/mdm/tags/addtag')).toBe(before + 1);
    const reused = await gw.gql(CREATE, { as: ADA, variables: { ...variables, name: 'Another Name' } });
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});

const ADD_BY_NAME = `mutation Add($tag: String, $tagId: ID, $ids: [ID!]!) {
  addDevicesToTag(tag: $tag, tagId: $tagId, deviceIds: $ids) { tag { id name } results { deviceId status errorCode } }
}`;

describe('tag mutations by name', () => {
  it('tags devices by the tag’s name, case-insensitive', async () => {
    const ids = devicesOf(SANDBOX, 2);
    const data = expectData(await gw.gql<{ addDevicesToTag: { tag: { id: string; name: string }; results: { status: string }[] } }>(ADD_BY_NAME, { as: OMAR, variables: { tag: ' loaner ', ids } }), ADD_BY_NAME);
    expect(data.addDevicesToTag.tag.name).toBe('Loaner');
    expect(data.addDevicesToTag.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
    for (const id of ids) expect(tagNamed('Loaner').members.has(Number(id))).toBe(true);
  });

  it('needs exactly one of tagId and tag, and a name that exists', async () => {
    const ids = devicesOf(SANDBOX, 1);
    expect(errorCodes(await gw.gql(ADD_BY_NAME, { as: ADA, variables: { tag: 'Loaner', tagId: '11', ids } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gw.gql(ADD_BY_NAME, { as: ADA, variables: { ids } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gw.gql(ADD_BY_NAME, { as: ADA, variables: { tag: 'No Such Tag', ids } }))).toEqual(['NOT_FOUND']);
  });

  it('asks for an id when several groups have a tag of that name', async () => {
    uem().state.addTag({ uuid: 'twin-1', name: 'Twin', tagType: 'Device', locationGroupId: PRODUCTION });
    uem().state.addTag({ uuid: 'twin-2', name: 'twin', tagType: 'Device', locationGroupId: SANDBOX });
    await gw.gql(CREATE, { as: ADA, variables: { name: 'Cache Dropper', group: String(SANDBOX) } }); // drops the cached list
    const result = await gw.gql(ADD_BY_NAME, { as: ADA, variables: { tag: 'TWIN', ids: devicesOf(SANDBOX, 1) } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.errors?.[0]?.message).toMatch(/Several tags are named "TWIN" \(ids \d+, \d+\)/);
  });

  it('filters devices by a name several groups share: the devices of every tag of that name', async () => {
    const twins = [...uem().state.tags.values()].filter((t) => t.name.toLowerCase() === 'twin').sort((a, b) => a.id - b.id);
    expect(twins).toHaveLength(2); // made by the test above
    const [inProduction] = devicesOf(PRODUCTION, 1);
    const [inSandbox] = devicesOf(SANDBOX, 1);
    for (const [tag, id] of [[twins[0]!, inProduction!], [twins[1]!, inSandbox!]] as const) {
      expectData(await gw.gql(ADD_BY_NAME, { as: ADA, variables: { tagId: String(tag.id), ids: [id] } }), ADD_BY_NAME);
    }
    const Q = 'query ($tag: String) { devices(filter: { tag: $tag }, first: 50) { nodes { id } } }';
    const ids = (tag: string) => gw.gql<{ devices: { nodes: { id: string }[] } }>(Q, { as: ADA, variables: { tag } }).then((r) => expectData(r, Q).devices.nodes.map((n) => n.id).sort());
    expect(await ids(' TWIN ')).toEqual([inProduction, inSandbox].sort());
    // An id still names one tag.
    expect(await ids(String(twins[1]!.id))).toEqual([inSandbox]);
  });
});

const UPDATE = `mutation Update($ids: [ID!]!, $add: [String!], $remove: [String!], $key: String) {
  updateDeviceTags(deviceIds: $ids, add: $add, remove: $remove, idempotencyKey: $key) {
    added { name } removed { name } replayed interrupted
    results { deviceId status errorCode message previousTags updatedTags }
  }
}`;
type DeviceTags = { deviceId: string; status: string; errorCode: string | null; message: string | null; previousTags: string[] | null; updatedTags: string[] | null };
type UpdateData = { updateDeviceTags: { added: { name: string }[]; removed: { name: string }[]; replayed: boolean; interrupted: boolean; results: DeviceTags[] } };

describe('updateDeviceTags', () => {
  it('adds and removes tags in one call with each device’s tags before and after', async () => {
    const [sandboxA, sandboxB] = devicesOf(SANDBOX, 2) as [string, string];
    const [production] = devicesOf(PRODUCTION, 1) as [string];
    const pilot = tagNamed('Pilot Ring');
    pilot.members.set(Number(sandboxA), Date.now());
    pilot.members.set(Number(production), Date.now());
    const before = { a: tagsOfDevice(sandboxA), b: tagsOfDevice(sandboxB) };
    const variables = { ids: [sandboxA, sandboxB, production, '999999999'], add: ['BulkManaged', 'APIControlled'], remove: ['pilot ring'] };
    for (const name of variables.add) expectData(await gw.gql(CREATE, { as: ADA, variables: { name, group: String(SANDBOX) } }));

    const data = expectData(await gw.gql<UpdateData>(UPDATE, { as: OMAR, variables }), UPDATE).updateDeviceTags;
    expect(data.added.map((t) => t.name)).toEqual(['BulkManaged', 'APIControlled']);
    expect(data.removed.map((t) => t.name)).toEqual(['Pilot Ring']);
    const [a, b, prod, unknown] = data.results as [DeviceTags, DeviceTags, DeviceTags, DeviceTags];
    expect(a).toMatchObject({ deviceId: sandboxA, status: 'ACCEPTED', errorCode: null, previousTags: before.a });
    expect(a.updatedTags).toEqual([...before.a.filter((n) => n !== 'Pilot Ring'), 'BulkManaged', 'APIControlled']);
    expect(b.previousTags).toEqual(before.b);
    // The answer agrees with UEM afterwards (same names; UEM lists them in tag id order).
    for (const r of [a, b]) expect([...r.updatedTags!].sort()).toEqual([...tagsOfDevice(r.deviceId)].sort());
    // Omar has no WRITE in Production: refused, its tags neither changed nor shown.
    expect(prod).toMatchObject({ status: 'SKIPPED', errorCode: 'FORBIDDEN', previousTags: null, updatedTags: null });
    expect(pilot.members.has(Number(production))).toBe(true);
    expect(unknown).toMatchObject({ status: 'FAILED', errorCode: 'NOT_FOUND', previousTags: null });
    // One audit row: the call's tags and devices, PARTIAL, each device's result in the details.
    const rows = await gw.app.services.db.selectFrom('audit_events').selectAll().where('field', '=', 'updateDeviceTags').where('principal_email', '=', OMAR).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'PARTIAL' });
    expect((rows[0]!.details as { results: DeviceTags[] }).results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'SKIPPED', 'FAILED']);
  });

  it('reads its own writes: later fields and mutations of one document see the tag created and the device tagged', async () => {
    const [id] = devicesOf(SANDBOX, 1) as [string];
    const before = tagsOfDevice(id);
    const DOC = `mutation ReadsItsWrites($ids: [ID!]!, $name: String!, $group: ID) {
      created: createTag(name: $name, organizationGroupId: $group) { created tag { name } }
      added: updateDeviceTags(deviceIds: $ids, add: [$name]) { added { name deviceCount } results { status previousTags updatedTags } }
      removed: updateDeviceTags(deviceIds: $ids, remove: [$name]) { removed { name deviceCount } results { status previousTags updatedTags } }
    }`;
    type Change = { results: { status: string; previousTags: string[]; updatedTags: string[] }[] };
    type Data = { created: { created: boolean }; added: Change & { added: { deviceCount: number }[] }; removed: Change & { removed: { deviceCount: number }[] } };
    const data = expectData(await gw.gql<Data>(DOC, { as: OMAR, variables: { ids: [id], name: 'Read Back', group: String(SANDBOX) } }), DOC);
    expect(data.created.created).toBe(true);
    // Each write renews the request's loaders: the device count and the tags before the removal
    // are read after the add, not from the copies the request read before it.
    expect(data.added.added).toEqual([{ name: 'Read Back', deviceCount: 1 }]);
    expect(data.added.results).toEqual([{ status: 'ACCEPTED', previousTags: before, updatedTags: [...before, 'Read Back'] }]);
    expect(data.removed.results).toEqual([{ status: 'ACCEPTED', previousTags: [...before, 'Read Back'], updatedTags: before }]);
    expect(data.removed.removed).toEqual([{ name: 'Read Back', deviceCount: 0 }]);
    expect(tagsOfDevice(id)).toEqual(before);
  });

  it('reports a change UEM refused in the device’s result, and the tags it did change', async () => {
    const [id] = devicesOf(SANDBOX, 1) as [string];
    tagNamed('Lost Mode').members.set(Number(id), Date.now());
    const previous = tagsOfDevice(id);
    uem().setFaults({ errorRate: 1, errorStatus: 400, routes: ['POST /API/mdm/tags/{id}/adddevices'] });
    const data = await gw.gql<UpdateData>(UPDATE, { as: ADA, variables: { ids: [id], add: ['Finance'], remove: ['Lost Mode'] } }).finally(() => uem().clearFaults());
    const [result] = expectData(data).updateDeviceTags.results as [DeviceTags];
    expect(result).toMatchObject({ deviceId: id, status: 'FAILED', previousTags: previous });
    expect(result.message).toMatch(/^Not added to "Finance": /);
    expect(result.updatedTags).toEqual(previous.filter((n) => n !== 'Lost Mode'));
    expect(result.updatedTags).toEqual(tagsOfDevice(id));
  });

  it('refuses a bad input as a whole, before UEM is called', async () => {
    const [id] = devicesOf(SANDBOX, 1) as [string];
    const before = route('POST /API/mdm/tags/{id}/adddevices') + route('POST /API/mdm/tags/{id}/removedevices');
    const cases: [Record<string, unknown>, string][] = [
      [{ ids: [id] }, 'BAD_USER_INPUT'],
      [{ ids: [id], add: ['Finance'], remove: ['finance'] }, 'BAD_USER_INPUT'],
      [{ ids: [id], add: Array.from({ length: 21 }, () => 'Finance') }, 'BAD_USER_INPUT'],
      [{ ids: [id], add: ['Nope Tag'] }, 'NOT_FOUND'],
    ];
    for (const [variables, code] of cases) expect(errorCodes(await gw.gql(UPDATE, { as: ADA, variables }))).toEqual([code]);
    expect(route('POST /API/mdm/tags/{id}/adddevices') + route('POST /API/mdm/tags/{id}/removedevices')).toBe(before);
  });

  it('is refused per device to a reader', async () => {
    const [id] = devicesOf(PRODUCTION, 1) as [string];
    const data = expectData(await gw.gql<UpdateData>(UPDATE, { as: RITA, variables: { ids: [id], add: ['Finance'] } })).updateDeviceTags;
    expect(data.results).toEqual([expect.objectContaining({ deviceId: id, status: 'SKIPPED', errorCode: 'FORBIDDEN', previousTags: null })]);
    expect(tagNamed('Finance').members.has(Number(id))).toBe(false);
  });

  it('sends each change once for concurrent duplicates under one key', async () => {
    const ids = devicesOf(SANDBOX, 2);
    const variables = { ids, add: ['Kiosk'], remove: ['Executive'], key: 'update-once' };
    const before = { add: route('POST /API/mdm/tags/{id}/adddevices'), remove: route('POST /API/mdm/tags/{id}/removedevices') };
    const answers = (await Promise.all([1, 2, 3].map(() => gw.gql<UpdateData>(UPDATE, { as: ADA, variables })))).map((r) => expectData(r).updateDeviceTags);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(route('POST /API/mdm/tags/{id}/adddevices')).toBe(before.add + 1);
    expect(route('POST /API/mdm/tags/{id}/removedevices')).toBe(before.remove + 1);
    expect(answers.map((a) => a.results)).toEqual([answers[0]!.results, answers[0]!.results, answers[0]!.results]);
  });

  it("settles an interrupted update against the tags' members in UEM, sending nothing", async () => {
    const [reached, missed] = devicesOf(SANDBOX, 2) as [string, string];
    const kiosk = tagNamed('Kiosk');
    const warehouse = tagNamed('Warehouse');
    for (const id of [reached, missed]) {
      kiosk.members.delete(Number(id));
      warehouse.members.set(Number(id), Date.now());
    }
    const key = 'update-interrupted';
    const ids = [reached, missed];
    const fp = fingerprint('updateDeviceTags', { deviceIds: [...ids].sort(), add: [kiosk.id], remove: [warehouse.id] });
    const pairs = [`-${warehouse.id}:${reached}`, `-${warehouse.id}:${missed}`, `+${kiosk.id}:${reached}`, `+${kiosk.id}:${missed}`];
    const { idempotency } = gw.app.services.store;
    await idempotency.claimKey({ principalEmail: ADA, key, operation: 'updateDeviceTags', requestHash: fp, targets: pairs, owner: 'dead', leaseSeconds: 30, ttlSeconds: 3600 });
    // The removal went out for both devices and UEM applied it; the addition was being sent when the process died.
    await idempotency.markSending({ principalEmail: ADA, key }, 'dead', pairs.slice(0, 2), 1);
    const accepted = pairs.slice(0, 2).map((target) => ({ target, result: { deviceId: target.split(':')[1]!, status: 'ACCEPTED', errorCode: null, message: null } }));
    await idempotency.recordResults({ principalEmail: ADA, key }, 'dead', accepted);
    await idempotency.markSending({ principalEmail: ADA, key }, 'dead', pairs.slice(2), 2);
    await idempotency.interruptKey({ principalEmail: ADA, key }, 'dead');
    for (const id of ids) warehouse.members.delete(Number(id));
    kiosk.members.set(Number(reached), Date.now()); // UEM had applied the addition for this one only
    const before = route('POST /API/mdm/tags/{id}/adddevices') + route('POST /API/mdm/tags/{id}/removedevices');

    const data = expectData(await gw.gql<UpdateData>(UPDATE, { as: ADA, variables: { ids, add: ['Kiosk'], remove: ['Warehouse'], key } })).updateDeviceTags;
    expect(data).toMatchObject({ replayed: true, interrupted: true });
    expect(data.results.map((r) => [r.deviceId, r.status, r.errorCode])).toEqual([
      [reached, 'ACCEPTED', null],
      [missed, 'SKIPPED', 'NOT_SENT'],
    ]);
    expect(data.results[0]?.updatedTags).toEqual(tagsOfDevice(reached));
    expect(data.results[1]?.message).toMatch(/Not added to "Kiosk": UEM shows the device not tagged/);
    expect(route('POST /API/mdm/tags/{id}/adddevices') + route('POST /API/mdm/tags/{id}/removedevices')).toBe(before);
    expect(kiosk.members.has(Number(missed))).toBe(false);
  });
});
