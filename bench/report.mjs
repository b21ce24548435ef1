// Renders bench/results.json as BENCHMARKS.md: each figure beside its DESIGN.md budget.
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const mb = (b) => `${(b / 1024 ** 2).toFixed(2)} MB`;
const ms = (v) => (v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`);
const verdict = (ok) => (ok ? 'within budget' : '**over budget**');

export function renderMarkdown(r) {
  const { critical, precache } = r.size;
  const s = r.startup;
  const rows = [
    [
      'First paint: critical JS + CSS (gzip)',
      kb(critical.gzipBytes),
      '<= 170 KB',
      verdict(critical.gzipBytes <= 170 * 1024),
    ],
    [
      'Offline precache (all entries, on disk)',
      `${mb(precache.bytes)} in ${precache.entries} files`,
      '<= 25 MB',
      verdict(precache.bytes <= 25 * 1024 ** 2),
    ],
    [
      'First contentful paint, cold visit (median)',
      ms(s.medianFirstContentfulPaintMs),
      '-',
      'reported',
    ],
    ['Home screen rendered, cold visit (median)', ms(s.medianFirstRenderMs), '-', 'reported'],
    [
      'Offline-ready (service worker controls, precache done), cold visit (median)',
      ms(s.medianOfflineReadyMs),
      '-',
      'reported',
    ],
  ];
  return `# Benchmarks

Measured by \`npm run bench\` (bench/run.mjs) on ${r.measuredAt.slice(0, 10)}; raw figures in
\`bench/results.json\`. Budgets are DESIGN.md's. Timings come from headless Chromium on this
machine, served by \`vite preview\` on localhost with a fresh browser profile per run, median of
${s.runs} runs; they depend on the machine and are not asserted by any test.

| what | measured | budget | verdict |
|---|---|---|---|
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

Critical files: ${critical.files.map((f) => `\`${f.file}\` ${kb(f.gzip)} gzip`).join(', ')}.

## Environment

| | |
|---|---|
| CPU | ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB |
| Node | ${r.machine.node} |
| Browser | ${r.machine.chromium} (headless) |
| Versions | ${Object.entries(r.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} |
| App | ${r.app} |

## How to reproduce

\`\`\`sh
npm install
npm run bench        # BENCH_RUNS=9 npm run bench for more runs
\`\`\`
`;
}
