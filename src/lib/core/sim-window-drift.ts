/**
 * Drift of one monitoring window: Evidently's dataset drift (`datasetDrift`, each column with
 * its default test) between the prepared reference columns and the window's reservoir sample,
 * and prediction drift between the reference predictions and the sample's predicted classes.
 * The tests see the sample, not the whole window: their verdicts and power are those of a
 * sample of that size (at most `driftSampleSize` rows), which also bounds the cost per window.
 */
import { datasetDrift, driftTest, type DatasetDriftResult, type PreparedReference } from './drift';
import type { DriftKind } from './drift-rules';
import type { WindowDrift, WindowSummary } from './sim-monitor-types';
import type { WindowAccumulator } from './sim-window';

/**
 * @param options.share the dataset-drift share threshold; options.minRows: fewer sampled rows
 *   give no verdict (null); options.onDetails receives the full result (rules and evidence).
 */
export function windowDrift(
  acc: WindowAccumulator,
  refs: readonly PreparedReference[],
  kinds: readonly DriftKind[],
  names: readonly string[],
  refPredictions: PreparedReference | null,
  options: { share: number; minRows: number; onDetails?: (d: DatasetDriftResult) => void },
): Pick<WindowSummary, 'drift' | 'predictionDrift'> {
  const m = acc.sampleRows;
  if (m < options.minRows) return { drift: null, predictionDrift: null };
  const f = acc.features;
  const columns = refs.map((ref, j) => {
    const cur = new Float64Array(m);
    for (let r = 0; r < m; r++) cur[r] = acc.sample[r * f + j];
    return { name: names[j], ref, cur, kind: kinds[j] };
  });
  const result = datasetDrift(columns, options.share);
  options.onDetails?.(result);
  const drift: WindowDrift = {
    rows: m,
    driftedCount: result.driftedCount,
    driftedShare: result.driftedShare,
    share: result.share,
    drifted: result.drifted,
    methods: result.columns.map((c) => c.method),
    scores: result.columns.map((c) => c.score),
    thresholds: result.columns.map((c) => c.threshold),
    flags: result.columns.map((c) => c.drifted),
  };
  if (!refPredictions) return { drift, predictionDrift: null };
  const p = driftTest(refPredictions, acc.samplePredicted.subarray(0, m), 'categorical');
  return {
    drift,
    predictionDrift: {
      method: p.method,
      score: p.score,
      threshold: p.threshold,
      drifted: p.drifted,
    },
  };
}
