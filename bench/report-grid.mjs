// The "Quantized models: the latency grid" section of BENCHMARKS.md, from results.json's `grid`
// (bench/grid.mjs). Every figure and every comparison in the prose is computed from the results.
const t = (v) => {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v < 0.1) return `${(v * 1000).toFixed(1)} µs`;
  if (v < 1) return `${Math.round(v * 1000)} µs`;
  return `${v.toFixed(2)} ms`;
};
const pct = (v) => `${(v * 100).toFixed(1)}%`;
const x2 = (v) => `${v.toFixed(2)}x`;
const rate = (v) => Math.round(v).toLocaleString('en');
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const VARIANTS = ['fp32', 'fp16', 'int8-weight', 'int8-dynamic'];
/** An int8 cell at least this much faster than fp32 (p50) counts as faster. */
const FASTER = 0.95;

const cellOf = (g, row, variant, batch) =>
  g.cells.find((c) => c.row === row && c.variant === variant && c.batch === batch);
const groupOf = (g, row, variant) => g.groups.find((x) => x.row === row && x.version === variant);
const timing = (c) =>
  c.timing === 'per-call' ? 'per call' : `percentile of group means (${c.groupSize}/group)`;

function environment(g) {
  const e = g.env;
  const gpu = e.webgpu?.adapter
    ? `${[e.webgpu.vendor, e.webgpu.architecture, e.webgpu.description].filter(Boolean).join(' ')}` +
      (e.webgpu.isFallbackAdapter ? ' (fallback adapter)' : '')
    : 'none';
  return table(
    ['', ''],
    [
      ['Browser', `${e.browser} (headless), ${e.cores} logical cores`],
      ['Cross-origin isolated', e.crossOriginIsolated ? 'yes' : 'no'],
      ['Timer step', t(e.timerResolutionMs)],
      ['wasm SIMD / threads', `${e.wasmSimd ? 'yes' : 'no'} / ${e.wasmThreads ? 'yes' : 'no'}`],
      ['WebGPU adapter', gpu],
      ['What it means', e.notes.join(' ')],
    ],
  );
}

function versionsTable(g) {
  const acc = (key) => groupOf(g, g.rows[0].key, key)?.loaded?.accuracy;
  return table(
    ['Version', 'How', 'Bytes', 'Of fp32', 'Test accuracy (ORT wasm)'],
    g.model.versions.map((v) => [
      v.key,
      v.description,
      v.bytes.toLocaleString('en'),
      pct(v.ratioToFp32),
      acc(v.key) === undefined ? 'n/a' : pct(acc(v.key)),
    ]),
  );
}

function latencyTable(g) {
  const rows = [];
  for (const row of g.rows)
    for (const variant of VARIANTS)
      for (const batch of g.batches) {
        const c = cellOf(g, row.key, variant, batch);
        const group = groupOf(g, row.key, variant);
        if (!c) {
          if (batch === g.batches[0] && group)
            rows.push([
              row.name,
              variant,
              '',
              'not run',
              '',
              '',
              '',
              '',
              '',
              '',
              group.skipped ?? `failed: ${group.error}`,
            ]);
          continue;
        }
        rows.push([
          row.name,
          variant,
          String(batch),
          t(c.p50),
          t(c.p95),
          t(c.p99),
          t(c.max),
          c.n.toLocaleString('en'),
          timing(c),
          rate(c.throughputPerSec),
          c.label ?? '',
        ]);
      }
  return table(
    [
      'Runtime',
      'Version',
      'Batch',
      'p50',
      'p95',
      'p99',
      'max',
      'n',
      'Timing',
      'Rows/s (batch / mean)',
      'Labels',
    ],
    rows,
  );
}

function coldStartTable(g) {
  return table(
    ['Runtime', ...VARIANTS],
    g.rows.map((row) => [
      row.name,
      ...VARIANTS.map((v) => {
        const loaded = groupOf(g, row.key, v)?.loaded;
        return loaded ? t(loaded.coldStartMs) : '–';
      }),
    ]),
  );
}

function overheadTable(g) {
  const name = (key) => g.rows.find((r) => r.key === key)?.name ?? key;
  return table(
    [
      'Runtime (fp32, batch 1)',
      'p50',
      'Empty call, timed the same way',
      'Share of p50',
      'Budget 5%',
    ],
    g.overhead.cells.map((o) => [
      name(o.row),
      `${t(o.p50Ms)} (${o.timing === 'per-call' ? 'per call' : `groups of ${o.groupSize}`})`,
      t(o.overheadMs),
      o.share === null ? 'n/a' : pct(o.share),
      o.budgeted
        ? o.withinBudget
          ? 'within budget'
          : '**over budget**'
        : 'reported, not budgeted',
    ]),
  );
}

/** What ONNX Runtime made of each graph: the ops and rewrites on wasm, the placement on WebGPU. */
function graphTable(g) {
  const wasm = g.rows.find((r) => r.runtime === 'ort-wasm')?.key;
  const gpu = g.rows.find((r) => r.runtime === 'ort-webgpu')?.key;
  return table(
    [
      'Version',
      'ORT wasm: the ops one call runs',
      'Graph rewrites that applied',
      'ORT WebGPU: node placement',
    ],
    VARIANTS.map((v) => {
      const d = groupOf(g, wasm, v)?.loaded?.details ?? {};
      const w = groupOf(g, gpu, v)?.loaded;
      const placement = !w
        ? 'not run'
        : w.actualRuntime !== 'ort-webgpu'
          ? `fell back to ${w.actualRuntime}`
          : (w.details.nodePlacement ?? 'not read');
      const ops = d.graphOps ? `${d.graphOps} (${d.graphNodes} nodes)` : (d.nodePlacement ?? 'n/a');
      return [v, ops, d.graphRewrites || 'none', placement];
    }),
  );
}

/** p50 of `variant` over fp32's, per ORT row and batch. */
function ratios(g, variant) {
  return g.rows
    .filter((r) => r.runtime.startsWith('ort-'))
    .flatMap((row) =>
      g.batches.map((batch) => {
        const a = cellOf(g, row.key, 'fp32', batch);
        const b = cellOf(g, row.key, variant, batch);
        return { row, batch, ratio: a && b && a.p50 > 0 ? b.p50 / a.p50 : null, fp32: a, q: b };
      }),
    )
    .filter((r) => r.ratio !== null);
}

function ratioTable(g) {
  const all = Object.fromEntries(
    ['fp16', 'int8-weight', 'int8-dynamic'].map((v) => [v, ratios(g, v)]),
  );
  return table(
    ['Runtime', 'Batch', 'fp16 / fp32', 'int8 weight-only / fp32', 'int8 dynamic / fp32'],
    all['int8-weight'].map((r) => [
      r.row.name,
      String(r.batch),
      ...['fp16', 'int8-weight', 'int8-dynamic'].map((v) => {
        const m = all[v].find((x) => x.row.key === r.row.key && x.batch === r.batch);
        return m ? x2(m.ratio) : 'n/a';
      }),
    ]),
  );
}

/** The plain account of where int8 is not faster, from the measured ratios and graph facts. */
function int8Prose(g) {
  const wasm = g.rows.find((r) => r.runtime === 'ort-wasm');
  const gpu = g.rows.find((r) => r.runtime === 'ort-webgpu');
  const int8 = [
    ...ratios(g, 'int8-weight'),
    ...ratios(g, 'int8-dynamic').map((r) => ({ ...r, dynamic: true })),
  ];
  const wasmInt8 = int8.filter((r) => r.row.runtime === 'ort-wasm');
  const notFaster = wasmInt8.filter((r) => r.ratio > FASTER);
  const worst = [...wasmInt8].sort((a, b) => b.ratio - a.ratio)[0];
  const best = [...wasmInt8].sort((a, b) => a.ratio - b.ratio)[0];
  const name = (r) =>
    `${r.dynamic ? 'int8 dynamic' : 'int8 weight-only'} on ${r.row.name} at batch ${r.batch}`;
  const out = [];
  if (!worst) return 'The grid has no int8 cell on ONNX Runtime wasm to compare.';
  out.push(
    `On ONNX Runtime wasm, int8 is not faster than fp32 in ${notFaster.length} of ${wasmInt8.length} cells ` +
      `(p50 at least ${pct(FASTER)} of fp32's). The worst is ${name(worst)}: ${t(worst.q.p50)} against ` +
      `${t(worst.fp32.p50)} for fp32 (${x2(worst.ratio)}); the best is ${name(best)} (${x2(best.ratio)}).`,
  );
  const d = (v) => groupOf(g, wasm.key, v)?.loaded?.details ?? {};
  const { features, nClasses, hyperparameters } = g.model;
  const hidden = hyperparameters.hidden;
  const ops8 = d('int8-weight').graphOps ?? '';
  const weight = (batch) =>
    ratios(g, 'int8-weight').find((r) => r.row.key === wasm.key && r.batch === batch);
  const b1 = weight(1);
  const last = weight(g.batches[g.batches.length - 1]);
  if (/DequantizeLinear/.test(ops8) && b1)
    out.push(
      `Why weight-only is slower: one profiled call of the optimised fp32 graph runs ` +
        `${d('fp32').graphOps}; the int8 weight-only graph runs ${ops8}. The DequantizeLinear ` +
        `turns a weight matrix (${(features * hidden).toLocaleString('en')} weights of the first ` +
        'layer) back into float32 on every call, and the Gemm after it is the same float Gemm fp32 ' +
        'runs' +
        (/MatMulNBits/.test(ops8)
          ? '; ONNX Runtime rewrote the other layer into `MatMulNBits`, which unpacks the 8-bit ' +
            'weights inside the product'
          : '') +
        '. The activations stay float32, and onnxruntime-web on wasm has no int8-weight x ' +
        'float-activation GEMM that would skip the unpacking, so the int8 bytes make the file ' +
        `smaller and the call longer: ${t(b1.q.p50)} against ${t(b1.fp32.p50)} at batch 1.` +
        (last && last.batch !== 1
          ? ` At batch ${last.batch} the unpacking is shared by more rows per call and the ratio ` +
            `is ${x2(last.ratio)}.`
          : ''),
    );
  const dyn = d('int8-dynamic').graphRewrites ?? '';
  const dynamic = ratios(g, 'int8-dynamic').filter((r) => r.row.runtime === 'ort-wasm');
  const dynFaster = dynamic.filter((r) => r.ratio <= FASTER);
  if (/DynamicQuantizeMatMul/.test(dyn) && dynamic.length)
    out.push(
      `int8 dynamic does reach an integer kernel: ONNX Runtime fuses its graph (${dyn}) into ` +
        '`DynamicQuantizeMatMul`, an int8 GEMM. But every call first finds the range of its ' +
        'activations and quantizes them, and converts the int32 result back to float32; ' +
        (dynFaster.length === 0
          ? `on this ${hidden}-unit MLP those steps cost as much as or more than the small float ` +
            `products they replace (p50 ${x2(Math.min(...dynamic.map((r) => r.ratio)))} to ` +
            `${x2(Math.max(...dynamic.map((r) => r.ratio)))} of fp32's).`
          : `it comes out faster only in ${dynFaster.map((r) => `${r.row.name} at batch ${r.batch} (${x2(r.ratio)})`).join(', ')}, where the products are large enough to pay for those steps.`),
    );
  if (/ConstantFolding/.test(d('fp16').graphRewrites ?? ''))
    out.push(
      'fp16 runs at fp32 speed on wasm by construction: ONNX Runtime constant-folds the Casts of the ' +
        `fp16 weights when the session is created (rewrites: ${d('fp16').graphRewrites}), so it runs the ` +
        'same float32 graph; WebAssembly has no fp16 arithmetic. The file is what shrinks.',
    );
  const gd = (gpu && groupOf(g, gpu.key, 'int8-dynamic')?.loaded?.details) || {};
  if (/on CPU:/.test(gd.nodePlacement ?? ''))
    out.push(
      `On WebGPU, int8 dynamic is split between devices (${gd.nodePlacement}): ` +
        (gd.graphNoKernel
          ? `onnxruntime-web's log says its WebGPU provider has no kernel for ${gd.graphNoKernel}, `
          : 'onnxruntime-web placed those ops on the CPU, ') +
        `and each call copies activations between the devices (the Memcpy nodes in: ${gd.graphOps}). ` +
        'These WebGPU timings come from SwiftShader, a CPU emulation of a GPU: they show where ' +
        'the nodes run, not how fast a GPU is.',
    );
  out.push(
    'int8 pays off where arithmetic or memory traffic dominates: large layers, large batches, and ' +
      'hardware with int8 kernels the runtime uses. This model does ' +
      `${(features * hidden + hidden * nClasses).toLocaleString('en')} multiply-adds per row; at ` +
      'that size a call costs mostly its fixed overhead (crossing into WebAssembly, copying ' +
      'tensors, scheduling nodes), which quantization does not touch.',
  );
  return out.join('\n\n');
}

/** The whole section (markdown), or a line saying it was not measured. */
export function gridSection(r) {
  const g = r.grid;
  if (!g)
    return '## Quantized models: the latency grid\n\nNot measured (`BENCH_ONLY=grid npm run bench`).\n';
  if (!g.ok) return `## Quantized models: the latency grid\n\nThe grid failed: ${g.error}\n`;
  const s = g.settings;
  return `## Quantized models: the latency grid

Measured on ${g.measuredAt.slice(0, 10)} in ${g.wallSeconds} s by bench/grid.mjs: the default
digits model (hidden ${g.model.hyperparameters.hidden}, split seed 0, seed 0) trained by the app's
Trainer in ${Math.round(g.model.trainMs)} ms, registered as the Registry does it and quantized by
core \`quantizeModel\` as the Quantize panel does it; each version on each runtime timed by the
Benchmark lab's own engine (BenchRunner and bench.worker, a fresh worker per version and runtime),
with the lab's settings: per cell, ${s.warmupMs} ms of untimed warm-up (${s.firstWarmupMs} ms after a
cold start), then samples until ${s.targetSamples.toLocaleString('en')} or ${s.targetMs / 1000} s,
whichever comes first, but at least ${s.minSamples} (capped at ${s.capMs / 1000} s). A call shorter
than ${s.groupTicks} timer steps is timed in groups, and its figures are percentiles of group means.
tfjs runs the fp32 model only; plain TS runs the quantized versions on dequantized weights
("emulated (dequantized)").

${environment(g)}

${versionsTable(g)}

${latencyTable(g)}

Cold start (a fresh worker: runtime start, session creation, first call):

${coldStartTable(g)}

The harness's own overhead, an empty call timed the same way (same loop, same group size):

${overheadTable(g)}

What ONNX Runtime did with each graph, read from its verbose session log and its profile of one
call (a second, untimed session; the timed one neither logs nor profiles):

${graphTable(g)}

### Where int8 is not faster, and why

p50 of each version over fp32's p50 on the same runtime and batch (below 1.00 is faster):

${ratioTable(g)}

${int8Prose(g)}
`;
}
