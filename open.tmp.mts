const { templateDatabase } = await import('./test/helpers/db-template.ts');
const cpu = (c: NodeJS.CpuUsage) => { const d = process.cpuUsage(c); return ((d.user + d.system) / 1000) | 0; };
for (let i = 0; i < 4; i++) {
  const c = process.cpuUsage();
  const s = await templateDatabase();
  console.log('open cpu', cpu(c));
  await s.close();
}
process.exit(0);
