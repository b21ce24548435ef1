/**
 * Data drift with Evidently's rules and numbers (its legacy stattests; scipy 1.10 underneath):
 * the default test per column, its threshold, and the dataset-level verdict. The pieces live in
 * drift-column.ts (one column), drift-rules.ts (which test, which threshold), drift-tests.ts
 * (chi-square, Z), drift-distances.ts (Wasserstein, Jensen-Shannon, PSI), drift-binning.ts,
 * stats-ks.ts (KS) and cbpe.ts; all are re-exported here, so callers import from this module.
 */
import { driftTest, type DriftResult, type PreparedReference } from './drift-column';
import type { Category } from './drift-input';
import type { DriftKind } from './drift-rules';

export { driftTest, prepareReference } from './drift-column';
export type { DriftEvidence, DriftResult, PreparedReference } from './drift-column';
export * from './drift-rules';
export { ksTest, ksTestSorted, KS_MAX_EXACT_N } from './stats-ks';
export type { KsResult } from './stats-ks';
export { kolmogorovSf, smirnovSf } from './stats-kolmogorov';
export { chiSquareTest, zTest } from './drift-tests';
export type { ChiSquareResult, ZTestResult } from './drift-tests';
export {
  jensenShannon,
  jensenShannonDetails,
  psi,
  psiDetails,
  wassersteinDetails,
  wassersteinNormed,
} from './drift-distances';
export type { BinnedScore, WassersteinResult } from './drift-distances';
export { MAX_VALUES_FOR_PER_VALUE_BINS, sturgesEdges } from './drift-binning';
export type { Binning } from './drift-binning';
export type { Category } from './drift-input';
export { cbpeAccuracy, fitCalibrator, calibrateConfidence } from './cbpe';
export type { Calibrator } from './cbpe';

/** A column to test: a name for the UI, both samples and the column type. */
export type DriftColumn = {
  name?: string;
  ref: ArrayLike<Category> | PreparedReference;
  cur: ArrayLike<Category>;
  kind: DriftKind;
};

export type DatasetDriftResult = {
  columns: (DriftResult & { name: string })[];
  driftedCount: number;
  /** driftedCount / number of columns. */
  driftedShare: number;
  /** The share at or above which the dataset counts as drifted. */
  share: number;
  drifted: boolean;
};

/**
 * Evidently's dataset drift (`legacy/calculations/data_drift.py::get_dataset_drift`): each column with its default
 * test; the dataset has drifted when (drifted columns / columns) >= share (default 0.5). This is
 * why 64 features tested at 0.05 do not raise an alert on chance hits alone.
 * @throws Error when there are no columns, the share is outside (0, 1], or a column is bad
 *   (the message names the column).
 */
export function datasetDrift(columns: DriftColumn[], share = 0.5): DatasetDriftResult {
  if (columns.length === 0) throw new Error('datasetDrift: no columns to test');
  if (!(share > 0 && share <= 1)) {
    throw new Error(`datasetDrift: share must be in (0, 1], got ${share}`);
  }
  const results = columns.map((c, i) => {
    const name = c.name ?? `column ${i}`;
    try {
      return { name, ...driftTest(c.ref, c.cur, c.kind) };
    } catch (e) {
      throw new Error(`datasetDrift: ${name}: ${(e as Error).message}`, { cause: e });
    }
  });
  const driftedCount = results.filter((r) => r.drifted).length;
  const driftedShare = driftedCount / columns.length;
  return { columns: results, driftedCount, driftedShare, share, drifted: driftedShare >= share };
}
