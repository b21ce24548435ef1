/**
 * Agreement between a runtime's outputs and the reference forward pass: how far the probabilities
 * drift, and how often the predicted class (top-1) is the same. A runtime outside its tolerance is
 * flagged, not hidden.
 */

/** Result of {@link compareOutputs}. */
export type Agreement = {
  /** Rows compared. */
  rows: number;
  /** Largest |reference - candidate| over every probability (Infinity if the candidate has NaN). */
  maxAbsDiff: number;
  /** Mean |reference - candidate| over every probability (0 for no rows). */
  meanAbsDiff: number;
  /** Fraction of rows whose top-1 class is the same, in [0, 1] (1 for no rows). */
  top1Agreement: number;
};

/** Limits a comparison must meet; a limit that is absent is not checked. */
export type Tolerance = {
  /** Largest allowed max |delta p|. */
  maxAbsDiff?: number;
  /** Smallest allowed top-1 agreement, a fraction in [0, 1]. */
  minTop1?: number;
};

/** The numeric variants a model is served as (quantized variants are built by the optimize step). */
export type ModelVariant = 'fp32' | 'fp16' | 'int8';

/**
 * Tolerances against the fp32 reference forward pass, per variant.
 * - `fp32`: any runtime serving the fp32 model must match to max |delta p| <= 1e-4 with the same
 *   top-1 class on every row (float32 rounding and summation order only).
 * - `fp16`: max |delta p| <= 2e-3; `int8`: top-1 agreement with fp32 >= 98%. Both from
 *   /work/shared/CONTRACTS.md, "Benchmarks (issues: serve, quantize)", "Tolerances".
 */
export const TOLERANCES: Readonly<Record<ModelVariant, Readonly<Tolerance>>> = Object.freeze({
  fp32: Object.freeze({ maxAbsDiff: 1e-4, minTop1: 1 }),
  fp16: Object.freeze({ maxAbsDiff: 2e-3 }),
  int8: Object.freeze({ minTop1: 0.98 }),
});

/**
 * Compares two row-major `[rows, nClasses]` outputs.
 *
 * @throws when the lengths differ or are not a multiple of `nClasses`.
 */
export function compareOutputs(
  reference: Float32Array,
  candidate: Float32Array,
  nClasses: number,
): Agreement {
  if (!Number.isInteger(nClasses) || nClasses < 1)
    throw new Error(`nClasses must be a positive integer (got ${nClasses}).`);
  if (reference.length !== candidate.length)
    throw new Error(
      `The outputs differ in length: ${reference.length} reference values, ${candidate.length} candidate values.`,
    );
  if (reference.length % nClasses !== 0)
    throw new Error(`${reference.length} values do not split into rows of ${nClasses}.`);
  const rows = reference.length / nClasses;
  let max = 0;
  let sum = 0;
  let same = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * nClasses;
    let refBest = 0;
    let candBest = 0;
    for (let j = 0; j < nClasses; j++) {
      const a = reference[base + j];
      const b = candidate[base + j];
      let d = Math.abs(a - b);
      if (Number.isNaN(d)) d = Infinity;
      if (d > max) max = d;
      sum += d;
      if (a > reference[base + refBest]) refBest = j;
      if (b > candidate[base + candBest]) candBest = j;
    }
    if (refBest === candBest && !Number.isNaN(candidate[base + candBest])) same++;
  }
  return {
    rows,
    maxAbsDiff: max,
    meanAbsDiff: rows === 0 ? 0 : sum / reference.length,
    top1Agreement: rows === 0 ? 1 : same / rows,
  };
}

/** Why a comparison misses its tolerance, one sentence per limit broken (empty when it passes). */
export function toleranceProblems(result: Agreement, tolerance: Tolerance): string[] {
  const problems: string[] = [];
  const { maxAbsDiff, minTop1 } = tolerance;
  if (maxAbsDiff !== undefined && !(result.maxAbsDiff <= maxAbsDiff))
    problems.push(`max |delta p| ${result.maxAbsDiff.toExponential(2)} exceeds ${maxAbsDiff}`);
  if (minTop1 !== undefined && !(result.top1Agreement >= minTop1))
    problems.push(
      `top-1 agreement ${(result.top1Agreement * 100).toFixed(2)}% is below ${(minTop1 * 100).toFixed(2)}%`,
    );
  return problems;
}

/** True when `result` meets every limit in `tolerance`. */
export function withinTolerance(result: Agreement, tolerance: Tolerance): boolean {
  return toleranceProblems(result, tolerance).length === 0;
}
