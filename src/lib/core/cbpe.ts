/**
 * Confidence-based performance estimation (CBPE): before labels arrive, a calibrated model's
 * expected accuracy on a window is the mean of its top-label confidence. It holds under covariate
 * shift (the model is still calibrated for the inputs it sees) and fails under concept drift (the
 * relation between inputs and labels changed, so the confidences are no longer honest, and
 * nothing without labels can tell).
 *
 * Calibration: isotonic regression of "top label is right" (0/1) on the top-label confidence,
 * fitted on the validation split, with scikit-learn 1.2's `IsotonicRegression(y_min=0, y_max=1,
 * out_of_bounds='clip')` conventions: rows sorted by confidence, equal confidences (within 1e-15)
 * merged into their weighted mean, pool-adjacent-violators, prediction by linear interpolation
 * between the fitted points and clipping outside them.
 */
import { checkClassCount, checkLabels } from './metric-inputs';

/** A fitted calibration map from top-label confidence to expected accuracy. Plain data. */
export type Calibrator = {
  kind: 'isotonic';
  /** Ascending confidences (the fitted points' x). */
  x: number[];
  /** Calibrated confidence at each x: non-decreasing, in [0, 1]. */
  y: number[];
  /** Validation rows it was fitted on. */
  samples: number;
};

function checkProbabilities(fn: string, p: ArrayLike<number>, nClasses: number): number {
  checkClassCount(fn, nClasses);
  if (p.length === 0) throw new Error(`${fn}: empty probabilities`);
  if (p.length % nClasses !== 0) {
    throw new Error(`${fn}: ${p.length} probabilities do not split into rows of ${nClasses}`);
  }
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw new Error(`${fn}: probabilities[${i}] is ${p[i]}, expected a number in [0, 1]`);
    }
  }
  return p.length / nClasses;
}

/** Row r's top label (first arg-max) and its probability. */
function topLabel(p: ArrayLike<number>, r: number, k: number): [number, number] {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + best]) best = c;
  return [best, p[r * k + best]];
}

/** Weighted pool-adjacent-violators: the non-decreasing fit minimising weighted squared error. */
function pav(y: number[], w: number[]): number[] {
  const mean: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < y.length; i++) {
    mean.push(y[i]);
    weight.push(w[i]);
    size.push(1);
    while (mean.length > 1 && mean[mean.length - 2] >= mean[mean.length - 1]) {
      const m2 = mean.pop() as number;
      const w2 = weight.pop() as number;
      const s2 = size.pop() as number;
      const last = mean.length - 1;
      const wt = weight[last] + w2;
      mean[last] = (mean[last] * weight[last] + m2 * w2) / wt;
      weight[last] = wt;
      size[last] += s2;
    }
  }
  const out: number[] = [];
  mean.forEach((m, b) => {
    for (let i = 0; i < size[b]; i++) out.push(m);
  });
  return out;
}

/**
 * Fits an isotonic calibrator on the validation split (see the file comment).
 * @param valProbs row-major `[n, nClasses]` probabilities, each in [0, 1].
 * @param valLabels n integer labels in `[0, nClasses)`.
 * @param nClasses number of classes (>= 2).
 * @throws Error on empty input, a shape mismatch, a bad probability or label.
 */
export function fitCalibrator(
  valProbs: ArrayLike<number>,
  valLabels: ArrayLike<number>,
  nClasses: number,
): Calibrator {
  const fn = 'fitCalibrator';
  const n = checkProbabilities(fn, valProbs, nClasses);
  if (valLabels.length !== n) {
    throw new Error(`${fn}: ${valLabels.length} labels for ${n} rows of probabilities`);
  }
  checkLabels(fn, valLabels, 'valLabels', nClasses);
  const rows = Array.from({ length: n }, (_, r) => {
    const [label, conf] = topLabel(valProbs, r, nClasses);
    return { conf, right: label === valLabels[r] ? 1 : 0 };
  });
  rows.sort((a, b) => a.conf - b.conf || a.right - b.right);
  // Merge equal confidences (scikit-learn merges x closer than float64 resolution, 1e-15).
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const { conf, right } of rows) {
    const last = xs.length - 1;
    if (last >= 0 && conf - xs[last] < 1e-15) {
      ys[last] += right;
      ws[last] += 1;
    } else {
      xs.push(conf);
      ys.push(right);
      ws.push(1);
    }
  }
  const fitted = pav(
    ys.map((s, i) => s / ws[i]),
    ws,
  ).map((v) => Math.min(1, Math.max(0, v)));
  return { kind: 'isotonic', x: xs, y: fitted, samples: n };
}

/**
 * Maps a top-label confidence to a calibrated one: clipped to the fitted range, then linear
 * interpolation between fitted points (numpy `interp`).
 * @param confidence a probability in [0, 1].
 * @returns a probability in [0, 1].
 */
export function calibrateConfidence(calibrator: Calibrator, confidence: number): number {
  const { x, y } = calibrator;
  if (!(confidence >= 0 && confidence <= 1)) {
    throw new Error(`calibrateConfidence: confidence ${confidence} is not in [0, 1]`);
  }
  if (confidence <= x[0]) return y[0];
  if (confidence >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= confidence) lo = mid;
    else hi = mid;
  }
  const t = (confidence - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}

/**
 * CBPE expected accuracy of a window: the mean over rows of the top-label confidence, passed
 * through `calibrator` when given (give one: raw network confidences are usually overconfident).
 * @param probabilities row-major `[n, nClasses]`, each in [0, 1].
 * @returns a fraction in [0, 1]; compare with the real accuracy once labels arrive.
 * @throws Error on empty input, a shape mismatch or a probability outside [0, 1].
 */
export function cbpeAccuracy(
  probabilities: ArrayLike<number>,
  nClasses: number,
  calibrator?: Calibrator,
): number {
  const n = checkProbabilities('cbpeAccuracy', probabilities, nClasses);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const conf = topLabel(probabilities, r, nClasses)[1];
    sum += calibrator ? calibrateConfidence(calibrator, conf) : conf;
  }
  return sum / n;
}
