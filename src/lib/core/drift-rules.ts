/**
 * Evidently's rules for one column (legacy stattests, `registry.py::_get_default_stattest` and
 * each test's own file): which test runs, its default threshold, and which side of the threshold
 * counts as drift. Plain data and small functions, so the UI can show the rule it applied.
 */

export type DriftKind = 'numerical' | 'categorical';
export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';

/** Evidently's default thresholds: 0.05 on p-values, 0.1 on distances. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
};

/** Above this many reference rows Evidently switches from tests (p-values) to distances. */
export const MAX_ROWS_FOR_P_VALUE_TESTS = 1000;
/** Up to this many distinct values (both samples together) a numerical column counts as discrete. */
export const MAX_VALUES_FOR_DISCRETE = 5;

/** Why a test was chosen, and how its score is judged. */
export type DriftRule = {
  kind: DriftKind;
  referenceSize: number;
  currentSize: number;
  /** Distinct values in reference and current together (pandas nunique of the concatenation). */
  uniqueValues: number;
  /** KS drifts at p <= t (ks_stattest.py), chi-square and Z at p < t, distances at >= t. */
  comparison: 'p <= threshold' | 'p < threshold' | 'distance >= threshold';
  /** One sentence for the UI. */
  text: string;
};

export const METHOD_NAMES: Readonly<Record<DriftMethod, string>> = {
  ks: 'Kolmogorov-Smirnov p-value',
  chisquare: 'chi-square p-value',
  z: 'Z-test p-value',
  wasserstein: 'Wasserstein distance (normed)',
  jensenshannon: 'Jensen-Shannon distance',
};

/**
 * Evidently's default test (`registry.py::_get_default_stattest`), with n_values = distinct
 * values of reference and current together:
 * - reference rows <= 1000: numerical with n_values > 5: KS; otherwise (numerical with <= 5
 *   values, or categorical) chi-square when n_values > 2, else the Z test;
 * - reference rows > 1000: numerical with n_values > 5: normed Wasserstein; otherwise
 *   Jensen-Shannon.
 */
export function chooseDriftMethod(
  kind: DriftKind,
  referenceSize: number,
  nValues: number,
): DriftMethod {
  const continuous = kind === 'numerical' && nValues > MAX_VALUES_FOR_DISCRETE;
  if (referenceSize <= MAX_ROWS_FOR_P_VALUE_TESTS) {
    return continuous ? 'ks' : nValues > 2 ? 'chisquare' : 'z';
  }
  return continuous ? 'wasserstein' : 'jensenshannon';
}

/** The comparison each method's own file applies. */
export function comparisonOf(method: DriftMethod): DriftRule['comparison'] {
  if (method === 'ks') return 'p <= threshold';
  if (method === 'chisquare' || method === 'z') return 'p < threshold';
  return 'distance >= threshold';
}

/**
 * Whether a score is drift: ks_stattest.py `p_value <= threshold`; chisquare_stattest.py and
 * z_stattest.py `p_value < threshold`; wasserstein_distance_norm.py and jensenshannon.py
 * `value >= threshold`.
 */
export function isDrifted(method: DriftMethod, score: number, threshold: number): boolean {
  const comparison = comparisonOf(method);
  if (comparison === 'p <= threshold') return score <= threshold;
  if (comparison === 'p < threshold') return score < threshold;
  return score >= threshold;
}

/** The rule record behind a verdict, with a sentence for the UI. */
export function describeRule(
  kind: DriftKind,
  nRef: number,
  nCur: number,
  nValues: number,
  method: DriftMethod,
  threshold: number,
): DriftRule {
  const comparison = comparisonOf(method);
  const rows = nRef <= MAX_ROWS_FOR_P_VALUE_TESTS ? '<=' : '>';
  const values =
    kind === 'numerical'
      ? `${nValues} distinct values (${nValues > MAX_VALUES_FOR_DISCRETE ? '>' : '<='} ${MAX_VALUES_FOR_DISCRETE})`
      : `${nValues} categories`;
  const verdict = comparison.replace('threshold', String(threshold)).replace(/^p /, 'p-value ');
  const text =
    `Reference has ${nRef} rows (${rows} ${MAX_ROWS_FOR_P_VALUE_TESTS}) and the column is ` +
    `${kind} with ${values}: ${METHOD_NAMES[method]}; drift when ${verdict}.`;
  return { kind, referenceSize: nRef, currentSize: nCur, uniqueValues: nValues, comparison, text };
}
