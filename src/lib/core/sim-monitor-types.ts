/**
 * Types of the monitoring over simulated time (monitor.ts): what goes in per request, what
 * comes out per window, and the alert rules' thresholds. Times are simulated ms; rates are
 * fractions in [0, 1] unless a name says "points" (percentage points) or "ms".
 */
import type { Calibrator } from './cbpe';
import type { DriftKind, DriftMethod } from './drift-rules';
import type { LatencySummary } from './latency';

/** How a request ended: answered, failed in the model server, or refused by input validation. */
export type Outcome = 'ok' | 'error' | 'rejected';

/** One request as the monitor sees it. A caller may reuse one object for every call. */
export type Observation = {
  /** Simulated arrival time; non-decreasing across calls (within the open window at least). */
  timeMs: number;
  /** Default 'ok'. Only 'ok' requests count towards predictions, drift and labels. */
  outcome?: Outcome;
  /** The features the model saw ('ok' only; `features` values per row). */
  features?: ArrayLike<number>;
  /** Where the row starts in `features` (default 0), to pass a batch without copying. */
  featuresOffset?: number;
  /** Predicted class ('ok' only). */
  predicted?: number;
  /** Top-label probability before calibration, in [0, 1] ('ok' only). */
  confidence?: number;
  /** Simulated latency (queue wait + service time), ms; counted for every outcome. */
  latencyMs?: number;
  /** The true label, if it ever arrives (omit otherwise). */
  label?: number;
  /** When the label arrives; default: at once (timeMs). */
  labelAtMs?: number;
};

/** Learner-settable alert thresholds; a rule fires once when breached, resolves once when clear. */
export type AlertThresholds = {
  /** Data drift: share of drifted features >= this (Evidently's dataset drift; default 0.5). */
  driftShare: number;
  /**
   * Accuracy on the labels that arrived in the window more than this many points below the
   * reference accuracy (default 5).
   */
  accuracyDropPoints: number;
  /** CBPE estimate more than this many points below the reference accuracy (default 5). */
  cbpeDropPoints: number;
  /** p99 latency above this, ms (default 100). */
  p99LatencyMs: number;
  /** errors / requests above this (default 0.01). */
  errorRate: number;
  /** The accuracy rule waits for at least this many labels in a window (default 50). */
  minLabels: number;
};

export const DEFAULT_ALERT_THRESHOLDS: Readonly<AlertThresholds> = Object.freeze({
  driftShare: 0.5,
  accuracyDropPoints: 5,
  cbpeDropPoints: 5,
  p99LatencyMs: 100,
  errorRate: 0.01,
  minLabels: 50,
});

export type MonitorConfig = {
  /** Fixed window length, simulated ms (> 0). */
  windowMs: number;
  /** Start of window 0, simulated ms (default 0). */
  startMs?: number;
  features: number;
  nClasses: number;
  featureNames?: readonly string[];
  /** Per feature, default all 'numerical'. */
  featureKinds?: readonly DriftKind[];
  /**
   * Reference rows, row-major [rows, features]: the data the model was trained on. Its size
   * picks Evidently's tests: up to 1,000 rows KS / chi-square / Z p-values, above that
   * Wasserstein / Jensen-Shannon distances.
   */
  reference: ArrayLike<number>;
  /** The model's predicted classes on the reference rows: enables prediction drift. */
  referencePredictions?: ArrayLike<number>;
  /** The model's accuracy before deployment (a fraction, e.g. on the holdout). */
  referenceAccuracy: number;
  /** Fitted on the validation split (fitCalibrator); without it CBPE uses raw confidences. */
  calibrator?: Calibrator;
  /**
   * At most this many served rows per window are kept (reservoir sampling, uniform over the
   * window) for the drift tests. Evidently's rules are applied to the sample, so the test and
   * its power depend on the sample size, not on the window's traffic. Default 2,000; with a
   * reference of at most 1,000 rows (KS p-values) the reference's row count instead: exact KS
   * on equal sizes is a closed form, O(n), while unequal sizes count lattice paths, O(D n1 n2),
   * about 150 ms per window for 64 drifted features at 900 x 2,000 rows.
   */
  driftSampleSize?: number;
  /** Windows with fewer sampled rows get no drift verdict (default 30). */
  minDriftRows?: number;
  /** Equal-width bins of the confidence histogram over [0, 1] (default 10). */
  confidenceBins?: number;
  thresholds?: Partial<AlertThresholds>;
  /** Seeds the reservoir sampling (per window, so windows replay independently). */
  seed: number;
};

/** Drift of one window's sample against the reference, compact (details: monitor.lastDrift). */
export type WindowDrift = {
  /** Rows tested (the sample). */
  rows: number;
  driftedCount: number;
  driftedShare: number;
  /** The dataset-drift share threshold in force. */
  share: number;
  drifted: boolean;
  /** Per feature: method, score (p-value or distance), threshold, verdict. */
  methods: DriftMethod[];
  scores: number[];
  thresholds: number[];
  flags: boolean[];
};

/** Labels counted for accuracy: how many, how many the model got right, and the share. */
export type LabelTally = { labels: number; correct: number; accuracy: number | null };

export type WindowSummary = {
  index: number;
  startMs: number;
  endMs: number;
  requests: number;
  /** requests per simulated second. */
  ratePerSecond: number;
  errors: number;
  rejections: number;
  /** errors / requests (null without requests). */
  errorRate: number | null;
  rejectionRate: number | null;
  latency: LatencySummary | null;
  /** Predicted-class counts. */
  classMix: number[];
  /** Counts of raw top-label confidence per equal-width bin of [0, 1]. */
  confidenceHistogram: number[];
  /** Mean calibrated confidence: expected accuracy without labels (null without predictions). */
  cbpe: number | null;
  /** Labels that arrived during this window, for requests of any window (the alert's input). */
  accuracy: LabelTally;
  /** This window's own requests whose labels had arrived by its end (revisedAccuracy: later). */
  ownAccuracy: LabelTally;
  drift: WindowDrift | null;
  /** Predicted classes of the sample against the reference predictions. */
  predictionDrift: {
    method: DriftMethod;
    score: number;
    threshold: number;
    drifted: boolean;
  } | null;
};

/**
 * The alert rules. 'prediction-drift' has no learner-set threshold: it fires when the window's
 * predicted-class mix drifts from the model's predictions on the reference by Evidently's
 * categorical test and its own threshold (chi-square or Z p-value < 0.05 up to 1,000 reference
 * rows, Jensen-Shannon distance >= 0.1 above): the alarm for prior shift, before labels arrive.
 */
export type AlertRule =
  'data-drift' | 'prediction-drift' | 'accuracy-drop' | 'cbpe-drop' | 'p99-latency' | 'error-rate';

/** One entry of the alert timeline. */
export type AlertEvent = {
  atMs: number;
  rule: AlertRule;
  state: 'firing' | 'resolved';
  value: number;
  threshold: number;
  message: string;
  /** The window whose close produced the event. */
  window: number;
};
