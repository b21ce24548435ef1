/**
 * Sample images of drifted digits for the Operate screen: a few test-split rows as the model was
 * trained to see them, and the same rows after the scenarios at full strength (the features the
 * endpoint would receive). Pure: the rows and scenarios come in, images go out.
 */
import { createRng } from '../core/rng';
import { applyScenarios, compileScenarios, type Scenario } from '../core/scenarios';

export type DigitPreview = {
  /** Simulated time the scenarios are shown at (every one at full strength), ms. */
  atMs: number;
  /** Class of each example. */
  labels: number[];
  reference: Float32Array[];
  drifted: Float32Array[];
};

/** The first test row of each of these classes is shown. */
const CLASSES = [0, 2, 3, 5, 7, 8];

/**
 * @param x the production pool's features [rows, 64]; y its labels.
 * @returns null when no scenario changes the inputs (nothing to compare).
 */
export function digitPreview(
  x: Float32Array,
  y: ArrayLike<number>,
  scenarios: readonly Scenario[],
  seed: number,
): DigitPreview | null {
  const set = compileScenarios(scenarios, {
    dataset: 'digits',
    features: 64,
    nClasses: 10,
    poolLabels: y,
  });
  const atMs = Math.max(0, ...scenarios.map((s) => s.startMs + s.rampMs));
  const out: DigitPreview = { atMs, labels: [], reference: [], drifted: [] };
  let changed = false;
  for (const c of CLASSES) {
    const r = Array.prototype.findIndex.call(y, (v: number) => v === c);
    if (r < 0) continue;
    const row = x.subarray(r * 64, (r + 1) * 64);
    const img = new Float32Array(64);
    // A fixed generator per example: the preview does not flicker between redraws.
    changed = applyScenarios(row, img, set, atMs, createRng(seed * 31 + c), c) || changed;
    out.labels.push(c);
    out.reference.push(Float32Array.from(row));
    out.drifted.push(img);
  }
  return changed ? out : null;
}
