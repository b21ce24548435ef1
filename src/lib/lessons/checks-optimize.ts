/**
 * Checks graded on quantized registry versions and saved benchmark runs (the Quantize panel and
 * the Benchmark lab). Pure functions of the LabSnapshot, like every check.
 */
import { bestBatchUnderP99 } from '../core/slo';
import type { CheckFn, LabSnapshot } from './checks';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const points = (v: number) => `${(v * 100).toFixed(1)} points`;
const ms = (v: number) => `${v < 0.1 ? v.toFixed(4) : v.toFixed(3)} ms`;

type BenchCell = LabSnapshot['benchmarks'][number]['cells'][number];

interface Candidate {
  model: string;
  version: number;
  variant: string;
  parentVersion: number;
  ratio: number;
  /** parent accuracy minus this version's, a fraction; undefined when either is unknown. */
  loss: number | undefined;
}

function quantizedCandidates(state: LabSnapshot): Candidate[] {
  const out: Candidate[] = [];
  for (const m of state.models) {
    for (const v of m.versions) {
      if (v.variant === 'fp32' || v.parentVersion === undefined) continue;
      const parent = m.versions.find((p) => p.version === v.parentVersion);
      if (!parent || parent.variant !== 'fp32' || !(parent.sizeBytes > 0)) continue;
      const loss =
        parent.testAccuracy !== undefined && v.testAccuracy !== undefined
          ? parent.testAccuracy - v.testAccuracy
          : undefined;
      out.push({
        model: m.name,
        version: v.version,
        variant: v.variant,
        parentVersion: parent.version,
        ratio: v.sizeBytes / parent.sizeBytes,
        loss,
      });
    }
  }
  return out;
}

/** Groups cells by version × runtime. */
function groups(cells: readonly BenchCell[]): Map<string, BenchCell[]> {
  const map = new Map<string, BenchCell[]>();
  for (const c of cells) {
    const key = `${c.versionId} on ${c.runtime}`;
    map.set(key, [...(map.get(key) ?? []), c]);
  }
  return map;
}

export const OPTIMIZE_CHECKS: {
  'quantized-small': CheckFn<'quantized-small'>;
  'batch-under-slo': CheckFn<'batch-under-slo'>;
} = {
  'quantized-small': (state, params) => {
    const all = quantizedCandidates(state);
    if (all.length === 0) {
      return {
        passed: false,
        message:
          'No quantized version of an fp32 version is registered yet. In the Quantize panel, pick ' +
          'an fp32 version, choose int8 weight-only, press Quantize, then register the result.',
      };
    }
    const ok = (c: Candidate) =>
      c.ratio <= params.maxSizeRatio && c.loss !== undefined && c.loss <= params.maxAccuracyLoss;
    const winner = all.filter(ok).sort((a, b) => a.ratio - b.ratio)[0];
    if (winner) {
      return {
        passed: true,
        message:
          `${winner.model}@v${winner.version} (${winner.variant}) is ${pct(winner.ratio)} of the ` +
          `size of its fp32 parent v${winner.parentVersion} and loses ${points(winner.loss!)} of ` +
          `test accuracy (allowed: ${pct(params.maxSizeRatio)} and ${points(params.maxAccuracyLoss)}).`,
      };
    }
    // Best candidate: the smallest among those within the accuracy budget, else the smallest.
    const withinLoss = all.filter((c) => c.loss !== undefined && c.loss <= params.maxAccuracyLoss);
    const best = (withinLoss.length ? withinLoss : all).sort((a, b) => a.ratio - b.ratio)[0];
    const name = `${best.model}@v${best.version} (${best.variant})`;
    const loss =
      best.loss === undefined ? 'an unknown accuracy loss' : `a loss of ${points(best.loss)}`;
    const problems: string[] = [];
    if (best.ratio > params.maxSizeRatio) {
      problems.push(
        `it is ${pct(best.ratio)} of the fp32 size (needed at most ${pct(params.maxSizeRatio)}): ` +
          'the graph, biases, the preprocessing and the metadata do not shrink, so a small model ' +
          'stays above 25%; train a wider model (for example 128 hidden units), register it and ' +
          'quantize it int8 weight-only',
      );
    }
    if (best.loss === undefined) {
      problems.push('its test accuracy or its parent\u2019s is not recorded');
    } else if (best.loss > params.maxAccuracyLoss) {
      problems.push(
        `it loses ${points(best.loss)} of accuracy (allowed ${points(params.maxAccuracyLoss)}): ` +
          'try per-channel scales, or weight-only instead of dynamic or static',
      );
    }
    return {
      passed: false,
      message: `Closest so far: ${name}, ${pct(best.ratio)} of its parent with ${loss}; ${problems.join('; ')}.`,
    };
  },

  'batch-under-slo': (state, params) => {
    const latest = state.benchmarks[0];
    if (!latest || latest.cells.length === 0) {
      return {
        passed: false,
        message:
          'No saved benchmark yet. In the Benchmark lab, choose one version and one runtime, ' +
          'batch sizes 1, 16 and 256, press Run and wait for the results.',
      };
    }
    const grid = [...groups(latest.cells)].map(([key, cells]) => ({
      key,
      batches: new Set(cells.map((c) => c.batch)).size,
      best: bestBatchUnderP99(cells, params.p99Ms),
      cells,
    }));
    const wide = grid.filter((g) => g.batches >= 3);
    if (wide.length === 0) {
      const most = Math.max(...grid.map((g) => g.batches));
      return {
        passed: false,
        message:
          `Your latest benchmark has at most ${most} batch size(s) for any version on one ` +
          'runtime; the trade-off needs at least 3. Run a grid with batch sizes 1, 16 and 256 on ' +
          'one runtime.',
      };
    }
    const passing = wide
      .filter((g) => g.best)
      .sort((a, b) => b.best!.throughputPerSec - a.best!.throughputPerSec)[0];
    if (!passing) {
      const fastest = wide
        .flatMap((g) => g.cells.map((c) => ({ key: g.key, c })))
        .sort((a, b) => a.c.p99 - b.c.p99)[0];
      return {
        passed: false,
        message:
          `No cell of your latest benchmark meets p99 <= ${ms(params.p99Ms)}; the lowest p99 is ` +
          `${ms(fastest.c.p99)} (${fastest.key}, batch ${fastest.c.batch}). Include batch 1, ` +
          'try a faster runtime (ort-wasm or plain TS), and close other tabs while it runs.',
      };
    }
    const b = passing.best!;
    return {
      passed: true,
      message:
        `${passing.key}: batch ${b.batch} gives the highest throughput under p99 <= ` +
        `${ms(params.p99Ms)}: ${Math.round(b.throughputPerSec).toLocaleString('en-US')} rows/s ` +
        `at p99 ${ms(b.p99)}.`,
    };
  },
};
