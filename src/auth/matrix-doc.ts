/**
 * The permission matrix as Markdown, generated from the capability table (and, for the personas'
 * grid, from the demo organization's roles): README.md prints it between markers and
 * `npm run codegen:check` fails when the README is stale.
 */
import { capabilities, holds, type Capability, type CapabilityName } from './capabilities.js';
import { harmonyPrincipal, type AccessDirectory } from './principal.js';

export interface DemoOrgForDocs {
  environments: readonly { envId: string; envName: string }[];
  roles: readonly { roleId: string; name: string; permissions: readonly string[]; active: boolean; access: Partial<Record<string, readonly string[]>> }[];
  personas: readonly { email: string; roles: Record<string, boolean> }[];
}

export function matrixMarkdown(org: DemoOrgForDocs): string {
  const rows = Object.entries(capabilities as Record<string, Capability>).map(
    ([name, c]) => `| \`${name}\` | ${c.what} | ${c.who} | ${c.scope === 'environment' ? 'per environment' : 'global'} |`,
  );
  const names = Object.keys(capabilities) as CapabilityName[];
  const grid = personaGrid(org).map((row) => `| ${row.email.split('@')[0]} | ${names.map((n) => row.cells[n]).join(' | ')} |`);
  return [
    '| capability | allows | who holds it | scope |',
    '|---|---|---|---|',
    ...rows,
    '',
    'The demo personas against every capability (computed from the same table and the demo roles;',
    'external partners hold only `viewer` and `runPartnerDocuments` for their API groups and APIs):',
    '',
    `| persona | ${names.map((n) => `\`${n}\``).join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...grid,
  ].join('\n');
}

/** One persona's cell per capability: `yes`/`–` (global), `all`, or the environments' names joined. */
export interface PersonaGridRow {
  email: string;
  cells: Record<CapabilityName, string>;
}

/** The personas' grid, computed from the capability table and the demo roles (the README prints it). */
export function personaGrid(org: DemoOrgForDocs): PersonaGridRow[] {
  const envId = new Map(org.environments.map((e) => [e.envName, e.envId]));
  const directory: AccessDirectory = {
    environments: org.environments.map((e) => ({ id: e.envId, name: e.envName })),
    roles: org.roles,
    access: org.roles.flatMap((r) =>
      Object.entries(r.access).map(([env, levels]) => ({ roleId: r.roleId, envId: envId.get(env) ?? env, levels: levels ?? [] })),
    ),
    users: org.personas.map((p) => ({
      email: p.email,
      roles: Object.entries(p.roles).map(([name, active]) => ({ roleId: org.roles.find((r) => r.name === name)?.roleId ?? name, active })),
    })),
    subscriptionExpired: false,
  };
  const names = Object.keys(capabilities) as CapabilityName[];
  return org.personas.map((p) => {
    const principal = harmonyPrincipal(directory, p.email);
    const cell = (name: CapabilityName): string => {
      if (!principal) return '–';
      const c = capabilities[name] as Capability;
      if (c.scope === 'global') return holds(principal, name) ? 'yes' : '–';
      if (principal.isAdmin && holds(principal, name)) return 'all';
      const envs = org.environments.filter((e) => holds(principal, name, e.envId)).map((e) => e.envName);
      return envs.length > 0 ? envs.join(', ') : '–';
    };
    return { email: p.email, cells: Object.fromEntries(names.map((n) => [n, cell(n)])) as Record<CapabilityName, string> };
  });
}
