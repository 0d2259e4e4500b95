/** `GET /API/system/info`: the connectivity and version probe; needs no permission category. */
import type { UemRouteContext } from './uem.context.js';
import { formatUemDate } from './uem.dates.js';

export const PRODUCT_VERSION = '24.6.0.12';

export function registerSystemRoutes(ctx: UemRouteContext): void {
  ctx.route('GET', '/API/system/info', null, () => ({
    status: 200,
    body: {
      ProductName: 'Workspace ONE UEM (simulated)',
      ProductVersion: PRODUCT_VERSION,
      ProductYear: 2024,
      BuildNumber: PRODUCT_VERSION.split('.').slice(-1)[0],
      CurrentServerTime: formatUemDate(ctx.state.now()),
      Timezone: 'UTC',
      DeviceCount: ctx.state.devices.size,
    },
  }));
}
