import { describe, expect, it, vi } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { newVersion } from '../../../tests/fixtures/storage/registry';
import type { Dataset } from '../core/data';
import { stratifiedSplit, DEFAULT_SPLIT } from '../core/data';
import type { MlpWeights } from '../core/mlp';
import { decodeMlp, encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { registerVersion, saveRun, type RunRecord } from '../storage';
import { prepareVersion, toleranceFor } from './serving-model';

/** A 4-feature, 3-class data set of 30 rows (the shape of the registry fixture's schema). */
const DATASET: Dataset = {
  id: 'digits',
  x: Float32Array.from({ length: 30 * 4 }, (_, i) => (i * 7) % 17),
  y: Int32Array.from({ length: 30 }, (_, i) => i % 3),
  rows: 30,
  features: 4,
  nClasses: 3,
  classNames: ['a', 'b', 'c'],
  featureNames: ['f0', 'f1', 'f2', 'f3'],
};

vi.mock('../engine/datasets', () => ({ loadDataset: vi.fn(async () => DATASET) }));

const MODEL: MlpWeights = {
  inputSize: 4,
  layers: [
    {
      weights: Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 10),
      bias: Float32Array.from([0.1, -0.2, 0.3]),
      activation: 'softmax',
    },
  ],
};
const ONNX = mlpToOnnx(MODEL, { inputName: 'x', outputName: 'probabilities', properties: {} });

function run(weights: ArrayBuffer, testIndices: Int32Array): RunRecord {
  return {
    id: 'run-1',
    createdAt: 1,
    finishedAt: 2,
    datasetId: 'digits',
    seed: 0,
    splitSeed: 3,
    hyperparameters: {},
    fingerprint: 'f',
    backend: 'wasm',
    durationMs: 1,
    curves: [],
    weights,
    evaluation: {
      nClasses: 3,
      testIndices,
      testLabels: new Int32Array(testIndices.length),
      testProbabilities: new Float32Array(testIndices.length * 3),
      validationLabels: new Int32Array(0),
      validationProbabilities: new Float32Array(0),
    },
    status: 'completed',
  };
}

describe('prepareVersion', () => {
  it('serves a run-exported version with the run weights and the run test split', async () => {
    const db = await openTestDb();
    const weights = encodeMlp(MODEL);
    await saveRun(db, run(weights, Int32Array.from([4, 9, 17])));
    await registerVersion(db, newVersion({ bytes: ONNX }));
    const p = await prepareVersion(db, 'digits-classifier@v1');
    expect(p.weightsFrom).toBe('run');
    expect(new Uint8Array(p.weights)).toEqual(new Uint8Array(weights));
    expect(p.referenceWeights).toBe(p.weights);
    expect(Array.from(p.testRows)).toEqual([4, 9, 17]);
    expect(p.tolerance).toBe('fp32');
    expect(p.schema.features).toBe(4);
    expect(p.onnx).toEqual(ONNX);
  });

  it('reads an imported version back from its ONNX bytes, test split from split seed 0', async () => {
    const db = await openTestDb();
    await registerVersion(
      db,
      newVersion({ bytes: ONNX, lineage: { source: 'import', datasetId: 'digits' } }),
    );
    const p = await prepareVersion(db, 'digits-classifier@v1');
    expect(p.weightsFrom).toBe('onnx');
    const back = decodeMlp(p.weights);
    expect(back.inputSize).toBe(4);
    expect(Array.from(back.layers[0].weights)).toEqual(Array.from(MODEL.layers[0].weights));
    expect(Array.from(p.testRows)).toEqual(
      Array.from(stratifiedSplit(DATASET.y, DEFAULT_SPLIT, 0).test),
    );
  });

  it('says what is wrong: a missing version, unreadable bytes, another data set', async () => {
    const db = await openTestDb();
    await expect(prepareVersion(db, 'nope@v1')).rejects.toThrow(/no model version nope@v1/);
    await registerVersion(
      db,
      newVersion({ lineage: { source: 'import', datasetId: 'digits' } }), // stand-in bytes
    );
    await expect(prepareVersion(db, 'digits-classifier@v1')).rejects.toThrow(/cannot be read back/);
    await registerVersion(
      db,
      newVersion({ modelName: 'iris', lineage: { source: 'import', datasetId: 'iris' } }),
    );
    await expect(prepareVersion(db, 'iris@v1')).rejects.toThrow(/unknown data set "iris"/);
  });

  it('maps registry variants to agreement tolerances', () => {
    expect(toleranceFor('fp32')).toBe('fp32');
    expect(toleranceFor('fp16')).toBe('fp16');
    expect(toleranceFor('int8-static')).toBe('int8');
    expect(toleranceFor('int8-weight')).toBe('int8');
  });
});
