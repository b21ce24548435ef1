/**
 * Calibration: does a model that says "90% sure" turn out right 90% of the time? Top-label
 * reliability bins and the expected calibration error (ECE) built from them.
 */
import { checkLabels } from './metric-inputs';

/** One equal-width confidence bin `(lower, upper]` of a reliability diagram. */
export type ReliabilityBin = {
  lower: number;
  upper: number;
  /** Rows whose top-label confidence falls in the bin. */
  count: number;
  /** Mean top-label confidence of those rows; 0 when `count` is 0. */
  meanConfidence: number;
  /** Share of those rows whose top label is right; 0 when `count` is 0. */
  accuracy: number;
};

/**
 * Bin `b` holds confidences in `(b / nBins, (b + 1) / nBins]`; 0 joins bin 0. Edges are computed
 * as `i / nBins` (not accumulated steps) so that 0.3 lands in `(0.2, 0.3]` exactly as numpy's
 * `searchsorted(np.arange(nBins + 1) / nBins, c, 'left') - 1` puts it (the fixture's reference).
 */
function binOf(c: number, nBins: number): number {
  let b = Math.min(nBins - 1, Math.max(0, Math.ceil(c * nBins) - 1));
  // c * nBins can round across an edge; settle against the exact edges.
  while (b > 0 && c <= b / nBins) b--;
  while (b < nBins - 1 && c > (b + 1) / nBins) b++;
  return b;
}

/**
 * Top-label reliability diagram: each row's predicted class is the first arg-max of its
 * probabilities, its confidence that maximum; rows are grouped into `nBins` equal-width bins over
 * (0, 1] (see the bin convention above: bin b is `(b / nBins, (b + 1) / nBins]`, 0 joins bin 0).
 * @param yTrue integer labels in `[0, nClasses)`, one per row.
 * @param probabilities row-major `[n, nClasses]`, `nClasses = probabilities.length / n >= 2`
 *   (binary models give both columns); each value finite in [0, 1]. Rows need not sum to 1 exactly.
 * @param nBins a positive integer (10 and 15 are usual).
 * @returns `nBins` bins in ascending order; counts sum to n.
 * @throws Error on empty input, a shape mismatch, a label out of range, or a probability that is
 *   NaN, infinite or outside [0, 1] (naming its index).
 */
export function reliabilityDiagram(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  nBins: number,
): ReliabilityBin[] {
  const fn = 'reliabilityDiagram';
  const n = yTrue.length;
  if (n === 0 || probabilities.length === 0) {
    throw new Error(
      `${fn}: empty input (yTrue has ${n} rows, probabilities ${probabilities.length} values)`,
    );
  }
  const k = probabilities.length / n;
  if (!Number.isInteger(k) || k < 2) {
    throw new Error(
      `${fn}: probabilities has ${probabilities.length} values for ${n} rows; expected ` +
        `row-major [n, nClasses] with nClasses >= 2 (give binary models both columns)`,
    );
  }
  if (!Number.isInteger(nBins) || nBins < 1) {
    throw new Error(`${fn}: nBins must be a positive integer, got ${nBins}`);
  }
  checkLabels(fn, yTrue, 'yTrue', k);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) {
      throw new Error(`${fn}: probabilities[${i}] is ${p}, expected a number in [0, 1]`);
    }
  }

  const count = new Array<number>(nBins).fill(0);
  const confSum = new Array<number>(nBins).fill(0);
  const right = new Array<number>(nBins).fill(0);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < k; c++)
      if (probabilities[r * k + c] > probabilities[r * k + best]) best = c;
    const conf = probabilities[r * k + best];
    const b = binOf(conf, nBins);
    count[b]++;
    confSum[b] += conf;
    if (best === yTrue[r]) right[b]++;
  }
  return count.map((c, b) => ({
    lower: b / nBins,
    upper: (b + 1) / nBins,
    count: c,
    meanConfidence: c === 0 ? 0 : confSum[b] / c,
    accuracy: c === 0 ? 0 : right[b] / c,
  }));
}

/**
 * Top-label expected calibration error: `sum_b (count_b / n) * |accuracy_b - meanConfidence_b|`
 * over the bins of `reliabilityDiagram` (same arguments, same bin convention). In [0, 1];
 * 0 is perfectly calibrated. It depends on `nBins`: compare ECEs only at the same `nBins`.
 * @throws Error as `reliabilityDiagram`.
 */
export function expectedCalibrationError(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  nBins: number,
): number {
  const bins = reliabilityDiagram(yTrue, probabilities, nBins);
  const n = yTrue.length;
  let ece = 0;
  for (const b of bins) ece += (b.count / n) * Math.abs(b.accuracy - b.meanConfidence);
  return ece;
}
