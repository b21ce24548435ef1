/**
 * The shapes of the records this module stores. They describe the CURRENT schema
 * (see `SCHEMA_VERSION` in schema.ts); migrations never import these types, because a
 * migration must keep working on old data after these shapes move on.
 */

/** A source of time in milliseconds since the Unix epoch. Injected so tests can freeze time. */
export type Clock = () => number;

/** Where a learner stands in one lesson. */
export type LessonStatus = 'not-started' | 'in-progress' | 'completed';

/** Progress in one lesson, keyed by the lesson's stable id. */
export interface LessonProgress {
  /** Stable lesson id, as named in the lesson's frontmatter. */
  lessonId: string;
  status: LessonStatus;
  /** First visit, ms since epoch. */
  startedAt: number;
  /** First completion, ms since epoch; present exactly when `status` is 'completed'. */
  completedAt?: number;
  /** Latest visit or exercise activity, ms since epoch. */
  lastVisitedAt: number;
  /**
   * Number of 'check' events recorded for this lesson's exercises (added in schema v2).
   * Derived from `exerciseEvents`; kept here so a lesson list can show it without a scan.
   */
  attempts: number;
}

/** What a learner did in an exercise. */
export type ExerciseEventKind = 'check' | 'hint' | 'solution';

/** One thing a learner did in an exercise; append-only. */
export interface ExerciseEvent {
  /** Auto-incremented key: the order in which events were recorded on this device. */
  seq: number;
  lessonId: string;
  /** Stable exercise id, named explicitly by the lesson (CONTRACTS.md). */
  exerciseId: string;
  kind: ExerciseEventKind;
  /** For 'check' events: whether the check passed. */
  passed?: boolean;
  /** When it happened, ms since epoch. */
  at: number;
  /** Free text for the learner's history, e.g. why a check failed. */
  detail?: string;
}

/** Lifecycle of an experiment run. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** One epoch of a training curve. Losses are mean cross-entropy; accuracies are fractions in [0, 1]. */
export interface RunCurvePoint {
  epoch: number;
  loss: number;
  valLoss: number;
  acc: number;
  valAcc: number;
}

/** An experiment record, as in MLflow: everything needed to explain and reproduce one training run. */
export interface RunRecord {
  id: string;
  /** ms since epoch. */
  createdAt: number;
  /** ms since epoch; absent while running. */
  finishedAt?: number;
  datasetId: string;
  /** Seed of the training rng (weight init, shuffling). */
  seed: number;
  /** Seed of the train/validation/test split. */
  splitSeed: number;
  /** Typed by the training engine; stored as given. */
  hyperparameters: Record<string, unknown>;
  /** Hash of the data set and split, for lineage. */
  fingerprint: string;
  /** Compute backend that trained it, e.g. 'wasm' or 'cpu'. */
  backend: string;
  /** Wall-clock training time in milliseconds. */
  durationMs: number;
  curves: RunCurvePoint[];
  /** Summary figures of a completed run. */
  metrics?: RunMetrics;
  /** Trained weights in the `encodeMlp` binary form (src/lib/core/mlp-codec.ts). */
  weights?: ArrayBuffer;
  /** Predictions of the kept weights on the test and validation splits, for the Evaluate view. */
  evaluation?: RunEvaluation;
  /**
   * Decision threshold the learner chose for a binary run, on the score of the positive class
   * named by the Evaluate view (breast cancer: P(malignant)). Absent until chosen.
   */
  threshold?: number;
  status: RunStatus;
  /** Human-readable reason when `status` is 'failed'. */
  failureReason?: string;
}

/** Summary figures of a completed run; accuracies are fractions in [0, 1]. */
export interface RunMetrics {
  testAccuracy: number;
  validationAccuracy: number;
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
}

/**
 * Model outputs kept with a run so that evaluation needs no re-inference. Probabilities are
 * row-major `[rows, nClasses]`; rows are in split order and `testIndices` maps them back to
 * data set rows (to show the examples behind a confusion-matrix cell).
 */
export interface RunEvaluation {
  nClasses: number;
  testIndices: Int32Array;
  testLabels: Int32Array;
  testProbabilities: Float32Array;
  validationLabels: Int32Array;
  validationProbabilities: Float32Array;
}

/** A key/value record, used by both the `settings` and the `meta` stores. */
export interface KeyValueRecord<T = unknown> {
  key: string;
  value: T;
}
