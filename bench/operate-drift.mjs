// Drift on digits-shaped windows, timed the same way in Node and in headless Chromium (the app
// runs the monitor on the main thread). Reference: the digits training split of the app's fixed
// split (seed 0; 1,257 rows), as the Operate screen uses it. Windows: rows drawn with replacement
// from the test split (359 rows, the production pool), unchanged or through one of the
// simulator's own scenarios. Returns raw samples (ms); bench/operate.mjs summarises them.

/** The windows' shifts: none, and two of the simulator's covariate-shift scenarios. */
export const SHIFTS = Object.freeze([
  { key: 'none', label: 'no shift', scenarios: [] },
  {
    key: 'brightness',
    label: 'brightness x0.6',
    scenarios: [{ kind: 'brightness', params: { factor: 0.6 }, startMs: 0, rampMs: 0 }],
  },
  {
    key: 'noise',
    label: 'noise, std 1 pixel unit',
    scenarios: [{ kind: 'noise', params: { std: 1 }, startMs: 0, rampMs: 0 }],
  },
]);

/** Columns of a row-major matrix as Float64Arrays. */
function columnsOf(x, rows, f) {
  return Array.from({ length: f }, (_, j) => {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = x[r * f + j];
    return col;
  });
}

/** `rows` requests drawn from the pool through the shift's scenarios (seeded per window). */
function drawWindow(core, test, set, rows, seed) {
  const f = test.features;
  const rng = core.createRng(seed);
  const x = new Float32Array(rows * f);
  const out = new Float32Array(f);
  for (let r = 0; r < rows; r++) {
    const row = rng.int(test.rows);
    core.applyScenarios(test.x.subarray(row * f, row * f + f), out, set, 0, rng, test.y[row]);
    x.set(out, r * f);
  }
  return x;
}

/**
 * Times, per window: the monitor's window drift (`windowDrift`: column extraction and
 * `datasetDrift` with Evidently's default test per column, reference prepared once as the
 * Monitor does) on the whole window and on the monitor's reservoir sample (its first
 * `sampleRows` rows: the rows are drawn independently, so any subset is a random sample); each
 * column's `driftTest` alone, summed by method; and, separately, exact KS (`ksTest`, scipy's
 * 'auto': exact up to 10,000 rows) on every column against the 1,257-row reference.
 * @param options.windows timed windows per shift (after `warmup` untimed ones).
 * @param options.ksWindows windows per shift for the KS timing.
 */
export function driftBench(core, csvText, options = {}) {
  const { windows = 20, warmup = 2, rows = 10_000, sampleRows = 2000, ksWindows = 20 } = options;
  const now = () => performance.now();
  const ds = core.parseDigitsCsv(csvText);
  const split = core.stratifiedSplit(ds.y, core.DEFAULT_SPLIT, 0);
  const train = core.gatherRows(ds, split.train);
  const test = core.gatherRows(ds, split.test);
  const f = ds.features;
  const testRows = { ...test, features: f };
  const refCols = columnsOf(train.x, train.rows, f);
  let t = now();
  const refs = refCols.map((c) => core.prepareReference(c, 'numerical'));
  const prepareMs = now() - t;
  const kinds = new Array(f).fill('numerical');
  const names = ds.featureNames;
  const ctx = { dataset: 'digits', features: f, nClasses: ds.nClasses, poolLabels: test.y };
  const options2 = { share: 0.5, minRows: 1 };
  const rules = {};
  const acc = (x, m) => ({ sampleRows: m, features: f, sample: x, samplePredicted: null });

  const shifts = SHIFTS.map((shift, s) => {
    const set = core.compileScenarios(shift.scenarios, ctx);
    const full = [];
    const sample = [];
    const byMethod = {};
    const verdicts = [];
    const ks = [];
    const ksModes = {};
    let methods = null;
    for (let w = 0; w < warmup + Math.max(windows, ksWindows); w++) {
      const x = drawWindow(core, testRows, set, rows, 1000 * (s + 1) + w);
      const timed = w >= warmup;
      if (w < warmup + windows) {
        t = now();
        const d = core.windowDrift(acc(x, rows), refs, kinds, names, null, options2).drift;
        const fullMs = now() - t;
        t = now();
        const ds2 = core.windowDrift(acc(x, sampleRows), refs, kinds, names, null, options2);
        const sampleMs = now() - t;
        const cols = columnsOf(x, rows, f);
        const perMethod = {};
        const counts = {};
        for (let j = 0; j < f; j++) {
          t = now();
          const r = core.driftTest(refs[j], cols[j], 'numerical');
          perMethod[r.method] = (perMethod[r.method] ?? 0) + (now() - t);
          counts[r.method] = (counts[r.method] ?? 0) + 1;
          rules[r.method] ??= r.details.rule.text;
        }
        if (timed) {
          full.push(fullMs);
          sample.push(sampleMs);
          for (const [m, ms] of Object.entries(perMethod)) (byMethod[m] ??= []).push(ms);
          methods = counts;
          verdicts.push({
            driftedShare: d.driftedShare,
            drifted: d.drifted,
            sampleDriftedShare: ds2.drift.driftedShare,
          });
        }
      }
      if (timed && w < warmup + ksWindows) {
        const cols = columnsOf(x, rows, f);
        t = now();
        for (let j = 0; j < f; j++) {
          const r = core.ksTest(refCols[j], cols[j]);
          ksModes[r.mode] = (ksModes[r.mode] ?? 0) + 1;
        }
        ks.push(now() - t);
      }
    }
    return {
      key: shift.key,
      label: shift.label,
      windowMs: { full, sample },
      methodMs: byMethod,
      methods,
      verdicts,
      ksMs: ks,
      ksModes,
    };
  });
  return {
    referenceRows: train.rows,
    poolRows: test.rows,
    features: f,
    windowRows: rows,
    sampleRows,
    warmupWindows: warmup,
    prepareReferenceMs: prepareMs,
    /** One rule sentence per method seen (the app's own text). */
    rules,
    shifts,
  };
}
