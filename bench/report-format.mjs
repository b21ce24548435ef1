// Number formats and a markdown table for the BENCHMARKS.md renderers (report*.mjs).
export const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
export const mb = (b) => `${(b / 1024 ** 2).toFixed(2)} MB`;
export const ms = (v) => (v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`);
export const pct = (v) => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);
export const s2 = (v) => (v === null || v === undefined ? 'n/a' : `${(v / 1000).toFixed(2)} s`);
/** A duration in milliseconds, in us below 1 ms (the serving figures span 5 us to 50 ms). */
export const t = (v) => {
  if (v === null || v === undefined) return 'n/a';
  if (v < 0.01) return `${(v * 1000).toFixed(1)} µs`;
  if (v < 1) return `${Math.round(v * 1000)} µs`;
  return `${v.toFixed(2)} ms`;
};
export const perSec = (v) =>
  v === null || v === undefined ? 'n/a' : Math.round(v).toLocaleString('en');
export const verdict = (ok) => (ok ? 'within budget' : '**over budget**');
export const verdictOrNa = (v, ok) =>
  v === null || v === undefined ? 'not measured' : verdict(ok);
export const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
export const p3 = (s) => (s && s.n ? `${t(s.p50)} / ${t(s.p95)} / ${t(s.p99)}` : 'n/a');

/** Budgets of DESIGN.md, as numbers. */
export const BUDGET = {
  criticalBytes: 170 * 1024,
  precacheBytes: 25 * 1024 ** 2,
  trainAccuracy: 0.97,
  trainMs: 1500,
  longTaskMs: 200,
  roundTripMs: 0.25,
  ratioToPlain: 10,
  perSecond: 50_000,
};
