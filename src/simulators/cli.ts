/**
 * `npm run sim`: both simulators standalone on the contract's ports (SIM_UEM_PORT 4101,
 * SIM_HARMONY_PORT 4102), printing their URLs and the credentials they accept.
 */
import { loadSimConfig } from './sim-config.js';
import { startSimulators } from './index.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadSimConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  let sims;
  try {
    sims = await startSimulators({
      uemPort: config.uemPort,
      harmonyPort: config.harmonyPort,
      sizes: config.sizes,
      latencyMs: config.latencyMs,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    process.stderr.write(
      e.code === 'EADDRINUSE'
        ? `A simulator port is in use (${config.uemPort} or ${config.harmonyPort}). Set SIM_UEM_PORT / SIM_HARMONY_PORT.\n`
        : `The simulators could not start: ${e.message}\n`,
    );
    process.exit(1);
  }
  const u = sims.uem.credentials;
  const h = sims.harmony.credentials;
  const s = config.sizes;
  process.stdout.write(`Simulators running (seed ${s.seed}: ${s.devices} devices, ${s.uemUsers} UEM users, ${s.apps} apps, ${s.harmonyUsers} Harmony users, ${s.externalUsers} external users)

Workspace ONE UEM   ${sims.uem.url}/API
  aw-tenant-code:   ${u.tenantCode}
  Basic:            ${u.username} / ${u.password}
  OAuth client:     ${u.clientId} / ${u.clientSecret} at ${u.tokenUrl}

Jitterbit Harmony   ${sims.harmony.url}/jitterbit-cloud-restful-service
  login:            ${h.email} / ${h.password}, organization ${h.orgId}

Control routes on each: GET /__sim/stats, POST /__sim/stats/reset, PUT|DELETE /__sim/faults

Point a gateway at them:
  UEM_BASE_URL=${sims.uem.url} UEM_TENANT_CODE=${u.tenantCode} UEM_USERNAME=${u.username} UEM_PASSWORD=${u.password} \\
  HARMONY_BASE_URL=${sims.harmony.url} HARMONY_EMAIL=${h.email} HARMONY_PASSWORD=${h.password} HARMONY_ORG_ID=${h.orgId} \\
  AUTH_JWT_SECRET=<32+ characters> npm start
`);
  const stop = () => {
    sims.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
