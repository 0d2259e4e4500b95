/**
 * A hand-written SVG chart of the report: per scenario, horizontal bars for the critical-path
 * lower bound, p50 at one connection and p50 at the run's connection count (batching on).
 */
import type { BenchReport } from './report.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const SERIES = [
  { key: 'bound', label: 'critical-path bound', color: '#9aa5b1' },
  { key: 'unloaded', label: 'p50, 1 connection', color: '#4c9f70' },
  { key: 'loaded', label: 'p50, N connections', color: '#2f6fb3' },
] as const;

export function renderChart(report: BenchReport): string {
  const connections = Number(report.settings.connections);
  const rows = report.scenarios.map((s) => ({
    title: s.title,
    values: { bound: s.criticalPathMs, unloaded: s.unloadedP50Ms, loaded: s.p50Ms } as Record<string, number | null>,
  }));
  const max = Math.max(1, ...rows.flatMap((r) => Object.values(r.values).map((v) => v ?? 0))) * 1.1;
  const left = 290;
  const plotWidth = 560;
  const barHeight = 12;
  const rowHeight = SERIES.length * (barHeight + 2) + 14;
  const top = 56;
  const height = top + rows.length * rowHeight + 50;
  const width = left + plotWidth + 90;
  const x = (v: number) => left + (v / max) * plotWidth;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">p50 latency against the critical-path lower bound</text>`,
    `<text x="10" y="38" fill="#555">${esc(`upstream latency ${report.settings.upstreamLatencyMs} ms, batching and caches on, N = ${connections}`)}</text>`,
  ];
  SERIES.forEach((s, i) => {
    const lx = left + i * 170;
    out.push(`<rect x="${lx}" y="${top - 14}" width="10" height="10" fill="${s.color}"/>`, `<text x="${lx + 14}" y="${top - 5}">${esc(s.label.replace('N', String(connections)))}</text>`);
  });
  const ticks = 5;
  for (let t = 0; t <= ticks; t++) {
    const v = (max / ticks) * t;
    const tx = x(v);
    out.push(
      `<line x1="${tx}" y1="${top}" x2="${tx}" y2="${height - 40}" stroke="#eee"/>`,
      `<text x="${tx}" y="${height - 26}" text-anchor="middle" fill="#555">${Math.round(v)}</text>`,
    );
  }
  out.push(`<text x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" fill="#555">milliseconds</text>`);
  rows.forEach((row, r) => {
    const y0 = top + 6 + r * rowHeight;
    out.push(`<text x="${left - 8}" y="${y0 + rowHeight / 2 - 4}" text-anchor="end">${esc(row.title)}</text>`);
    SERIES.forEach((s, i) => {
      const v = row.values[s.key];
      const y = y0 + i * (barHeight + 2);
      if (v === null || v === undefined) return;
      out.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left)}" height="${barHeight}" fill="${s.color}"/>`,
        `<text x="${x(v) + 4}" y="${y + barHeight - 2}" fill="#333">${Math.round(v * 10) / 10}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
