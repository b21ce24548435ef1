import type { Dataset, DatasetId } from '../core/data';
import { forward } from '../core/forward';
import type { MlpWeights } from '../core/mlp';
import { decodeMlp } from '../core/mlp-codec';
import { DATASET_LABELS, loadDataset } from '../engine/datasets';
import { getRun, saveRun, type AppDb, type RunRecord } from '../storage';
import {
  atThreshold,
  evaluateRun,
  type RunEvaluationSummary,
  type ThresholdOutcome,
} from './evaluation';

/** Class names when the data set file cannot be read (the examples then cannot be shown). */
const CLASS_NAMES: Record<DatasetId, string[]> = {
  digits: Array.from({ length: 10 }, (_, i) => String(i)),
  breast_cancer: ['malignant', 'benign'],
};

function isDatasetId(id: string): id is DatasetId {
  return id === 'digits' || id === 'breast_cancer';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The Evaluate screen's state for one run: the run record, its data set (to draw the examples),
 * the derived metrics, and the learner's threshold and error costs for binary runs.
 */
export class EvaluationView {
  readonly runId: string;
  readonly #db: AppDb;
  #status = $state<'loading' | 'ready' | 'error'>('loading');
  #error = $state<string | null>(null);
  #run = $state.raw<RunRecord | null>(null);
  #dataset = $state.raw<Dataset | null>(null);
  #datasetError = $state<string | null>(null);
  #summary = $state.raw<RunEvaluationSummary | null>(null);
  #threshold = $state(0.5);
  #fpCost = $state(1);
  #fnCost = $state(1);
  #savedThreshold = $state<number | undefined>(undefined);
  #saving = $state(false);
  #saveError = $state<string | null>(null);
  #outcome = $derived.by((): ThresholdOutcome | null => {
    const binary = this.#summary?.binary;
    if (!binary) return null;
    return atThreshold(binary, this.#threshold, this.#fpCost, this.#fnCost);
  });
  /** The decoded weights for the digit pad: plain data, deliberately not reactive. */
  model: MlpWeights | null = null;

  constructor(db: AppDb, runId: string) {
    this.#db = db;
    this.runId = runId;
  }

  get status(): 'loading' | 'ready' | 'error' {
    return this.#status;
  }
  /** Why the run cannot be evaluated, when `status` is 'error'. */
  get error(): string | null {
    return this.#error;
  }
  get run(): RunRecord | null {
    return this.#run;
  }
  /** The run's data set in words, e.g. "Digits (8×8 images, 10 classes, 1,797 rows)". */
  get datasetLabel(): string {
    const id = this.#run?.datasetId ?? '';
    return isDatasetId(id) ? DATASET_LABELS[id] : id;
  }
  /** null until loaded, or when the data set could not be read (`datasetError` says why). */
  get dataset(): Dataset | null {
    return this.#dataset;
  }
  get datasetError(): string | null {
    return this.#datasetError;
  }
  get summary(): RunEvaluationSummary | null {
    return this.#summary;
  }
  /** Decision threshold on P(positive class), in [0, 1]. */
  get threshold(): number {
    return this.#threshold;
  }
  set threshold(t: number) {
    if (Number.isFinite(t)) this.#threshold = Math.min(1, Math.max(0, t));
  }
  /** Cost of one false positive; invalid input (negative, empty) is ignored. */
  get fpCost(): number {
    return this.#fpCost;
  }
  set fpCost(v: number) {
    if (Number.isFinite(v) && v >= 0) this.#fpCost = v;
  }
  /** Cost of one false negative (a missed positive). */
  get fnCost(): number {
    return this.#fnCost;
  }
  set fnCost(v: number) {
    if (Number.isFinite(v) && v >= 0) this.#fnCost = v;
  }
  /** Counts, precision, recall and cost at the current threshold (binary runs only). */
  get outcome(): ThresholdOutcome | null {
    return this.#outcome;
  }
  /** The threshold stored in the run record, if any. */
  get savedThreshold(): number | undefined {
    return this.#savedThreshold;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get saveError(): string | null {
    return this.#saveError;
  }

  /** Reads the run and its data set; never rejects (errors land in `error`). */
  async load(): Promise<void> {
    this.#status = 'loading';
    try {
      const run = await getRun(this.#db, this.runId);
      if (!run) throw new Error(`There is no run with id “${this.runId}” in this browser.`);
      if (run.status !== 'completed') {
        throw new Error(
          `This run did not complete (status ${run.status}${run.failureReason ? `: ${run.failureReason}` : ''}), so there is nothing to evaluate.`,
        );
      }
      if (!run.evaluation) throw new Error('This run saved no test predictions to evaluate.');
      if (!isDatasetId(run.datasetId)) throw new Error(`Unknown data set “${run.datasetId}”.`);
      let dataset: Dataset | null = null;
      try {
        dataset = await loadDataset(run.datasetId);
      } catch (err) {
        this.#datasetError = `The data set could not be loaded, so examples cannot be shown: ${message(err)}`;
      }
      const classNames = dataset?.classNames ?? CLASS_NAMES[run.datasetId];
      const summary = evaluateRun(run.evaluation, classNames);
      try {
        this.model = run.weights ? decodeMlp(run.weights) : null;
      } catch {
        this.model = null;
      }
      this.#run = run;
      this.#dataset = dataset;
      this.#summary = summary;
      this.#threshold = run.threshold ?? 0.5;
      this.#savedThreshold = run.threshold;
      this.#fpCost = 1;
      // A missed malignant tumour costs far more than a false alarm (a biopsy).
      this.#fnCost = run.datasetId === 'breast_cancer' ? 5 : 1;
      this.#status = 'ready';
    } catch (err) {
      this.#error = message(err);
      this.#status = 'error';
    }
  }

  /** Writes the current threshold into the run record (what lesson exercises grade). */
  async saveThreshold(): Promise<void> {
    const t = this.#threshold;
    this.#saving = true;
    this.#saveError = null;
    try {
      // Re-read so that a change made elsewhere since loading is not overwritten.
      const run = await getRun(this.#db, this.runId);
      if (!run) throw new Error(`The run “${this.runId}” no longer exists.`);
      await saveRun(this.#db, { ...run, threshold: t });
      this.#run = { ...run, threshold: t };
      this.#savedThreshold = t;
    } catch (err) {
      this.#saveError = message(err);
    } finally {
      this.#saving = false;
    }
  }

  /**
   * Class probabilities of the run's model for one row of features (raw data set scale).
   * @returns null when the run has no readable weights.
   */
  predict(features: Float32Array): Float32Array | null {
    if (!this.model) return null;
    return forward(this.model, features, 1);
  }

  /** The raw features of data set row `row` (a copy), or null before the data set loads. */
  features(row: number): Float32Array | null {
    const d = this.#dataset;
    if (!d || row < 0 || row >= d.rows) return null;
    return d.x.slice(row * d.features, (row + 1) * d.features);
  }

  /** The saved probabilities of test position `position` (one per class). */
  testProbabilities(position: number): Float32Array | null {
    const e = this.#run?.evaluation;
    if (!e || position < 0 || position >= e.testLabels.length) return null;
    return e.testProbabilities.slice(position * e.nClasses, (position + 1) * e.nClasses);
  }
}
