/**
 * The per-request draws of drift scenarios that do not touch features (re-exported by
 * scenarios.ts): which pool row is drawn (prior shift), the true label (concept drift), and when
 * it arrives (delayed labels). Times are simulated ms.
 */
import type { Rng } from './rng';
import type { ScenarioSet } from './scenarios';
import { intensity, type Scenario } from './sim-scenario-types';

/** Whether a discrete effect hits this request at strength s (draws only while ramping). */
const hits = (s: number, rng: Rng): boolean => s >= 1 || rng.next() < s;

/**
 * The pool row a request draws, after prior shift: with probability s (the strength of the
 * last active prior-shift scenario) a class is drawn by its weights and a row uniformly within
 * it; otherwise the traffic's own uniform draw `row` stays. At full strength the class mix is
 * exactly the weights; while ramping it is the mixture (1 - s) pool mix + s weights.
 */
export function sampleRow(set: ScenarioSet, row: number, timeMs: number, rng: Rng): number {
  let active: Extract<Scenario, { kind: 'prior-shift' }> | null = null;
  let s = 0;
  for (const sc of set.scenarios) {
    if (sc.kind !== 'prior-shift') continue;
    const k = intensity(sc, timeMs);
    if (k > 0) [active, s] = [sc, k];
  }
  if (!active || !hits(s, rng)) return row;
  const w = active.params.classWeights;
  let u = rng.next() * w.reduce((a, b) => a + b, 0);
  let c = -1;
  for (let k = 0; k < w.length; k++) {
    if (w[k] === 0) continue;
    c = k; // the last class with weight > 0 absorbs rounding at the top
    if ((u -= w[k]) < 0) break;
  }
  const rows = set.rowsByClass[c];
  return rows[rng.int(rows.length)];
}

/** The true label after concept drift (each active relabel in order). */
export function labelFor(set: ScenarioSet, label: number, timeMs: number, rng: Rng): number {
  for (const sc of set.scenarios) {
    if (sc.kind !== 'relabel' || label !== sc.params.from) continue;
    const s = intensity(sc, timeMs);
    if (s > 0 && rng.next() < s * sc.params.share) label = sc.params.to;
  }
  return label;
}

/**
 * When the ground truth of a request made at `timeMs` reaches the monitor (simulated ms), or
 * null when it never does. Without an active delayed-labels scenario, labels arrive at once;
 * with one (the last active wins) at strength s: missing with probability s (1 - fraction),
 * otherwise after s x delaySeconds.
 */
export function labelArrival(set: ScenarioSet, timeMs: number, rng: Rng): number | null {
  let delay = 0;
  let missing = 0;
  for (const sc of set.scenarios) {
    if (sc.kind !== 'delayed-labels') continue;
    const s = intensity(sc, timeMs);
    if (s > 0) [delay, missing] = [s * sc.params.delaySeconds * 1000, s * (1 - sc.params.fraction)];
  }
  if (missing > 0 && rng.next() < missing) return null;
  return timeMs + delay;
}
