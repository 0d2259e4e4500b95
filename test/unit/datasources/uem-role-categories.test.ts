/**
 * The gateway's knowledge of UEM's API role categories (src/datasources/uem/uem.role-categories.ts)
 * agrees with the simulator's, route by route: every UEM route the simulator serves needs the
 * category the gateway would name when UEM refuses it, and both name the categories alike.
 */
import { describe, expect, it } from 'vitest';
import { roleCategoryOf, UEM_ROLE_CATEGORIES } from '../../../src/datasources/uem/uem.role-categories.js';
import { registerAppRoutes } from '../../../src/simulators/uem/uem.apps.routes.js';
import { registerCommandRoutes } from '../../../src/simulators/uem/uem.commands.routes.js';
import { DEFAULT_BULK_SETTINGS, type UemRouteContext } from '../../../src/simulators/uem/uem.context.js';
import { registerDeviceRoutes } from '../../../src/simulators/uem/uem.devices.routes.js';
import { registerGroupRoutes } from '../../../src/simulators/uem/uem.groups.routes.js';
import { PERMISSION_LABELS, type PermissionCategory } from '../../../src/simulators/uem/uem.permissions.js';
import type { UemState } from '../../../src/simulators/uem/uem.state.js';
import { registerSystemRoutes } from '../../../src/simulators/uem/uem.system.routes.js';
import { registerTagRoutes } from '../../../src/simulators/uem/uem.tags.routes.js';
import { registerUserRoutes } from '../../../src/simulators/uem/uem.users.routes.js';

/** Every route the simulator registers, with the category it checks. */
function simulatorRoutes(): { route: string; path: string; category: PermissionCategory | null }[] {
  const routes: { route: string; path: string; category: PermissionCategory | null }[] = [];
  const ctx: UemRouteContext = {
    state: {} as UemState,
    bulkSettings: DEFAULT_BULK_SETTINGS,
    route: (method, template, category) => {
      // A concrete path as the gateway sends it: under /API, ids filled in.
      const path = template.replace(/^\/API/, '').replace(/\{[^}]+\}/g, '42');
      routes.push({ route: `${method} ${template}`, path, category });
    },
  };
  for (const register of [registerSystemRoutes, registerDeviceRoutes, registerCommandRoutes, registerGroupRoutes, registerTagRoutes, registerUserRoutes, registerAppRoutes]) {
    register(ctx);
  }
  return routes;
}

describe('UEM role categories', () => {
  it('name the categories as the simulator does', () => {
    expect(UEM_ROLE_CATEGORIES).toEqual(PERMISSION_LABELS);
  });

  it('map every simulator route to the category it checks', () => {
    const routes = simulatorRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const mismatches = routes
      .map(({ route, path, category }) => ({ route, simulator: category ?? undefined, gateway: roleCategoryOf(path) }))
      .filter((r) => r.simulator !== r.gateway);
    expect(mismatches).toEqual([]);
  });

  it('leaves unknown routes unnamed', () => {
    expect(roleCategoryOf('/mdm/profiles/search')).toBeUndefined();
    expect(roleCategoryOf('/system/info')).toBeUndefined();
  });
});
