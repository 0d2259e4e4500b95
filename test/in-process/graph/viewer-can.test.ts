import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { capabilities } from '../../../src/auth/capabilities.js';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { asPersona } from '../../helpers/matrix.kit.js';
import type { GraphQLEnumType } from 'graphql';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const CAN = `query Can($env: String) {
  viewer {
    inventory: can(capability: READ_INVENTORY, environment: $env)
    lock: can(capability: SEND_STATE_CHANGING_COMMAND, environment: $env)
    wipe: can(capability: WIPE_DEVICE)
    harmony: can(capability: READ_HARMONY)
    anyInventory: can(capability: READ_INVENTORY)
  }
}`;

describe('viewer.can', () => {
  it('lists exactly the capabilities of the table', () => {
    const values = (buildSchema().getType('Capability') as GraphQLEnumType).getValues().map((v) => v.name);
    const names = Object.keys(capabilities).map((n) => n.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase());
    expect(values.sort()).toEqual(names.sort());
  });

  it('answers per environment, by name or id', async () => {
    const omarProd = expectData(await gw.gql<{ viewer: Record<string, boolean> }>(CAN, { as: 'omar.operator@demo.example', variables: { env: 'production' } }));
    expect(omarProd.viewer).toEqual({ inventory: true, lock: false, wipe: false, harmony: true, anyInventory: true });
    const sandboxId = [...gw.app.simulators.harmony!.state.environments.values()].find((e) => e.envName === 'Sandbox')!.envId;
    const omarSandbox = expectData(await gw.gql<{ viewer: Record<string, boolean> }>(CAN, { as: 'omar.operator@demo.example', variables: { env: sandboxId } }));
    expect(omarSandbox.viewer.lock).toBe(true);
    // AGENT_INSTALL alone: no free text, so through a trusted document.
    const agnes = expectData(await asPersona<{ viewer: Record<string, boolean> }>(gw, 'agnes.agent@demo.example', CAN, { env: 'Production' }));
    expect(agnes.viewer).toEqual({ inventory: false, lock: false, wipe: false, harmony: false, anyInventory: false });
    const ada = expectData(await gw.gql<{ viewer: Record<string, boolean> }>(CAN, { as: 'ada.admin@demo.example', variables: { env: 'Development' } }));
    expect(Object.values(ada.viewer).every(Boolean)).toBe(true);
  });
});
