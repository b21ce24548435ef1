/**
 * What an Operate simulation needs from a registry version, loaded on first use (the Operate
 * screen imports this module lazily, like the Serve screen's serving-model.ts): the model served
 * by a real Endpoint, the production pool, the drift reference and the calibration.
 *
 * Production pool: the WHOLE test split of the version's data set (359 digits rows, 114 breast
 * cancer rows). CONTRACTS asks for a holdout that traffic never came from; carving 359 rows in
 * two costs CBPE about 4.5 points of tracking on digits, so the simulator keeps the whole test
 * split and a retraining check uses fresh traffic or the validation split instead (the screen's
 * "about this simulation" text says so).
 * Drift reference: the TRAINING split's features, the data the model learned from, as Evidently
 * compares production data with training data; the validation split is kept for what needs
 * labels the model never trained on: the reference accuracy and the CBPE calibrator (both from
 * the served model's own answers, so a quantized version gets its own calibration).
 */
import { fitCalibrator } from '../core/cbpe';
import { DEFAULT_SPLIT, gatherRows, stratifiedSplit, type Dataset } from '../core/data';
import { Endpoint, type EndpointInfo } from '../engine/endpoint';
import type { SimWorld } from '../engine/simulator';
import type { RuntimeId } from '../protocol/serve';
import { getRun, getVersion, type AppDb } from '../storage';
import { prepareVersion } from './serving-model';

export { Endpoint } from '../engine/endpoint';
export { Simulator } from '../engine/simulator';
export { playSimulation } from '../engine/simulator-loop';
export { digitPreview } from './operate-images';

/** A version being served for a simulation. Plain data and the endpoint: never reactive. */
export type OpenWorld = {
  world: SimWorld;
  dataset: Dataset;
  endpoint: Endpoint;
  info: EndpointInfo;
  /** Data set rows of the production pool (the test split), in pool order. */
  poolRows: Int32Array;
};

function argmax(p: Float32Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++)
    for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + out[r]]) out[r] = c;
  return out;
}

/**
 * Starts an endpoint on `versionId` and builds the simulation's world with it.
 * @param endpoint reused when given (stopped and restarted on the version).
 * @throws when the version cannot be loaded or served (the endpoint is then stopped).
 */
export async function openWorld(
  db: AppDb,
  versionId: string,
  runtime: RuntimeId,
  endpoint = new Endpoint({ idleTimeoutMs: 120_000 }),
  signal?: AbortSignal,
): Promise<OpenWorld> {
  const model = await prepareVersion(db, versionId);
  const record = await getVersion(db, versionId);
  const runId = record?.lineage.runId;
  const run = runId ? await getRun(db, runId) : undefined;
  const { dataset } = model;
  const split = stratifiedSplit(dataset.y, DEFAULT_SPLIT, run?.splitSeed ?? 0);
  const k = dataset.nClasses;
  try {
    const info = await endpoint.start(
      {
        runtime,
        onnx: model.onnx,
        weights: model.weights,
        schema: model.schema,
        versionId,
        ...(runtime === 'ort-wasm' ? { threads: 1 } : {}),
      },
      signal,
    );
    const train = gatherRows(dataset, split.train);
    const val = gatherRows(dataset, split.validation);
    const test = gatherRows(dataset, model.testRows);
    const trainOut = await endpoint.predictBatch(train.x.slice(), train.rows);
    const valOut = await endpoint.predictBatch(val.x.slice(), val.rows);
    const valPred = argmax(valOut.probabilities, val.rows, k);
    const right = valPred.reduce((s, p, i) => s + (p === val.y[i] ? 1 : 0), 0);
    endpoint.resetStats(); // the setup calls are not traffic
    return {
      world: {
        versionId,
        dataset: model.datasetId === 'digits' ? 'digits' : 'tabular',
        featureNames: dataset.featureNames,
        pool: { x: test.x, y: test.y, features: dataset.features, nClasses: k },
        reference: train.x,
        referencePredictions: argmax(trainOut.probabilities, train.rows, k),
        referenceAccuracy: right / val.rows,
        calibrator: fitCalibrator(valOut.probabilities, val.y, k),
      },
      dataset,
      endpoint,
      info,
      poolRows: Int32Array.from(model.testRows),
    };
  } catch (err) {
    endpoint.stop();
    throw err;
  }
}

/** The production pool of a version without serving it (for previews before a run starts). */
export async function loadPool(
  db: AppDb,
  versionId: string,
): Promise<{ x: Float32Array; y: Int32Array; featureNames: string[]; nClasses: number }> {
  const model = await prepareVersion(db, versionId);
  const test = gatherRows(model.dataset, model.testRows);
  return {
    x: test.x,
    y: test.y,
    featureNames: model.dataset.featureNames,
    nClasses: model.dataset.nClasses,
  };
}
