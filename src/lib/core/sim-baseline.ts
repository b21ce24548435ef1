/**
 * A ready-made simulation setup on a data set, with the nearest-centroid baseline as the model:
 * for tests, the benchmark, and a demo before the learner has trained a model of their own.
 * Splits: the app's fixed split (`DEFAULT_SPLIT`, stratified, seeded): the model is fitted on
 * train, which is also the drift reference (the data the model learned from); the calibrator and
 * the reference accuracy come from validation; traffic draws from the test split, the
 * production pool. An app that also needs a holdout no traffic came from (CONTRACTS.md) carves
 * it out of the test split, at the price of a smaller pool.
 */
import { fitCalibrator, type Calibrator } from './cbpe';
import { DEFAULT_SPLIT, gatherRows, stratifiedSplit, type Dataset } from './data';
import { Monitor, type MonitorConfig } from './monitor';
import { RequestLedger } from './prediction-log';
import type { Rng } from './rng';
import { compileScenarios, type Scenario } from './scenarios';
import { centroidProbabilities, fitCentroids, type CentroidModel } from './sim-centroid';
import { runSimulation } from './sim-run';
import { createTraffic } from './traffic';

export type BaselineWorld = {
  features: number;
  nClasses: number;
  featureNames: string[];
  /** Production pool: the rows traffic draws from. */
  pool: { x: Float32Array; y: Int32Array; rows: number; features: number; nClasses: number };
  /** Drift reference: the training rows, row-major. */
  reference: Float32Array;
  /** The model's predicted classes on the reference rows. */
  referencePredictions: Int32Array;
  /** Validation accuracy (fraction). */
  referenceAccuracy: number;
  calibrator: Calibrator;
  model: CentroidModel;
  /** Probabilities for `rows` rows, row-major [rows, nClasses]. */
  predict: (x: Float32Array, rows: number) => Float32Array;
};

function argmax(p: Float32Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + out[r]]) out[r] = c;
  }
  return out;
}

/**
 * Builds the setup.
 * @param splitSeed seed of the stratified split (0: the app's benchmark split).
 * @param temperature softmax temperature of the centroid model, in feature units.
 */
export function baselineWorld(ds: Dataset, splitSeed = 0, temperature = 2): BaselineWorld {
  const split = stratifiedSplit(ds.y, DEFAULT_SPLIT, splitSeed);
  const train = gatherRows(ds, split.train);
  const val = gatherRows(ds, split.validation);
  const test = gatherRows(ds, split.test);
  const k = ds.nClasses;
  const model = fitCentroids(train.x, train.y, ds.features, k, temperature);
  const predict = (x: Float32Array, rows: number): Float32Array =>
    centroidProbabilities(model, x, rows);
  const valProbs = predict(val.x, val.rows);
  const valPred = argmax(valProbs, val.rows, k);
  const right = valPred.reduce((s, p, i) => s + (p === val.y[i] ? 1 : 0), 0);
  return {
    features: ds.features,
    nClasses: k,
    featureNames: [...ds.featureNames],
    pool: { ...test, features: ds.features, nClasses: k },
    reference: train.x,
    referencePredictions: argmax(predict(train.x, train.rows), train.rows, k),
    referenceAccuracy: right / val.rows,
    calibrator: fitCalibrator(valProbs, val.y, k),
    model,
    predict,
  };
}

export type BaselineRunOptions = {
  scenarios?: readonly Scenario[];
  /** Traffic seed (also seeds the per-request draws); default 1. */
  seed?: number;
  /** Requests per simulated second; default 5. */
  ratePerSecond?: number;
  /** Simulated hours; default 4. */
  hours?: number;
  /** Monitoring window, ms; default 10 min. */
  windowMs?: number;
  /** Extra monitor settings (thresholds, sample size...). */
  monitor?: Partial<MonitorConfig>;
  /** Simulated latency per request, ms; default 1. */
  latencyMs?: (rng: Rng) => number;
};

/**
 * Runs the baseline model on simulated traffic from the production pool, with scenarios,
 * a ledger and a monitor (reference, reference predictions and accuracy, calibrator set up).
 */
export function runBaseline(world: BaselineWorld, options: BaselineRunOptions = {}) {
  const hours = options.hours ?? 4;
  const monitor = new Monitor({
    windowMs: options.windowMs ?? 600_000,
    features: world.features,
    nClasses: world.nClasses,
    featureNames: world.featureNames,
    reference: world.reference,
    referencePredictions: world.referencePredictions,
    referenceAccuracy: world.referenceAccuracy,
    calibrator: world.calibrator,
    seed: options.seed ?? 1,
    ...options.monitor,
  });
  const traffic = createTraffic({
    seed: options.seed ?? 1,
    ratePerSecond: options.ratePerSecond ?? 5,
    durationSeconds: hours * 3600,
    users: 1000,
    poolSize: world.pool.rows,
  });
  const scenarios = compileScenarios(options.scenarios ?? [], {
    dataset: world.features === 64 ? 'digits' : 'tabular',
    features: world.features,
    nClasses: world.nClasses,
    poolLabels: world.pool.y,
  });
  const ledger = new RequestLedger();
  const { requests } = runSimulation({
    seed: options.seed ?? 1,
    traffic,
    pool: world.pool,
    scenarios,
    predict: world.predict,
    versionId: 'baseline',
    monitor,
    ledger,
    latencyMs: options.latencyMs,
  });
  return { monitor, ledger, requests };
}
