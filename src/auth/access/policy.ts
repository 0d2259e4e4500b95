/**
 * The process-wide half of the access service: ENV_MAP, read once from the configuration. Each
 * request gets its own `Access` from it (`forRequest`, called by the context factory, src/context.ts),
 * bound to that request's principal and loaders.
 */
import type { Principal } from '../principal.js';
import { Access } from './access.js';
import type { AccessLoaders } from './core.js';
import { EnvironmentMap } from './environment-map.js';

export class AccessPolicy {
  private readonly map: EnvironmentMap;

  /** `envMap`: organization group name → environment name (ENV_MAP; case-insensitive on both sides). */
  constructor(envMap: Record<string, string>) {
    this.map = new EnvironmentMap(envMap);
  }

  /** The access service of one request. */
  forRequest(principal: Principal, loaders: AccessLoaders): Access {
    return new Access(principal, loaders, this.map);
  }

  /** Whether a group maps to no environment (no ENV_MAP entry and no `*` default): only ADMIN reads its objects. */
  mapsNowhere(groupName: string | null): boolean {
    return this.map.environmentNameOf(groupName) === undefined;
  }
}
