/** A UEM simulator and a datasource against it (Basic by default), with fast HTTP options for tests. */
import { Registry } from 'prom-client';
import { startUemSimulator, type UemSimulator, type UemSimulatorOptions } from '../../../src/simulators/uem/uem.simulator.js';
import { UemDatasource, type UemDatasourceOptions } from '../../../src/datasources/uem/uem.datasource.js';
import { withFast } from './test-upstream.js';

export async function startUem(options: UemSimulatorOptions = {}): Promise<UemSimulator> {
  return startUemSimulator({ sizes: { devices: 300, uemUsers: 120, apps: 20 }, ...options });
}

export function uemDatasource(sim: UemSimulator, auth: 'basic' | 'oauth' = 'basic', extra: Partial<UemDatasourceOptions> = {}): UemDatasource {
  const c = sim.credentials;
  return UemDatasource.create({
    baseUrl: sim.url,
    tenantCode: c.tenantCode,
    auth:
      auth === 'basic'
        ? { kind: 'basic', username: c.username, password: c.password }
        : { kind: 'oauth', tokenUrl: c.tokenUrl, clientId: c.clientId, clientSecret: c.clientSecret },
    registry: new Registry(),
    ...extra,
    http: withFast(extra.http),
  });
}

export const TOKEN = 'POST /connect/token';
export const SEARCH = 'GET /API/mdm/devices/search';
export const INFO = 'GET /API/system/info';
