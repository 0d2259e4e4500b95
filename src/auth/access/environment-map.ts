/**
 * Every UEM organization group maps to one Harmony environment (ENV_MAP, docs/design.md §3); groups not
 * named fall to the `*` entry, or to no environment (only ADMIN sees their devices). This is what
 * lets Harmony's environment access govern UEM data.
 */
import type { EnvironmentRef } from '../principal.js';

export class EnvironmentMap {
  private readonly byGroup: Map<string, string>;
  private readonly fallback: string | undefined;

  /** `envMap`: organization group name → environment name (case-insensitive on both sides). */
  constructor(envMap: Record<string, string>) {
    this.byGroup = new Map(
      Object.entries(envMap)
        .filter(([group]) => group !== '*')
        .map(([group, env]) => [group.toLowerCase(), env.toLowerCase()]),
    );
    this.fallback = envMap['*']?.toLowerCase();
  }

  /** The environment name a group maps to (lower case), or undefined. */
  environmentNameOf(groupName: string | null | undefined): string | undefined {
    if (!groupName) return this.fallback;
    return this.byGroup.get(groupName.toLowerCase()) ?? this.fallback;
  }

  /** The environment of a group, among the organization's environments. */
  environmentOf(groupName: string | null | undefined, environments: readonly EnvironmentRef[]): EnvironmentRef | null {
    const name = this.environmentNameOf(groupName);
    if (name === undefined) return null;
    return environments.find((e) => e.name.toLowerCase() === name) ?? null;
  }

  /** Group names mapped to an environment (for pushing an environment filter into UEM). */
  groupsOf(environmentName: string): string[] {
    const wanted = environmentName.toLowerCase();
    return [...this.byGroup.entries()].filter(([, env]) => env === wanted).map(([group]) => group);
  }

  /** Whether unmapped groups fall to this environment. */
  isFallback(environmentName: string): boolean {
    return this.fallback === environmentName.toLowerCase();
  }
}
