import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDigitsCsv } from '../core/data';
import { argmaxRows, forward } from '../core/forward';
import { DEFAULT_HYPERPARAMETERS, type Hyperparameters } from '../core/mlp';
import { createRng } from '../core/rng';
import { gatherRows } from '../core/preprocess';
import { DEFAULT_SPLIT, stratifiedSplit } from '../core/split';
import type { EpochMetrics } from '../protocol/train';
import { TrainCancelledError, TrainLoopError, trainLoop, type TrainLoopInput } from './train-loop';

const hp = (change: Partial<Hyperparameters> = {}): Hyperparameters => ({
  ...DEFAULT_HYPERPARAMETERS,
  hidden: [...DEFAULT_HYPERPARAMETERS.hidden],
  ...change,
});

/** Three well-separated Gaussian blobs in 2-D, 60 rows each, seeded. */
function blobs(seed: number): TrainLoopInput {
  const rng = createRng(seed);
  const cx = [0, 6, 0]; // class centres (cx[c], cy[c])
  const cy = [0, 0, 6];
  const rows = 180;
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 3;
    x[i * 2] = cx[y[i]] + rng.normal();
    x[i * 2 + 1] = cy[y[i]] + rng.normal();
  }
  const split = stratifiedSplit(y, { train: 0.6, validation: 0.2, test: 0.2 }, 0);
  return {
    x,
    y,
    rows,
    features: 2,
    nClasses: 3,
    split,
    hyperparameters: hp({ hidden: [8], batchSize: 16, epochs: 10 }),
  };
}

function digits(): TrainLoopInput {
  const gz = readFileSync(new URL('../../../public/data/digits.csv.gz', import.meta.url));
  const ds = parseDigitsCsv(gunzipSync(gz).toString('utf8'));
  const { x, y, rows, features, nClasses } = ds;
  const split = stratifiedSplit(y, DEFAULT_SPLIT, 0);
  return { x, y, rows, features, nClasses, split, hyperparameters: hp() };
}

function accuracy(probs: Float32Array, labels: Int32Array, nClasses: number): number {
  const pred = argmaxRows(probs, labels.length, nClasses);
  return pred.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;
}

/** Mean cross-entropy (nats) of row-major probabilities. */
function crossEntropy(probs: Float32Array, labels: Int32Array, nClasses: number): number {
  let sum = 0;
  labels.forEach((c, i) => (sum -= Math.log(probs[i * nClasses + c])));
  return sum / labels.length;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('trainLoop on separable blobs', () => {
  it('learns, reports every epoch, and disposes its tensors', async () => {
    const before = tf.memory().numTensors;
    const seen: EpochMetrics[] = [];
    const result = await trainLoop(tf, blobs(1), { onEpoch: (m) => seen.push(m) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.backend).toBe('cpu');
    expect(seen.map((m) => m.epoch)).toEqual(
      Array.from({ length: result.curves.loss.length }, (_, i) => i + 1),
    );
    expect(seen.every((m) => m.epochs === 10 && m.elapsedMs >= 0)).toBe(true);
    expect(result.curves.valAcc[result.bestEpoch - 1]).toBeGreaterThan(0.95);
    expect(accuracy(result.testProbabilities, result.testLabels, 3)).toBeGreaterThan(0.95);
    expect(result.testProbabilities.length).toBe(result.testLabels.length * 3);
    expect(result.validationProbabilities.length).toBe(36 * 3);
    expect(result.weights.layers.map((l) => [l.weights.length, l.activation])).toEqual([
      [16, 'relu'],
      [24, 'softmax'],
    ]);
  });

  it('is deterministic for a seed on one backend, and the seed matters', async () => {
    const a = await trainLoop(tf, blobs(2));
    const b = await trainLoop(tf, blobs(2));
    expect(b.curves).toEqual(a.curves);
    expect(b.weights).toEqual(a.weights);
    const other = blobs(2);
    other.hyperparameters.seed = 7;
    expect((await trainLoop(tf, other)).curves.loss).not.toEqual(a.curves.loss);
  });

  it('stops early and keeps the weights of the best validation epoch', async () => {
    const input = blobs(3);
    input.hyperparameters = hp({
      hidden: [16],
      learningRate: 0.05,
      batchSize: 8,
      epochs: 200,
      patience: 3,
      l2: 0,
    });
    const result = await trainLoop(tf, input);
    const { valLoss } = result.curves;
    expect(result.stoppedEarly).toBe(true);
    expect(valLoss.length).toBe(result.bestEpoch + 3);
    expect(Math.min(...valLoss)).toBe(valLoss[result.bestEpoch - 1]);
    // The returned weights reproduce the best epoch's validation loss, not the last one's.
    const rows = gatherRows(input, input.split.validation).x;
    const probs = forward(result.weights, rows, input.split.validation.length);
    expect(crossEntropy(probs, result.validationLabels, 3)).toBeCloseTo(
      valLoss[result.bestEpoch - 1],
      4,
    );
  });

  it('stops with reason nan-loss when the data holds NaN', async () => {
    const input = blobs(4);
    input.x[input.split.train[0] * 2] = Number.NaN;
    const before = tf.memory().numTensors;
    const error = await trainLoop(tf, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainLoopError);
    expect((error as TrainLoopError).reason).toBe('nan-loss');
    expect((error as TrainLoopError).message).toMatch(/NaN at epoch 1/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses invalid input with reason invalid', async () => {
    const badLabel = blobs(5);
    badLabel.y[0] = 3;
    const badHp = blobs(5);
    badHp.hyperparameters.learningRate = 0;
    const badRow = blobs(5);
    badRow.split.test[0] = 180;
    for (const [input, message] of [
      [badLabel, /Label 3 at row 0/],
      [badHp, /learningRate must be above 0/],
      [badRow, /Split test names row 180/],
    ] as const) {
      await expect(trainLoop(tf, input)).rejects.toMatchObject({
        reason: 'invalid',
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('trainLoop on digits', () => {
  it('reaches > 90% test accuracy in a few epochs, and forward() reproduces its probabilities', async () => {
    const input = digits();
    input.hyperparameters.epochs = 4;
    const result = await trainLoop(tf, input);
    expect(accuracy(result.testProbabilities, result.testLabels, 10)).toBeGreaterThan(0.9);
    const nTest = input.split.test.length;
    const mine = forward(result.weights, gatherRows(input, input.split.test).x, nTest);
    let maxDiff = 0;
    for (let i = 0; i < mine.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(mine[i] - result.testProbabilities[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(Array.from(result.testLabels)).toEqual(Array.from(input.split.test, (r) => input.y[r]));
  });

  it('honours a cancel that arrives as a message while it trains', async () => {
    const input = digits();
    input.hyperparameters = hp({ epochs: 500, patience: 0 });
    let cancelled = false;
    let epochs = 0;
    const before = tf.memory().numTensors;
    const started = performance.now();
    setTimeout(() => (cancelled = true), 300); // runs only if the loop yields to the event loop
    const error = await trainLoop(tf, input, {
      isCancelled: () => cancelled,
      onEpoch: () => epochs++,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainCancelledError);
    expect(performance.now() - started).toBeLessThan(1300);
    expect(epochs).toBeLessThan(500);
    expect(tf.memory().numTensors).toBe(before);
  });
});
