// The "Serving" section of BENCHMARKS.md, from results.json's `serving` (bench/serve.mjs).
import {
  kb,
  ms,
  pct,
  t,
  perSec,
  verdict,
  verdictOrNa,
  table,
  p3,
  BUDGET,
} from './report-format.mjs';

const rowName = (row) =>
  row.runtime === 'ort-wasm'
    ? `ort-wasm, ${row.threads} thread${row.threads > 1 ? 's' : ''}`
    : row.runtime;

/** The label of a row whose timings mean nothing (software GPU) or whose runtime fell back. */
function rowNote(row) {
  if (row.actualRuntime && row.actualRuntime !== row.runtime)
    return `fell back to ${row.actualRuntime}: ${row.fallbackReason}`;
  if (row.softwareGpu) return 'software adapter (SwiftShader): correctness only';
  if (!row.client?.ok) return `did not run: ${row.client?.error}`;
  if (row.threadsInUse !== null && row.threadsInUse !== row.threads)
    return `${row.threadsInUse} threads in use (${row.details?.threads ?? ''})`;
  if (row.reference) return 'the reference (reported)';
  return row.budgeted ? 'budgeted' : 'reported, not budgeted';
}

/** Budgets apply to rows that ran their own runtime on real hardware, and are budgeted. */
const judged = (row) =>
  row.budgeted && !row.softwareGpu && row.client?.ok && row.actualRuntime === row.runtime;

export function servingSection(r) {
  const sv = r.serving;
  if (!sv?.ok) return `## Serving\n\nNot measured: ${sv?.error ?? 'not run'}.\n`;
  const rows = sv.rows;
  const ok = (row) => row.client?.ok && row.session?.ok && row.endpoint?.ok;
  const def = (row) => (row.endpoint.ok ? row.endpoint.throughput[0] : null);
  const budgetRows = [];
  for (const row of rows.filter(judged)) {
    if (!ok(row)) continue;
    const rt = row.client.batches[1].roundTrip.p50;
    budgetRows.push([
      `Worker round trip, batch 1, p50: ${rowName(row)}`,
      t(rt),
      '<= 250 µs',
      verdict(rt <= BUDGET.roundTripMs),
    ]);
    if (row.runtime === 'ort-wasm') {
      const ratio = row.ratioToPlain.groupMeans;
      budgetRows.push([
        `Runtime call / plain TS forward pass, batch 1, p50 of group means: ${rowName(row)}`,
        ratio === null ? 'n/a' : `${ratio.toFixed(1)}x`,
        '<= 10x',
        verdictOrNa(ratio, ratio <= BUDGET.ratioToPlain),
      ]);
    }
    const th = def(row);
    budgetRows.push([
      `Dynamic batching, max batch ${th.maxBatch}, max wait ${th.maxWaitMs} ms: ${rowName(row)}`,
      `${perSec(th.medianPerSecond)} predictions/s`,
      '>= 50,000/s',
      verdict(th.medianPerSecond >= BUDGET.perSecond),
    ]);
  }
  const tasks = rows
    .filter((row) => ok(row) && !row.softwareGpu)
    .flatMap((row) => row.endpoint.throughput.map((th) => th.longestTaskMs));
  const longest = tasks.includes(null) || tasks.length === 0 ? null : Math.max(...tasks);
  const warmTasks = rows
    .filter((row) => ok(row) && !row.softwareGpu)
    .flatMap((row) => row.endpoint.throughput.map((th) => th.warmup?.longestTaskMs ?? null));
  const longestWarm =
    warmTasks.includes(null) || warmTasks.length === 0 ? null : Math.max(...warmTasks);
  budgetRows.push([
    "Longest main-thread task during a burst of 2,000 (the Serve screen's default size)",
    ms(longestWarm),
    'none over 200 ms',
    verdictOrNa(longestWarm, longestWarm <= BUDGET.longTaskMs),
  ]);
  budgetRows.push([
    `Longest main-thread task during the timed bursts of ${perSec(sv.burst.size)}`,
    ms(longest),
    'none over 200 ms',
    verdictOrNa(longest, longest <= BUDGET.longTaskMs),
  ]);

  const runtimeCall = rows.flatMap((row) =>
    row.session?.ok
      ? [1, 64].map((b) => {
          const x = row.session.batches[b];
          return [
            rowName(row),
            String(b),
            `${p3(x.perCall)} (n ${x.perCall.n})`,
            x.groupMeans.n
              ? `${p3(x.groupMeans)} (${x.groupMeans.n} groups of ${x.groupSize})`
              : 'not grouped',
            b === 1 && row.ratioToPlain.groupMeans !== null
              ? `${row.ratioToPlain.groupMeans.toFixed(1)}x (${t(x.plainGroupMeans.p50)})`
              : '',
            rowNote(row),
          ];
        })
      : [[rowName(row), '-', 'n/a', 'n/a', '', `did not start: ${row.session?.error}`]],
  );
  const roundTrip = rows.flatMap((row) =>
    row.client?.ok
      ? [1, 64].map((b) => {
          const x = row.client.batches[b];
          return [
            rowName(row),
            String(b),
            `${p3(x.roundTrip)} (n ${x.roundTrip.n})`,
            p3(x.compute),
            b === 1 && row.ratioToPlain.perCall !== null
              ? `${row.ratioToPlain.perCall.toFixed(1)}x`
              : '',
            rowNote(row),
          ];
        })
      : [[rowName(row), '-', 'n/a', 'n/a', '', rowNote(row)]],
  );
  const endpoint = rows.map((row) =>
    row.endpoint?.ok
      ? [
          rowName(row),
          `${p3(row.endpoint.latency)} (n ${row.endpoint.latency.n})`,
          p3(row.endpoint.request),
          t(row.endpoint.info.startMs),
          rowNote(row),
        ]
      : [rowName(row), 'n/a', 'n/a', 'n/a', `did not run: ${row.endpoint?.error}`],
  );
  const throughput = rows.flatMap((row) =>
    row.endpoint?.ok
      ? row.endpoint.throughput.map((th) => [
          rowName(row),
          `${th.maxBatch}, ${th.maxWaitMs} ms`,
          `${perSec(th.medianPerSecond)}/s`,
          th.bursts.map((b) => perSec(b.perSecond)).join(', '),
          Object.entries(th.bursts[0].batchSizes)
            .map(([size, count]) => `${count} x ${size}`)
            .join(', '),
          `${ms(th.warmup?.longestTaskMs)} / ${ms(th.longestTaskMs)}`,
          rowNote(row),
        ])
      : [],
  );
  const agreement = rows.map((row) =>
    row.client?.ok
      ? [
          rowName(row),
          row.actualRuntime,
          Object.entries(row.details ?? {})
            .filter(([k]) => k !== 'threads')
            .map(([k, v]) => `${k}: ${v}`)
            .join('; '),
          row.client.agreement.maxAbsDiff.toExponential(1),
          pct(row.client.agreement.top1Agreement),
          pct(row.client.agreement.accuracy),
        ]
      : [rowName(row), 'n/a', '', 'n/a', 'n/a', `did not run: ${row.client?.error}`],
  );
  const e = sv.env;
  const c = sv.counts;
  const sc = sv.softwareCounts;
  return `## Serving

The default digits model (trained by the app's Trainer in the harness: ${pct(sv.model.testAccuracy)}
test accuracy, ONNX ${kb(sv.model.onnxBytes)}), served by the app's own code in headless Chromium,
cross-origin isolated: ${e.crossOriginIsolated}; \`performance.now()\` resolution ${t(e.timerResolutionMs)}
on the page and ${t(rows.find((row) => row.session?.ok)?.session.timerResolutionMs)} in the workers;
${e.hardwareConcurrency} logical cores. WebGL renderer: ${e.webgl ?? 'none'}; WebGPU adapter:
${e.webgpu ?? 'none'}. Percentiles are numpy's linear ones over the raw samples (written to
\`${sv.rawSamples}\`, not committed). The budgets apply to
onnxruntime-web wasm, the Serve screen's default runtime; the plain TypeScript forward pass is the
reference of the ratio; tfjs and WebGPU rows are reported, not budgeted (CONTRACTS.md); rows on a
software GPU adapter are correctness checks whose timings mean nothing.

${table(['what', 'measured', 'budget', 'verdict'], budgetRows)}

### Runtime call

The runtime adapter's \`run\` alone (src/lib/workers/runtimes), in a worker, after ${c.warmup}
warm-up calls: each call timed on its own (as the serve worker's \`computeMs\` is, so quantised by
the timer), and back-to-back calls timed in groups of about 0.5 ms (p50 / p95 / p99 **of group
means**, CONTRACTS.md). The ratio divides the batch-1 p50 of group means (of single calls where they were
too slow to group) by the p50 of a plain TS baseline timed in the same worker, one plain group
after each of the runtime's groups (its p50 in brackets).

${table(
  [
    'runtime',
    'batch',
    'per call p50 / p95 / p99',
    'group means p50 / p95 / p99',
    'vs plain TS',
    'note',
  ],
  runtimeCall,
)}

### Worker round trip

\`ServeClient.infer\` to the app's serve worker and back, timed on the page (one request at a
time, after ${c.warmup} warm-up calls), and the worker's own \`computeMs\` for the same calls; the
ratio is of the per-call \`computeMs\` p50s, quantised by the ${t(e.timerResolutionMs)} clock.

${table(
  [
    'runtime',
    'batch',
    'round trip p50 / p95 / p99',
    'computeMs p50 / p95 / p99',
    'vs plain TS',
    'note',
  ],
  roundTrip,
)}

### Endpoint, one request at a time

\`Endpoint.predict\` (schema validation, queue, worker round trip, argmax) with max batch 1, one
request after the other: the endpoint's own \`latencyMs\`, and the time the caller waits for the
promise. Start: \`Endpoint.start\` to ready (worker, runtime download from localhost, session).

${table(['runtime', 'latencyMs p50 / p95 / p99', 'caller p50 / p95 / p99', 'start', 'note'], endpoint)}

### Dynamic batching

\`Endpoint.burst\` of ${perSec(sv.burst.size)} test rows at once (as the Serve screen's "Send a
burst": predictions answered / wall time from the first send to the last answer), after a
warm-up burst of 2,000 (the Serve screen's default size); median of ${sv.burst.repeats} bursts per
policy (max batch 32, max wait 2 ms is the Serve screen's default). The longest task is the
harness page's main thread during the warm-up burst and during the timed bursts: \`Endpoint.burst\`
validates and queues every request in one synchronous loop, so it grows with the burst size.

${table(
  [
    'runtime',
    'max batch, wait',
    'median',
    'bursts',
    'batches (first burst)',
    `longest task (2,000 / ${perSec(sv.burst.size)})`,
    'note',
  ],
  throughput,
)}

### Correctness

Every runtime on the ${sv.model.testRows} test rows, in batches of 64 through the serve worker,
against the plain TypeScript forward pass (\`forward\`, float64 accumulation).

${table(
  ['runtime', 'ran on', 'details', 'max abs diff in p', 'top-1 agreement', 'test accuracy'],
  agreement,
)}

Calls per row: ${c.calls} timed calls per batch size and phase (${c.groups} groups), or fewer when a
phase passed ${c.maxPhaseMs / 1000} s; rows on a software GPU adapter: ${sc.calls} calls
(${sc.warmup} warm-up) and one burst of ${perSec(sv.softwareBurst.size)}.
`;
}
