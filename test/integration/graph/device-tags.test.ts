import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const ADD = `mutation Add($tagId: ID!, $ids: [ID!]!) {
  addDevicesToTag(tagId: $tagId, deviceIds: $ids) { tag { id } results { deviceId status errorCode } }
}`;
const REMOVE = `mutation Remove($tagId: ID!, $ids: [ID!]!) {
  removeDevicesFromTag(tagId: $tagId, deviceIds: $ids) { results { deviceId status errorCode } }
}`;
type Results = { results: { deviceId: string; status: string; errorCode: string | null }[] };

const untagged = (tagId: number, group: number, count: number) => {
  const tag = gw.app.simulators.uem!.state.tags.get(tagId)!;
  return [...gw.app.simulators.uem!.state.devices.values()]
    .filter((d) => d.locationGroupId === group && !tag.members.has(d.id) && d.enrollmentStatus === 'Enrolled')
    .slice(0, count)
    .map((d) => String(d.id));
};

describe('tag mutations', () => {
  it('tags and untags devices with per-device results, and reads show it', async () => {
    const tagId = [...gw.app.simulators.uem!.state.tags.keys()][0]!;
    const ids = untagged(tagId, 572, 3);
    const added = expectData(await gw.gql<{ addDevicesToTag: Results }>(ADD, { as: 'ada.admin@demo.example', variables: { tagId: String(tagId), ids } }), ADD);
    expect(added.addDevicesToTag.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
    for (const id of ids) expect(gw.app.simulators.uem!.state.tags.get(tagId)!.members.has(Number(id))).toBe(true);
    const removed = expectData(await gw.gql<{ removeDevicesFromTag: Results }>(REMOVE, { as: 'ada.admin@demo.example', variables: { tagId: String(tagId), ids: ids.slice(0, 1) } }));
    expect(removed.removeDevicesFromTag.results).toEqual([{ deviceId: ids[0], status: 'ACCEPTED', errorCode: null }]);
    expect(gw.app.simulators.uem!.state.tags.get(tagId)!.members.has(Number(ids[0]))).toBe(false);
  });

  it('needs WRITE in each device’s environment', async () => {
    const tagId = [...gw.app.simulators.uem!.state.tags.keys()][1]!;
    const prod = untagged(tagId, 571, 1);
    const sandbox = untagged(tagId, 572, 1);
    const data = expectData(await gw.gql<{ addDevicesToTag: Results }>(ADD, { as: 'omar.operator@demo.example', variables: { tagId: String(tagId), ids: [...prod, ...sandbox] } }));
    expect(data.addDevicesToTag.results.map((r) => [r.status, r.errorCode])).toEqual([
      ['SKIPPED', 'FORBIDDEN'],
      ['ACCEPTED', null],
    ]);
  });

  it('answers NOT_FOUND for an unknown tag without touching the upstream', async () => {
    gw.app.simulators.uem!.resetStats();
    const result = await gw.gql(ADD, { as: 'ada.admin@demo.example', variables: { tagId: '987654', ids: ['101'] } });
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(Object.keys(gw.app.simulators.uem!.stats().byRoute).some((r) => r.includes('adddevices'))).toBe(false);
  });
});
