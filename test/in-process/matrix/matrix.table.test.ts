/**
 * The suite's table is the README's grid (computed from the capability table and the demo roles),
 * and the running gateway agrees with it: every persona's `viewer.can` for every capability, in
 * every environment, is what the table says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities, holds, type CapabilityName } from '../../../src/auth/capabilities.js';
import { resolveExternalPrincipal } from '../../../src/auth/resolve-principal.js';
import { createRequestScope } from '../../../src/context.js';
import { personaGrid } from '../../../src/auth/matrix-doc.js';
import { ENVIRONMENTS as DEMO_ENVIRONMENTS, HARMONY_PERSONAS as DEMO_PERSONAS, ROLES } from '../../../src/simulators/dataset/demo-org.js';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { asPersona } from '../../helpers/matrix.kit.js';
import { allows, ENVIRONMENTS, HARMONY_PERSONAS, MATRIX, PARTNERS, PAT, type Cell, type Env } from '../../helpers/matrix.table.js';

const NAMES = Object.keys(capabilities) as CapabilityName[];
/** readInventory → READ_INVENTORY. */
const enumName = (n: string) => n.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
/** The README spelling of a cell, as environments (global cells as booleans). */
const parse = (text: string, scope: 'global' | 'environment'): Cell =>
  scope === 'global' ? text === 'yes' : text === '–' ? [] : text === 'all' ? ENVIRONMENTS : (text.split(', ') as Env[]);

describe('the persona table', () => {
  it('covers every persona of docs/interfaces.md and every capability of the table', () => {
    expect(HARMONY_PERSONAS.sort()).toEqual(DEMO_PERSONAS.map((p) => p.email).sort());
    for (const persona of HARMONY_PERSONAS) expect(Object.keys(MATRIX[persona]!).sort(), persona).toEqual([...NAMES].sort());
    expect(Object.keys(PARTNERS)).toHaveLength(4);
  });

  it('is the README grid computed from src/auth/capabilities.ts and the demo roles', () => {
    const grid = personaGrid({ environments: DEMO_ENVIRONMENTS, roles: ROLES, personas: DEMO_PERSONAS });
    for (const row of grid) {
      for (const name of NAMES) {
        const computed = parse(row.cells[name], capabilities[name].scope);
        const expected = MATRIX[row.email]![name];
        expect(typeof expected === 'boolean' ? expected : [...expected].sort(), `${row.email} × ${name}`).toEqual(
          typeof computed === 'boolean' ? computed : [...computed].sort(),
        );
      }
    }
  });
});

describe('viewer.can on the running gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await demoGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** One alias per capability (global) or capability × environment (scoped). */
  const cells = NAMES.flatMap((name): { alias: string; name: CapabilityName; env: Env | undefined }[] =>
    capabilities[name].scope === 'global'
      ? [{ alias: name, name, env: undefined }]
      : ENVIRONMENTS.map((env) => ({ alias: `${name}_${env}`, name, env })),
  );
  const CAN = `{ viewer { ${cells.map((c) => `${c.alias}: can(capability: ${enumName(c.name)}${c.env ? `, environment: "${c.env}"` : ''})`).join(' ')} } }`;

  it.each(HARMONY_PERSONAS)('answers the table for %s', async (persona) => {
    const data = expectData(await asPersona<{ viewer: Record<string, boolean> }>(gw, persona, CAN), CAN);
    const expected = Object.fromEntries(cells.map((c) => [c.alias, allows(persona, c.name, c.env)]));
    expect(data.viewer).toEqual(expected);
  });

  // Partners cannot send free text (persisted documents only), so pat's cells are checked on the
  // principal the gateway resolves for pat from Harmony's data, with the same capability table.
  it('resolves pat to viewer and partner documents only, and those only in the API group’s environment', async () => {
    const scope = createRequestScope(gw.app.services, 'matrix');
    const pat = await resolveExternalPrincipal(scope.loaders.harmony, PAT, Date.now());
    if ('refused' in pat) throw new Error(`pat refused: ${pat.refused}`);
    const envId = (env: Env) => pat.environments.find((e) => e.name === env)!.id;
    const partnerEnvs = PARTNERS[PAT]!.partnerEnvironments;
    for (const c of cells) {
      const expected = c.name === 'viewer' || (c.name === 'runPartnerDocuments' && c.env !== undefined && partnerEnvs.includes(c.env));
      expect(holds(pat, c.name, c.env && envId(c.env)), c.alias).toBe(expected);
    }
  });
});
