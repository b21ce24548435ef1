/**
 * Which production requests a retrain may learn from (see retrain-data.ts for the rules): those
 * in the lookback window before the retrain time T, from the training half of the pool, whose
 * label has arrived by T. Capped per class in proportion (the newest first within each class),
 * so a cap keeps the class mix of what was available and the most recent drift.
 */
import {
  compileSource,
  regenerate,
  rowsOf,
  scanRequests,
  type LabelledRows,
  type TrafficSource,
} from './retrain-data';
import { requestRngs } from './sim-random';
import type { TrafficBatch } from './traffic';

/** How the requests of the lookback window were sorted out. */
export type SelectionCounts = {
  /** Requests in the window. */
  scanned: number;
  /** From the holdout half of the pool: never trained on. */
  heldOut: number;
  /** Their label arrives after T: not known yet at T. */
  pending: number;
  /** Their label never arrives. */
  missing: number;
  /** Training-half requests labelled by T. */
  available: number;
  /** Kept after the cap. */
  used: number;
};

export type TrainingSelection = {
  rows: LabelledRows;
  counts: SelectionCounts;
  /** Simulated times of the first and last request used, ms; null when none. */
  usedSpanMs: [number, number] | null;
};

type Candidate = { id: number; timeMs: number; userId: number; trafficRow: number; label: number };

/**
 * Per-class quotas summing to `cap`, proportional to `counts` (largest remainder; ties to the
 * lower class). Classes with fewer rows than their quota keep them all.
 */
export function proportionalQuotas(counts: readonly number[], cap: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= cap) return [...counts];
  const exact = counts.map((c) => (c * cap) / total);
  const q = exact.map(Math.floor);
  let left = cap - q.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - q[k], k]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left === 0) break;
    if (q[k] < counts[k]) [q[k], left] = [q[k] + 1, left - 1];
  }
  return q;
}

/**
 * Selects and regenerates the labelled production rows available at `atMs`.
 * @param mask `holdoutMask` of the pool: rows marked 1 are never selected.
 * @param lookbackMs the window is [atMs - lookbackMs, atMs), clamped at 0.
 * @param maxRows cap on the rows returned (an integer >= 1).
 */
export function selectTrainingRows(
  src: TrafficSource,
  mask: Uint8Array,
  atMs: number,
  lookbackMs: number,
  maxRows: number,
): TrainingSelection {
  if (!(Number.isInteger(maxRows) && maxRows >= 1))
    throw new Error(`maxRows must be an integer >= 1, got ${maxRows}`);
  if (!(lookbackMs > 0)) throw new Error(`the lookback must be > 0 ms, got ${lookbackMs}`);
  const fromMs = Math.max(0, atMs - lookbackMs);
  const counts: SelectionCounts = {
    scanned: 0,
    heldOut: 0,
    pending: 0,
    missing: 0,
    available: 0,
    used: 0,
  };
  const byClass: Candidate[][] = Array.from({ length: src.pool.nClasses }, () => []);
  scanRequests(src, fromMs, atMs, (r, _x, b, i) => {
    counts.scanned++;
    if (mask[r.row] === 1) counts.heldOut++;
    else if (Number.isNaN(r.labelAtMs)) counts.missing++;
    else if (r.labelAtMs > atMs) counts.pending++;
    else
      byClass[r.label].push({
        id: r.requestId,
        timeMs: r.timeMs,
        userId: b.userId[i],
        trafficRow: b.row[i],
        label: r.label,
      });
    return true;
  });
  counts.available = byClass.reduce((n, c) => n + c.length, 0);
  const quotas = proportionalQuotas(
    byClass.map((c) => c.length),
    maxRows,
  );
  // Candidates are in time order: the newest of each class are at the end.
  const chosen = byClass.flatMap((c, k) => c.slice(c.length - quotas[k]));
  chosen.sort((a, b) => a.id - b.id);
  counts.used = chosen.length;
  const usedSpanMs: [number, number] | null = chosen.length
    ? [chosen[0].timeMs, chosen[chosen.length - 1].timeMs]
    : null;
  return { rows: regenerateChosen(src, chosen, [fromMs, atMs]), counts, usedSpanMs };
}

/** The chosen requests' features again (each request has its own generator: same draws). */
function regenerateChosen(
  src: TrafficSource,
  chosen: readonly Candidate[],
  windowMs: [number, number],
): LabelledRows {
  const set = compileSource(src);
  const rngFor = requestRngs(src.traffic.seed);
  const b: TrafficBatch = {
    count: chosen.length,
    requestId: Float64Array.from(chosen, (c) => c.id),
    userId: Int32Array.from(chosen, (c) => c.userId),
    timeMs: Float64Array.from(chosen, (c) => c.timeMs),
    row: Int32Array.from(chosen, (c) => c.trafficRow),
  };
  const out = new Float32Array(src.pool.features);
  const picked = chosen.map((c, i) => {
    const r = regenerate(b, i, src.pool, set, rngFor, out);
    if (r.label !== c.label) throw new Error(`request ${c.id} did not regenerate the same label`);
    return { id: c.id, x: out.slice(), label: r.label };
  });
  return rowsOf(src.pool.features, picked, windowMs);
}
