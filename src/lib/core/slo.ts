/**
 * Service-level objective checks for benchmark cells: "p99 <= X ms at batch B and accuracy >= Y".
 * Latencies are milliseconds; accuracies are fractions in [0, 1].
 */

/** The objective: p99 latency at one batch size, and a floor on accuracy. */
export type Slo = {
  /** Largest acceptable p99, ms (>= 0). */
  p99Ms: number;
  /** The batch size the latency objective is stated at (>= 1). */
  batch: number;
  /** Smallest acceptable accuracy in [0, 1]. */
  minAccuracy: number;
};

/** What a check needs of a measured cell. */
export type SloCell = { batch: number; p99: number; accuracy?: number };

/**
 * `applies`: the cell was measured at the SLO's batch size (other cells are not judged, and never
 * pass). `pass`: it applies and meets both objectives. `reasons`: one sentence per objective
 * missed (or why it does not apply), for display.
 */
export type SloVerdict = { applies: boolean; pass: boolean; reasons: string[] };

const pct = (f: number) => `${+(f * 100).toFixed(2)}%`;
const ms = (v: number) => `${+v.toPrecision(3)} ms`;

/**
 * Problems with an SLO's values, by field; empty when it is valid.
 * p99 must be a finite number > 0, batch a whole number >= 1, accuracy in [0, 1].
 */
export function sloProblems(slo: Slo): Partial<Record<keyof Slo, string>> {
  const out: Partial<Record<keyof Slo, string>> = {};
  if (!(Number.isFinite(slo.p99Ms) && slo.p99Ms > 0)) out.p99Ms = 'a p99 above 0 ms';
  if (!(Number.isInteger(slo.batch) && slo.batch >= 1))
    out.batch = 'a whole batch size of 1 or more';
  if (!(Number.isFinite(slo.minAccuracy) && slo.minAccuracy >= 0 && slo.minAccuracy <= 1))
    out.minAccuracy = 'an accuracy from 0% to 100%';
  return out;
}

/** Checks one cell against `slo` (see {@link SloVerdict}). */
export function checkSlo(cell: SloCell, slo: Slo): SloVerdict {
  if (cell.batch !== slo.batch) {
    return {
      applies: false,
      pass: false,
      reasons: [`measured at batch ${cell.batch}; the objective is stated at batch ${slo.batch}`],
    };
  }
  const reasons: string[] = [];
  if (!(cell.p99 <= slo.p99Ms)) reasons.push(`p99 ${ms(cell.p99)} is above ${ms(slo.p99Ms)}`);
  if (cell.accuracy === undefined || !Number.isFinite(cell.accuracy))
    reasons.push('its accuracy is unknown');
  else if (cell.accuracy < slo.minAccuracy)
    reasons.push(`accuracy ${pct(cell.accuracy)} is below ${pct(slo.minAccuracy)}`);
  return { applies: true, pass: reasons.length === 0, reasons };
}

/** What `bestBatchUnderP99` compares. */
export type ThroughputCell = { batch: number; p99: number; throughputPerSec: number };

/**
 * The batching trade-off: of the cells whose p99 is within `p99Ms`, the one with the highest
 * throughput (ties: the smaller batch). null when none is within the budget.
 */
export function bestBatchUnderP99<T extends ThroughputCell>(
  cells: readonly T[],
  p99Ms: number,
): T | null {
  let best: T | null = null;
  for (const c of cells) {
    if (!(c.p99 <= p99Ms)) continue;
    if (
      !best ||
      c.throughputPerSec > best.throughputPerSec ||
      (c.throughputPerSec === best.throughputPerSec && c.batch < best.batch)
    )
      best = c;
  }
  return best;
}
