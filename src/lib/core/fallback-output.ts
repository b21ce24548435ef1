/**
 * The cheap validity check every answer passes before it is returned: a corrupt model (or a
 * runtime bug) can answer fast and confidently with garbage, which neither a timeout nor an error
 * catches. Valid probabilities are finite, each in [0, 1], and each row sums to 1 within a
 * tolerance (1e-3 by default: float32 softmax rows are off by about 1e-7; fp16 and int8 models
 * by up to about 1e-4).
 */

/** The default tolerance on a row's sum (absolute). */
export const ROW_SUM_TOLERANCE = 1e-3;

/**
 * Why `[rows, nClasses]` probabilities are not valid, naming the first bad row and value, or null
 * when they are. O(values), no allocation.
 * @param probabilities row-major `[rows, nClasses]`.
 * @param tolerance largest allowed |row sum - 1|.
 */
export function outputProblem(
  probabilities: ArrayLike<number>,
  nClasses: number,
  tolerance = ROW_SUM_TOLERANCE,
): string | null {
  if (!(Number.isInteger(nClasses) && nClasses >= 1))
    return `nClasses must be a whole number >= 1, got ${nClasses}`;
  const n = probabilities.length;
  if (n === 0 || n % nClasses !== 0)
    return `${n} values is not a whole number of rows of ${nClasses} classes`;
  for (let start = 0; start < n; start += nClasses) {
    const row = start / nClasses;
    let sum = 0;
    for (let c = 0; c < nClasses; c++) {
      const p = probabilities[start + c];
      if (!Number.isFinite(p)) return `row ${row}, class ${c} is ${p}, not a finite number`;
      if (p < 0 || p > 1) return `row ${row}, class ${c} is ${p}, outside [0, 1]`;
      sum += p;
    }
    if (Math.abs(sum - 1) > tolerance)
      return `row ${row} sums to ${+sum.toFixed(4)}, not 1 (tolerance ${tolerance})`;
  }
  return null;
}
