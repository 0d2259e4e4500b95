/**
 * Read-only organization routes (defined here, docs/upstreams/harmony.md): the org, its environments,
 * its API groups and its published APIs.
 */
import type { Router } from '../common/router.js';
import { authenticate, type HarmonyContext } from './harmony.context.js';
import { ok } from './harmony.envelope.js';
import { HarmonyPaths } from './harmony.paths.js';

export function registerOrgRoutes(router: Router, ctx: HarmonyContext): void {
  router.get(HarmonyPaths.org, (req) => {
    authenticate(ctx, req);
    const { orgId, orgName, ssoEnabled, subscriptionExpired, tfaRequired } = ctx.state.org;
    return ok({ org: { orgId, orgName, ssoEnabled, subscriptionExpired, tfaRequired } });
  });

  router.get(HarmonyPaths.environments, (req) => {
    authenticate(ctx, req);
    return ok({
      environments: ctx.state.environments.map(({ envId, envName, envDesc, envType }) => ({ envId, envName, envDesc, envType })),
    });
  });

  router.get(HarmonyPaths.apiGroups, (req) => {
    authenticate(ctx, req);
    return ok({
      apiGroups: ctx.state.apiGroups.map((g) => ({ apiGroupId: g.apiGroupId, name: g.name, envId: g.envId, apis: [...g.apis] })),
    });
  });

  router.get(HarmonyPaths.apis, (req) => {
    authenticate(ctx, req);
    return ok({ apis: ctx.state.apis.map(({ apiId, name, envId }) => ({ apiId, name, envId })) });
  });
}
