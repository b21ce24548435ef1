/**
 * Drift scenarios applied to simulated traffic, as pure transforms (sim-scenario-types.ts lists
 * them). Per request, in this order: `sampleRow` (prior shift re-draws the pool row),
 * `applyScenarios` (the features the model sees), `labelFor` (the true label, after concept
 * drift), `labelArrival` (when ground truth reaches the monitor). Draws come from the `rng`
 * passed in; give each request its own (`requestRngs` in sim-random.ts) to make a run replay
 * exactly from any time. Scenarios compose in the order given.
 */
import type { Rng } from './rng';
import { addNoise, brighten, PIXELS, rotate, thicken, translate } from './sim-image';
import { checkScenario } from './sim-scenario-check';
import {
  intensity,
  type DatasetKind,
  type ImageTransform,
  type Scenario,
} from './sim-scenario-types';

export * from './sim-scenario-types';
export { labelArrival, labelFor, sampleRow } from './sim-scenario-draws';

/** What scenarios act on: the data set's layout and the source pool's labels. */
export type ScenarioContext = {
  dataset: DatasetKind;
  features: number;
  nClasses: number;
  /** Label of each pool row (the traffic's `row` indexes this). */
  poolLabels: ArrayLike<number>;
};

/** Scenarios checked against their context, with lookup tables. Treat as immutable. */
export type ScenarioSet = {
  readonly scenarios: readonly Scenario[];
  readonly context: ScenarioContext;
  /** Pool rows of each class. */
  readonly rowsByClass: readonly Int32Array[];
  /** Scratch image (the transforms need a separate source). */
  readonly scratch: Float32Array;
};

/**
 * Checks scenarios against the data set and prepares them.
 * @throws Error naming the scenario and field: unknown kind, bad timing, an image transform on
 *   tabular data, a feature or class out of range, prior-shift weights that are negative, of the
 *   wrong length, or that ask for a class the pool lacks.
 */
export function compileScenarios(
  scenarios: readonly Scenario[],
  ctx: ScenarioContext,
): ScenarioSet {
  const counts = new Array<number>(ctx.nClasses).fill(0);
  for (let i = 0; i < ctx.poolLabels.length; i++) counts[ctx.poolLabels[i]]++;
  const rowsByClass = counts.map((n) => new Int32Array(n));
  const fill = new Array<number>(ctx.nClasses).fill(0);
  for (let i = 0; i < ctx.poolLabels.length; i++) {
    const c = ctx.poolLabels[i];
    rowsByClass[c][fill[c]++] = i;
  }
  scenarios.forEach((s, i) => checkScenario(s, i, ctx, counts));
  return {
    scenarios: [...scenarios],
    context: { ...ctx },
    rowsByClass,
    scratch: new Float32Array(PIXELS),
  };
}

/** An image transform at strength s in (0, 1], from `src` into `dst`. */
function transformImage(
  t: ImageTransform,
  s: number,
  src: Float32Array,
  dst: Float32Array,
  rng: Rng,
): void {
  switch (t.kind) {
    case 'brightness':
      return brighten(src, dst, 1 + s * (t.params.factor - 1));
    case 'noise':
      return addNoise(src, dst, s * t.params.std, rng);
    case 'shift':
      return translate(src, dst, s * t.params.dx, s * t.params.dy);
    case 'rotation':
      return rotate(src, dst, s * t.params.degrees, t.params.resample);
    case 'thicker':
      return thicken(src, dst, s * t.params.blend);
  }
}

/** out[0..64) into img; `img.length`, not an imported constant, bounds the hot loop. */
function copyImage(out: Float32Array, img: Float32Array): void {
  for (let i = 0, n = img.length; i < n; i++) img[i] = out[i];
}

/** Whether a discrete effect hits this row at strength s (draws only while ramping). */
const hits = (s: number, rng: Rng): boolean => s >= 1 || rng.next() < s;

/**
 * The features the model sees for one request: `row` copied into `out`, then each active
 * scenario applied in order (covariate shifts, a new writer's style, upstream bugs).
 * @param row the pool row's features (not modified).
 * @param out receives the features; same length as row, a different array.
 * @param timeMs the request's simulated time.
 * @param label the row's true class (a new writer only changes some classes).
 * @returns true when some scenario changed (or may have changed) the row.
 */
export function applyScenarios(
  row: ArrayLike<number>,
  out: Float32Array,
  set: ScenarioSet,
  timeMs: number,
  rng: Rng,
  label = -1,
): boolean {
  const n = set.context.features;
  for (let i = 0; i < n; i++) out[i] = row[i];
  let changed = false;
  const img = set.scratch;
  for (const sc of set.scenarios) {
    const s = intensity(sc, timeMs);
    if (s <= 0) continue;
    switch (sc.kind) {
      case 'brightness':
      case 'noise':
      case 'shift':
      case 'rotation':
      case 'thicker':
        copyImage(out, img);
        transformImage(sc, s, img, out, rng);
        changed = true;
        break;
      case 'new-writer':
        if (!sc.params.classes.includes(label)) break;
        copyImage(out, img);
        transformImage(sc.params.transform, s, img, out, rng);
        changed = true;
        break;
      case 'feature-scale':
        out[sc.params.feature] *= 1 + s * (sc.params.factor - 1);
        changed = true;
        break;
      case 'feature-offset':
        out[sc.params.feature] += s * sc.params.offset;
        changed = true;
        break;
      case 'stuck-at-zero':
        if (hits(s, rng)) [out[sc.params.feature], changed] = [0, true];
        break;
      case 'unit-change':
        if (hits(s, rng))
          [out[sc.params.feature], changed] = [out[sc.params.feature] * sc.params.factor, true];
        break;
      case 'swap-columns':
        if (hits(s, rng)) {
          const { a, b } = sc.params;
          [out[a], out[b], changed] = [out[b], out[a], true];
        }
        break;
      default: // prior shift, relabel and delayed labels do not touch features
    }
  }
  return changed;
}
