/**
 * One column's drift verdict with Evidently's default test (drift-rules.ts) and the evidence
 * behind it. Numerical samples are sorted once and scanned once (stats-merge.ts) for the
 * distinct-value count that picks the test and for the KS or Wasserstein statistic itself.
 */
import type { Binning } from './drift-binning';
import { checkCategories, sortedNumbers, valueCounts, type Category } from './drift-input';
import {
  DEFAULT_THRESHOLDS,
  chooseDriftMethod,
  describeRule,
  isDrifted,
  type DriftKind,
  type DriftMethod,
  type DriftRule,
} from './drift-rules';
import {
  jensenShannonOfCounts,
  jensenShannonSorted,
  populationStd,
  wassersteinSortedDetails,
  type WassersteinResult,
} from './drift-distances';
import {
  chiSquareCounts,
  zTestCounts,
  type ChiSquareResult,
  type ZTestResult,
} from './drift-tests';
import { ksTestSorted, type KsResult } from './stats-ks';
import { mergeScan, type MergeScan } from './stats-merge';

/** The numbers behind a verdict, per method. */
export type DriftEvidence =
  | ({ method: 'ks' } & KsResult)
  | ({ method: 'chisquare' } & ChiSquareResult)
  | ({ method: 'z' } & ZTestResult)
  | ({ method: 'wasserstein' } & WassersteinResult)
  | { method: 'jensenshannon'; score: number; binning: Binning };

export type DriftResult = {
  method: DriftMethod;
  /** p-value (ks, chisquare, z) or distance (wasserstein, jensenshannon). */
  score: number;
  threshold: number;
  drifted: boolean;
  details: { rule: DriftRule; evidence: DriftEvidence };
};

/**
 * A reference column checked and summarised once (sorted, or counted), for monitoring that
 * tests many windows against the same reference. Treat it as immutable.
 */
export type PreparedReference =
  | {
      readonly prepared: 'numerical';
      readonly sorted: Float64Array;
      /** Population standard deviation (ddof = 0), for the normed Wasserstein distance. */
      readonly std: number;
    }
  | {
      readonly prepared: 'categorical';
      readonly counts: Map<Category, number>;
      readonly n: number;
      readonly valueType: 'number' | 'string';
    };

/**
 * Checks and summarises a reference column for `driftTest` (saves re-sorting it per window).
 * @throws Error on an empty sample, NaN, an infinite number (numerical) or mixed types.
 */
export function prepareReference(ref: ArrayLike<Category>, kind: DriftKind): PreparedReference {
  if (kind === 'numerical') {
    const sorted = sortedNumbers('driftTest', ref as ArrayLike<number>, 'ref');
    return { prepared: kind, sorted, std: populationStd(sorted) };
  }
  if (kind === 'categorical') {
    const valueType = checkCategories('driftTest', ref, 'ref');
    return { prepared: kind, counts: valueCounts(ref), n: ref.length, valueType };
  }
  throw new Error(`driftTest: kind must be 'numerical' or 'categorical', got ${String(kind)}`);
}

const isPrepared = (r: ArrayLike<Category> | PreparedReference): r is PreparedReference =>
  typeof r === 'object' && r !== null && 'prepared' in r;

/**
 * One column's drift verdict with Evidently's default test and threshold (drift-rules.ts), and
 * the evidence behind it: sample sizes, distinct values, bins and shares, statistic, threshold.
 * @param ref reference sample (numbers for 'numerical'; numbers or strings for 'categorical'),
 *   or a `prepareReference` result of the same kind.
 * @param cur current window, same type.
 * @param options.threshold overrides the method's default threshold (0.05 or 0.1).
 * @throws Error on an empty sample, NaN, an infinite number, mixed types, or an unknown kind.
 */
export function driftTest(
  ref: ArrayLike<Category> | PreparedReference,
  cur: ArrayLike<Category>,
  kind: DriftKind,
  options: { threshold?: number } = {},
): DriftResult {
  const prepared = isPrepared(ref) ? ref : prepareReference(ref, kind);
  if (prepared.prepared !== kind) {
    throw new Error(`driftTest: the reference was prepared as ${prepared.prepared}, not ${kind}`);
  }
  let nRef: number;
  let nValues: number;
  let evidence: (method: DriftMethod) => DriftEvidence;
  if (prepared.prepared === 'numerical') {
    const { sorted: a, std } = prepared;
    const b = sortedNumbers('driftTest', cur as ArrayLike<number>, 'cur');
    const scan = mergeScan(a, b);
    [nRef, nValues] = [a.length, scan.distinct];
    evidence = (method) => numericalEvidence(method, a, b, scan, std);
  } else {
    const curType = checkCategories('driftTest', cur, 'cur');
    if (curType !== prepared.valueType) {
      throw new Error(
        `driftTest: ref holds ${prepared.valueType}s and cur holds ${curType}s; use one type`,
      );
    }
    const cb = valueCounts(cur);
    const ca = prepared.counts;
    [nRef, nValues] = [prepared.n, new Set([...ca.keys(), ...cb.keys()]).size];
    evidence = (method) => categoricalEvidence(method, ca, cb, prepared.n, cur.length);
  }
  const method = chooseDriftMethod(kind, nRef, nValues);
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS[method];
  if (!(threshold > 0 && threshold < Infinity)) {
    throw new Error(`driftTest: threshold must be a positive number, got ${threshold}`);
  }
  const ev = evidence(method);
  const score =
    ev.method === 'ks' || ev.method === 'chisquare' || ev.method === 'z' ? ev.pValue : ev.score;
  const rule = describeRule(kind, nRef, cur.length, nValues, method, threshold);
  return {
    method,
    score,
    threshold,
    drifted: isDrifted(method, score, threshold),
    details: { rule, evidence: ev },
  };
}

function numericalEvidence(
  method: DriftMethod,
  a: Float64Array,
  b: Float64Array,
  scan: MergeScan,
  referenceStd: number,
): DriftEvidence {
  switch (method) {
    case 'ks':
      return { method, ...ksTestSorted(a, b, scan) };
    case 'wasserstein':
      return { method, ...wassersteinSortedDetails(a, b, scan, referenceStd) };
    case 'jensenshannon':
      return { method, ...jensenShannonSorted(a, b) };
    case 'chisquare':
      return { method, ...chiSquareCounts(valueCounts(a), valueCounts(b), a.length, b.length) };
    case 'z':
      return { method, ...zTestCounts(valueCounts(a), valueCounts(b), a.length, b.length) };
  }
}

function categoricalEvidence(
  method: DriftMethod,
  ca: Map<Category, number>,
  cb: Map<Category, number>,
  nRef: number,
  nCur: number,
): DriftEvidence {
  if (method === 'chisquare') return { method, ...chiSquareCounts(ca, cb, nRef, nCur) };
  if (method === 'z') return { method, ...zTestCounts(ca, cb, nRef, nCur) };
  return { method: 'jensenshannon', ...jensenShannonOfCounts(ca, cb, nRef, nCur) };
}
