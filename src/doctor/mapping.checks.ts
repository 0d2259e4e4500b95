/**
 * The organization-group mapping (ENV_MAP): every environment it names exists in Harmony, and every
 * UEM organization group that holds devices (a leaf of the group tree) maps to one.
 */
import type { UemOrganizationGroup } from '../datasources/uem/uem.catalog-schemas.js';
import type { HarmonyEnvironment } from '../datasources/harmony/harmony.schemas.js';
import { AccessPolicy } from '../auth/access/policy.js';
import { fail, pass, type CheckResult } from './check.js';

export function mappingChecks(envMap: Record<string, string>, groups: UemOrganizationGroup[], environments: HarmonyEnvironment[]): CheckResult[] {
  const results: CheckResult[] = [];
  const names = new Set(environments.map((e) => e.envName.toLowerCase()));
  const unknown = [...new Set(Object.values(envMap))].filter((env) => !names.has(env.toLowerCase()));
  results.push(
    unknown.length === 0
      ? pass('mapping', 'ENV_MAP names existing environments', Object.values(envMap).join(', '))
      : fail('mapping', 'ENV_MAP names existing environments', `unknown: ${unknown.join(', ')}`, `Use environment names Harmony has: ${environments.map((e) => e.envName).join(', ')}.`),
  );
  const policy = new AccessPolicy(envMap);
  const parents = new Set(groups.map((g) => g.parentId).filter((id): id is number => id !== null));
  const leaves = groups.filter((g) => !parents.has(g.id));
  const unmapped = leaves.filter((g) => policy.mapsNowhere(g.name)).map((g) => g.name ?? String(g.id));
  results.push(
    unmapped.length === 0
      ? pass('mapping', 'every organization group maps to an environment', `${leaves.length} groups`)
      : fail('mapping', 'every organization group maps to an environment', `unmapped: ${unmapped.join(', ')}`, 'Add them to ENV_MAP ("Group=Environment;…"), or a "*=Environment" default; until then only ADMIN sees their devices.'),
  );
  return results;
}
