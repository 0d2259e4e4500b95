/**
 * The one table the persona suite derives every expectation from: persona → capability → where it
 * holds. It mirrors the README's generated grid cell for cell (`matrix.table.test.ts` compares it
 * with `personaGrid`, computed from `src/auth/capabilities.ts` and the demo roles), so a change to
 * the capability table that is not reflected here fails loudly instead of silently moving the
 * expectations with it.
 *
 * A global capability is `true`/`false`; an environment-scoped one lists the environments where
 * it holds (`ALL` for an admin, who holds it everywhere).
 */
import type { CapabilityName } from '../../src/auth/capabilities.js';

export const ENVIRONMENTS = ['Production', 'Sandbox', 'Development'] as const;
export type Env = (typeof ENVIRONMENTS)[number];
export type Cell = boolean | readonly Env[];

/** UEM organization group of each environment in the demo ENV_MAP. */
export const GROUP_OF: Record<Env, number> = { Production: 571, Sandbox: 572, Development: 573 };

export const ADA = 'ada.admin@demo.example';
export const RITA = 'rita.reader@demo.example';
export const OMAR = 'omar.operator@demo.example';
export const LENA = 'lena.logs@demo.example';
const IAN = 'ian.inactive@demo.example';
const DORA = 'dora.deactivated@demo.example';
const AGNES = 'agnes.agent@demo.example';
const CARL = 'carl.consumer@demo.example';

export const PAT = 'pat.partner@partner.example';
const SAM = 'sam.suspended@partner.example';
const EVE = 'eve.expired@partner.example';
const REX = 'rex.requested@partner.example';

const ALL: readonly Env[] = ENVIRONMENTS;
const NONE: readonly Env[] = [];

/** The README grid (`npm run codegen` prints it between the matrix markers). */
export const MATRIX: Record<string, Record<CapabilityName, Cell>> = {
  [ADA]: {
    viewer: true, readInventory: ALL, readSensitiveIdentifiers: true, sendNonDestructiveCommand: ALL, sendStateChangingCommand: ALL,
    wipeDevice: true, provisionUemUsers: ALL, deployApps: ALL, readHarmony: true, writeHarmony: true, runPartnerDocuments: ALL, sendFreeText: true, administerGateway: true,
  },
  [RITA]: {
    viewer: true, readInventory: ['Production'], readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: false, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: true, administerGateway: false,
  },
  [OMAR]: {
    viewer: true, readInventory: ['Production', 'Sandbox'], readSensitiveIdentifiers: false, sendNonDestructiveCommand: ['Production', 'Sandbox'],
    sendStateChangingCommand: ['Sandbox'], wipeDevice: false, provisionUemUsers: ['Sandbox'], deployApps: ['Sandbox'], readHarmony: true, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: true,
    administerGateway: false,
  },
  [LENA]: {
    viewer: true, readInventory: NONE, readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: true, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: true, administerGateway: false,
  },
  [IAN]: {
    viewer: true, readInventory: NONE, readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: false, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: false, administerGateway: false,
  },
  [DORA]: {
    viewer: true, readInventory: NONE, readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: false, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: false, administerGateway: false,
  },
  [AGNES]: {
    viewer: true, readInventory: NONE, readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: false, writeHarmony: false, runPartnerDocuments: NONE, sendFreeText: false, administerGateway: false,
  },
  [CARL]: {
    viewer: true, readInventory: NONE, readSensitiveIdentifiers: false, sendNonDestructiveCommand: NONE, sendStateChangingCommand: NONE,
    wipeDevice: false, provisionUemUsers: NONE, deployApps: NONE, readHarmony: false, writeHarmony: false, runPartnerDocuments: ['Production'], sendFreeText: false, administerGateway: false,
  },
};

export const HARMONY_PERSONAS = Object.keys(MATRIX);

/** External users' keys: who may call at all, and the reason the others are refused (401). */
export const PARTNERS: Record<string, { refused?: string; partnerEnvironments: readonly Env[] }> = {
  [PAT]: { partnerEnvironments: ['Production'] },
  [SAM]: { refused: 'user_not_active', partnerEnvironments: NONE },
  [EVE]: { refused: 'access_expired', partnerEnvironments: NONE },
  [REX]: { refused: 'user_not_active', partnerEnvironments: NONE },
};

/** Whether `persona` holds `capability` (in `env`, for an environment-scoped one). */
export function allows(persona: string, capability: CapabilityName, env?: Env): boolean {
  const cell = MATRIX[persona]?.[capability];
  if (cell === undefined) throw new Error(`no cell for ${persona} × ${capability}`);
  if (typeof cell === 'boolean') return cell;
  return env === undefined ? cell.length > 0 : cell.includes(env);
}

/** The environments where an environment-scoped cell holds. */
export function envsOf(persona: string, capability: CapabilityName): readonly Env[] {
  const cell = MATRIX[persona]?.[capability];
  if (cell === undefined || typeof cell === 'boolean') throw new Error(`${capability} is not scoped per environment`);
  return cell;
}

