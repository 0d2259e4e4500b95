const { startTestGateway } = await import('./test/helpers/gateway.ts');
const { prepareTemplates } = await import('./test/helpers/db-template.ts');
let c = process.cpuUsage(); let t = performance.now();
const cpu = (c: NodeJS.CpuUsage) => { const d = process.cpuUsage(c); return ((d.user + d.system) / 1000) | 0; };
await prepareTemplates(); console.log('prepare', cpu(c), Math.round(performance.now() - t));
for (let i = 0; i < 4; i++) {
  c = process.cpuUsage(); t = performance.now();
  const gw = await startTestGateway();
  const b = cpu(c); const bt = performance.now() - t; c = process.cpuUsage();
  await gw.gql('{ viewer { email } }', { as: 'ada.admin@demo.example' });
  await gw.close();
  console.log('cpu ms: boot', b, 'wall', Math.round(bt), 'query+close', cpu(c));
}
process.exit(0);
