/**
 * retryFailedInstalls: the UEM API guide's "retry failed installations" as one call. The devices
 * whose last install of the app FAILED come from the same per-app device list as
 * `App.devices(status: FAILED)`; devices outside the caller's row scope are only counted; the rest
 * are checked for `deployApps` per device (like device commands) and the install is sent again to
 * the allowed ones, 8 at a time (UEM has no bulk install). A dry run sends nothing.
 */
import type { GraphQLContext } from '../../context.js';
import { mapConcurrent } from '../../concurrency.js';
import type { UemApp } from '../../datasources/uem/uem.catalog-schemas.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { authorizeTargets, MAX_TARGETS, outcomeOf, type AuthorizedTargets, type TargetResult } from '../device-commands/device-targets.js';
import { appDeviceIds } from '../apps/apps.service.js';
import { errorCodesOf, failureOf, forgetUem } from '../uem-write.js';
import { findApp, idArgument } from './app-assignment.service.js';

/** Installs in flight at once. */
export const INSTALL_CONCURRENCY = 8;

export interface RetryPayload {
  app: UemApp;
  dryRun: boolean;
  failedInstalls: number;
  notVisible: number;
  results: TargetResult[];
}

export function retryFailedInstalls(ctx: GraphQLContext, appIdArg: string, dryRun: boolean): Promise<RetryPayload> {
  const targets = [{ type: 'App', id: appIdArg.slice(0, 40) }];
  return withAudit(ctx, { field: 'retryFailedInstalls', targets, variables: { appId: appIdArg, dryRun } }, async () => {
    const appId = idArgument(appIdArg, 'appId');
    const { app, internal } = await findApp(ctx, appId);
    const uuid = app.uuid ?? internal.uuid;
    const failed = uuid ? await appDeviceIds(ctx, uuid, 'FAILED') : [];
    const visible = (await ctx.access.visibleDeviceIds(failed)).slice(0, MAX_TARGETS);
    const authorized: AuthorizedTargets =
      visible.length > 0 ? await authorizeTargets(ctx, visible.map(String), 'deployApps') : { ids: [], allowed: [], decided: new Map() };
    const allowed = authorized.allowed.map((d) => String(d.id));
    const sent = new Map<string, TargetResult>();
    if (dryRun) {
      for (const id of allowed) sent.set(id, { deviceId: id, status: 'WOULD_SEND', errorCode: null, message: null });
    } else {
      await mapConcurrent(allowed, INSTALL_CONCURRENCY, async (id) => {
        try {
          await ctx.uem.installApp(appId, id);
          sent.set(id, { deviceId: id, status: 'ACCEPTED', errorCode: null, message: null });
        } catch (err) {
          sent.set(id, { deviceId: id, status: 'FAILED', ...failureOf(err) });
        }
      });
      if (allowed.length > 0) forgetUem(ctx, []);
    }
    const results = authorized.ids.map(
      (id) => authorized.decided.get(id) ?? sent.get(id) ?? { deviceId: id, status: 'FAILED' as const, errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
    );
    const payload = { app, dryRun, failedInstalls: failed.length, notVisible: failed.length - visible.length, results };
    return {
      result: payload,
      outcome: outcomeOf(results),
      errorCodes: errorCodesOf(results),
      details: { dryRun, failedInstalls: payload.failedInstalls, notVisible: payload.notVisible, results: results as unknown as JsonValue },
    };
  });
}
