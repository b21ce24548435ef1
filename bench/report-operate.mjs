// The "Operate: drift and the traffic simulation" section of BENCHMARKS.md, from results.json's
// `operate` (bench/operate.mjs). Every figure and verdict in the prose is computed here.
import { perSec, s2, table, verdict, verdictOrNa } from './report-format.mjs';

const f1 = (v) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
const METHOD = { wasserstein: 'normed Wasserstein', jensenshannon: 'Jensen-Shannon', ks: 'KS' };
const count = (n) => n.toLocaleString('en');

/** Median and p95 over the windows, and the verdict of the p95 against the budget. */
const pair = (s) => `${f1(s.p50)} / ${f1(s.p95)}`;

function driftRows(d, budget) {
  return d.shifts.flatMap((s) => [
    [
      `${s.label}: whole window (${count(d.windowRows)} rows)`,
      pair(s.windowMs.full),
      `<= ${budget} ms`,
      verdict(s.windowMs.full.p95 <= budget),
    ],
    [
      `${s.label}: the monitor's sample (${count(d.sampleRows)} rows)`,
      pair(s.windowMs.sample),
      `<= ${budget} ms`,
      verdict(s.windowMs.sample.p95 <= budget),
    ],
  ]);
}

function methodRows(d) {
  return d.shifts.flatMap((s) =>
    Object.entries(s.methodMs).map(([m, v]) => [
      s.label,
      `${METHOD[m] ?? m} (${s.methods[m]} of ${d.features} columns)`,
      pair(v),
    ]),
  );
}

function ksRows(d) {
  return d.shifts.map((s) => [
    s.label,
    pair(s.ksMs),
    `${s.ksMs.n}`,
    Object.entries(s.ksModes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', '),
  ]);
}

const load = (x) => (x?.load ? `${x.load.start} to ${x.load.end}` : 'not recorded');

const busy = (x, cores) => x?.load && Math.max(x.load.start, x.load.end) > cores;

/** The machine's load during each drift run: a shared 2-core machine skews the figures. */
function loadNote(d, c, cores) {
  const median = (x) => Math.max(...x.shifts.map((s) => s.windowMs.full.p50));
  const ratio = c?.ok ? median(d) / median(c) : null;
  return (
    `1-minute load average during the Node drift run: ${load(d)}; during the Chromium run: ` +
    `${load(c)} (${cores} cores here).` +
    (ratio !== null && (ratio > 1.5 || ratio < 1 / 1.5)
      ? ` The same code took ${ratio.toFixed(1)}x as long in Node as in Chromium (worst median ` +
        'per shift)' +
        (busy(d, cores) || busy(c, cores)
          ? `: with the load above ${cores} cores, read the spread as the noise of a shared ` +
            'machine, not as a difference between the engines.'
          : '.')
      : '')
  );
}

function driftSection(o, cores) {
  const d = o.driftNode;
  const c = o.driftChromium;
  const b = o.budgets.driftWindowMs;
  if (!d?.ok) return `Drift in Node: not measured (${d?.error ?? 'no result'}).\n`;
  const worst = (x) => Math.max(...x.shifts.map((s) => s.windowMs.full.p95));
  const worstSample = (x) => Math.max(...x.shifts.map((s) => s.windowMs.sample.p95));
  const over = worst(d) > b;
  const ksSlowest = d.shifts.reduce((a, s) => (s.ksMs.p50 > a.ksMs.p50 ? s : a));
  const ksWorst = ksSlowest.ksMs.p50;
  const rules = Object.entries(d.rules)
    .map(([m, text]) => `${METHOD[m] ?? m}: "${text}"`)
    .join(' ');
  return `### Drift per window (64 features)

Reference: the digits training split (${count(d.referenceRows)} rows, the app's fixed split, seed
0); each window draws ${count(d.windowRows)} rows with replacement from the test split
(${d.poolRows} rows, the production pool), unchanged or through the simulator's own scenarios.
Timed: the monitor's window drift (core \`windowDrift\`: the columns, then \`datasetDrift\` with
Evidently's default test per column, reference sorted once), median / p95 over
${d.shifts[0].windowMs.full.n} windows per shift after ${d.warmupWindows} untimed ones. The
Monitor itself tests a reservoir sample of at most ${count(d.sampleRows)} rows per window when
the reference has more than 1,000 rows, so the second row of each shift is what the app pays.

${table(['Node', 'median / p95 per window', 'budget', 'verdict (p95)'], driftRows(d, b))}

${
  c?.ok
    ? table(
        [
          `Chromium (${c.browser}, main thread)`,
          'median / p95 per window',
          'budget',
          'verdict (p95)',
        ],
        driftRows(c, b),
      )
    : `Chromium: not measured (${c?.error ?? 'no result'}).`
}

Which test ran (drift-rules.ts, Evidently's rule: more than 1,000 reference rows, so distances,
not p-values): ${rules} Per method, each column's \`driftTest\` timed alone and summed per window
(Node, median / p95):

${table(['shift', 'method', 'ms per window'], methodRows(d))}

${
  over
    ? `**Over budget** on the whole ${count(d.windowRows)}-row window: p95 up to ${f1(worst(d))} in Node` +
      (c?.ok ? ` and ${f1(worst(c))} in Chromium` : '') +
      `. Most of the time goes to the normed Wasserstein columns (the table above): each sorts ` +
      `its ${count(d.windowRows)} current values and merges them with the sorted reference; the monitor's ${count(d.sampleRows)}-row sample ` +
      `stays at p95 ${f1(worstSample(d))} (Node)` +
      (c?.ok ? ` / ${f1(worstSample(c))} (Chromium)` : '') +
      `: ${verdict(worstSample(d) <= b)} in Node` +
      (c?.ok ? `, ${verdict(worstSample(c) <= b)} in Chromium.` : '.')
    : `Within budget on the whole ${count(d.windowRows)}-row window (p95 at most ${f1(worst(d))} in Node` +
      (c?.ok ? `, ${f1(worst(c))} in Chromium` : '') +
      ').'
}

${loadNote(d, c, cores)}

**Exact KS on unequal sizes, on its own** (the teaching point: \`ksTest\` on every column,
${count(d.referenceRows)}-row reference against the ${count(d.windowRows)}-row window; scipy's
'auto' is exact up to 10,000 rows per sample, and the exact count on unequal sizes costs about
2 D n1 n2 cell updates per column). Not the app's default here (the rule picks Wasserstein above
1,000 reference rows), but what a learner gets by forcing KS:

${table(['shift (Node)', 'median / p95 per window', 'windows', 'p-values'], ksRows(d))}
${c?.ok ? `\n${table(['shift (Chromium)', 'median / p95 per window', 'windows', 'p-values'], ksRows(c))}\n` : ''}
Exact KS is ${ksWorst > b ? `**slow**: up to ${f1(ksWorst)} per window (median), ${(ksWorst / b).toFixed(0)}x the 50 ms budget (${ksSlowest.label}; no shift: ${f1(d.shifts[0].ksMs.p50)}): a shifted window has a larger D, and the exact count grows with D` : 'within the 50 ms budget here'}.
`;
}

function simulationSection(o) {
  const s = o.simulation;
  const b = o.budgets.simulationMs;
  if (!s?.ok) return `### 1,000,000 requests\n\nNot measured (${s?.error ?? 'no result'}).\n`;
  return `### ${count(s.requests)} simulated requests with monitoring (Node)

${table(
  ['what', 'measured', 'budget', 'verdict'],
  [
    [
      `${count(s.requests)} requests, ${s.windowMinutes}-minute windows`,
      s2(s.wallMs),
      `<= ${s2(b)}`,
      verdict(s.wallMs <= b),
    ],
    ['Requests per second (wall clock)', perSec(s.requestsPerSecond), '-', 'reported'],
    [
      'Windows closed (each with drift, CBPE, alerts)',
      `${s.windowsClosed} (${s.closedHours.toFixed(1)} simulated hours; ${s.driftedWindows} drifted)`,
      '-',
      'reported',
    ],
    [
      'Ledger',
      `${count(s.ledger.recorded)} of ${count(s.ledger.expected)} answered; ${s.ledger.lost} lost, ${s.ledger.doubled} doubled`,
      '0 lost, 0 doubled',
      s.ledger.ok && s.ledger.lost === 0 && s.ledger.doubled === 0 ? 'ok' : '**failed**',
    ],
  ],
)}

The simulator's batched path (core \`runSimulation\`, batches of 1,000) with the real Monitor,
the request ledger (duplicates counted, not thrown) and a ${s.logCapacity}-entry prediction log;
traffic at ${s.ratePerSecond} requests per simulated second with the app's daily seasonality,
${s.scenarios.join('; ')}; alerts fired: ${s.alertsFiring.join(', ') || 'none'}. Model: the
${s.model} (validation accuracy ${(100 * s.referenceAccuracy).toFixed(1)}%), not the learner's
MLP: the app serves the MLP through a worker runtime that Node lacks; the screen's figures below
use the real endpoint. Building the model and calibration (${f1(s.worldMs)}) is not counted.
`;
}

function screenSection(o) {
  const s = o.screen;
  const b = o.budgets.longTaskMs;
  if (!s?.ok) return `### The Operate screen\n\nNot measured (${s?.error ?? 'no result'}).\n`;
  const longest = s.longTasksObserved ? s.longestTaskMs : null;
  // The Long Tasks API reports tasks of 50 ms or more only: 0 means none reached 50 ms.
  const task = (v) => (v === 0 ? 'none of 50 ms or more' : f1(v));
  return `### The Operate screen while it simulates (Chromium)

${table(
  ['what', 'measured', 'budget', 'verdict'],
  [
    [
      'Longest main-thread task, Play to done',
      task(longest),
      `<= ${b} ms`,
      verdictOrNa(longest, longest <= b),
    ],
    ['Tasks over 50 ms, Play to done', `${s.longTasksOver50 ?? 'n/a'}`, '-', 'reported'],
    [
      'Longest task while playing (after the endpoint started)',
      task(s.longestTaskPlayingMs),
      `<= ${b} ms`,
      verdictOrNa(s.longestTaskPlayingMs, s.longestTaskPlayingMs <= b),
    ],
    ['Simulated requests per second in the page', perSec(s.requestsPerSecond), '-', 'reported'],
  ],
)}

${s.spec}, ${s.scenario}, speed "as fast as the endpoint answers", served by ${s.runtime}; a
digits model trained with the Train screen's defaults and registered first. ${count(s.served)}
requests in ${s2(s.simulatingMs)} of playing (${s2(s.startingMs)} to start the endpoint and
measure the reference), ${s.windows} windows; alerts: ${s.alerts.join(', ') || 'none'}. ${s.ledger}
Long tasks come from a buffered \`longtask\` observer registered before navigation; a deliberate
80 ms task after the run was reported as ${f1(s.longTaskProbeMs)}, so the observer works.
`;
}

/** The whole section; a note when the part has not been run. */
export function operateSection(r) {
  const o = r.operate;
  if (!o) return '## Operate: drift and the traffic simulation\n\nNot measured yet.\n';
  if (!o.driftNode) return `## Operate: drift and the traffic simulation\n\nFailed: ${o.error}\n`;
  return `## Operate: drift and the traffic simulation

Issue 6's budgets (\`BENCH_ONLY=operate\`, bench/operate.mjs), measured on ${o.measuredAt.slice(0, 10)}.

${driftSection(o, r.machine?.cores ?? '?')}
${simulationSection(o)}
${screenSection(o)}`;
}
