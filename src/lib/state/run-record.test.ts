import { describe, expect, it } from 'vitest';
import { decodeMlp } from '../core/mlp-codec';
import { DEFAULT_HYPERPARAMETERS } from '../core/mlp';
import type { EpochMetrics, TrainResult } from '../protocol/train';
import {
  INTERRUPTED_REASON,
  argmaxAccuracy,
  completedRecord,
  curvePoints,
  failureReason,
  interruptedRecord,
  isInterrupted,
  newRunId,
  runningRecord,
  shortRunId,
  stoppedRecord,
  listItem,
} from './run-record';
import { copyHyperparameters, formErrors, parseHiddenLayers, splitSeedError } from './train-form';

const H = copyHyperparameters(DEFAULT_HYPERPARAMETERS);

function running() {
  return runningRecord({
    id: 'run-1700000000000-abc123',
    createdAt: 1_700_000_000_000,
    datasetId: 'digits',
    splitSeed: 3,
    hyperparameters: { ...H, seed: 7 },
    fingerprint: 'f'.repeat(64),
    backend: 'wasm',
  });
}

/** A 2-class result: 3 test rows (2 right), 2 validation rows (1 right), 2 epochs, best 1. */
function result(): TrainResult {
  return {
    backend: 'cpu',
    weights: {
      inputSize: 2,
      layers: [
        {
          weights: Float32Array.of(1, 2, 3, 4),
          bias: Float32Array.of(0.5, -0.5),
          activation: 'softmax',
        },
      ],
    },
    durationMs: 123,
    curves: { loss: [0.9, 0.5], valLoss: [0.8, 0.6], acc: [0.6, 0.8], valAcc: [0.5, 0.5] },
    stoppedEarly: true,
    bestEpoch: 1,
    testProbabilities: Float32Array.of(0.9, 0.1, 0.2, 0.8, 0.7, 0.3),
    testLabels: Int32Array.of(0, 1, 1),
    validationProbabilities: Float32Array.of(0.4, 0.6, 0.3, 0.7),
    validationLabels: Int32Array.of(0, 1),
  };
}

const epoch = (e: number): EpochMetrics => ({
  epoch: e,
  epochs: 30,
  loss: 1 / e,
  valLoss: 1.1 / e,
  acc: 0.5,
  valAcc: 0.4,
  elapsedMs: 20 * e,
});

describe('run ids', () => {
  it('are run-<ms>-<6 hex> and shorten to the suffix', () => {
    const id = newRunId(1_700_000_000_123, '1a2b3c4d-0000-4000-8000-000000000000');
    expect(id).toBe('run-1700000000123-1a2b3c');
    expect(shortRunId(id)).toBe('1a2b3c');
    expect(newRunId(5)).toMatch(/^run-5-[0-9a-f]{6}$/);
    expect(shortRunId('odd-id-xyz')).toBe('id-xyz');
  });
});

describe('runningRecord', () => {
  it('saves a plain copy of the settings, the seeds, and status running', () => {
    const r = running();
    expect(r).toMatchObject({
      status: 'running',
      seed: 7,
      splitSeed: 3,
      backend: 'wasm',
      durationMs: 0,
      curves: [],
    });
    expect(r.hyperparameters).toEqual({ ...H, seed: 7 });
    expect(Object.isFrozen(r.hyperparameters.hidden)).toBe(false);
    expect(() => structuredClone(r)).not.toThrow();
  });
});

describe('completedRecord', () => {
  it('computes accuracies by argmax, keeps curves, predictions, weights and the backend that ran', () => {
    const test = Int32Array.of(10, 4, 8);
    const r = completedRecord(running(), result(), {
      nClasses: 2,
      testIndices: test,
      finishedAt: 1_700_000_001_000,
    });
    expect(r.status).toBe('completed');
    expect(r.backend).toBe('cpu');
    expect(r.durationMs).toBe(123);
    expect(r.finishedAt).toBe(1_700_000_001_000);
    expect(r.metrics).toEqual({
      testAccuracy: 2 / 3,
      validationAccuracy: 0.5,
      bestEpoch: 1,
      epochsRun: 2,
      stoppedEarly: true,
    });
    expect(r.curves).toEqual([
      { epoch: 1, loss: 0.9, valLoss: 0.8, acc: 0.6, valAcc: 0.5 },
      { epoch: 2, loss: 0.5, valLoss: 0.6, acc: 0.8, valAcc: 0.5 },
    ]);
    expect(r.evaluation?.testIndices).toEqual(test);
    expect(r.evaluation?.testIndices).not.toBe(test);
    expect(r.evaluation?.nClasses).toBe(2);
    const model = decodeMlp(r.weights as ArrayBuffer);
    expect(Array.from(model.layers[0].weights)).toEqual([1, 2, 3, 4]);
    expect(listItem(r)).not.toHaveProperty('weights');
    expect(listItem(r)).not.toHaveProperty('evaluation');
  });

  it('argmaxAccuracy takes the first class on ties', () => {
    expect(argmaxAccuracy(Float32Array.of(0.5, 0.5), Int32Array.of(0), 2)).toBe(1);
  });

  it('curvePoints numbers epochs from 1', () => {
    expect(curvePoints({ loss: [1], valLoss: [2], acc: [0.1], valAcc: [0.2] })).toEqual([
      { epoch: 1, loss: 1, valLoss: 2, acc: 0.1, valAcc: 0.2 },
    ]);
  });
});

describe('stoppedRecord', () => {
  it('keeps the curves so far and the time of the last epoch', () => {
    const r = stoppedRecord(running(), { status: 'cancelled' }, [epoch(1), epoch(2)], 99);
    expect(r).toMatchObject({ status: 'cancelled', durationMs: 40, finishedAt: 99 });
    expect(r.curves.map((c) => c.epoch)).toEqual([1, 2]);
    expect(r.failureReason).toBeUndefined();
    expect(r.metrics).toBeUndefined();
  });

  it('records the reason of a failure, even before the first epoch', () => {
    const r = stoppedRecord(running(), { status: 'failed', reason: 'why' }, [], 5);
    expect(r).toMatchObject({ status: 'failed', failureReason: 'why', durationMs: 0, curves: [] });
  });
});

describe('failureReason', () => {
  it('explains a NaN loss with the epoch and a learning rate to try', () => {
    const msg = 'The loss became NaN at epoch 4: training diverged. Try a smaller learning rate.';
    expect(failureReason('nan-loss', msg, 0.9, 3)).toBe(
      'the loss became NaN at epoch 4: the learning rate is probably too high for this activation; try 0.01.',
    );
    expect(failureReason('nan-loss', 'The loss became Infinity at epoch 2: x', 0.005, 1)).toMatch(
      /^the loss became Infinity at epoch 2: try a smaller learning rate/,
    );
    expect(failureReason('nan-loss', 'diverged', 0.5, 6)).toMatch(/at epoch 7:/);
  });

  it('words the other reasons', () => {
    expect(failureReason('backend', 'no wasm', 0.01, 0)).toMatch(/no compute backend/);
    expect(failureReason('invalid', 'rows mismatch', 0.01, 0)).toMatch(/refused: rows mismatch/);
    expect(failureReason(null, 'boom', 0.01, 0)).toMatch(/unexpected error: boom/);
  });
});

describe('interrupted runs', () => {
  it('are running records created before this page loaded', () => {
    const r = running();
    expect(isInterrupted(r, r.createdAt + 1)).toBe(true);
    expect(isInterrupted(r, r.createdAt)).toBe(false);
    expect(isInterrupted({ ...r, status: 'completed' }, r.createdAt + 1)).toBe(false);
    expect(interruptedRecord(r, 42)).toMatchObject({
      status: 'failed',
      finishedAt: 42,
      failureReason: INTERRUPTED_REASON,
    });
  });
});

describe('train form helpers', () => {
  it('parses hidden layers from commas or spaces; empty is none', () => {
    expect(parseHiddenLayers('64')).toEqual({ ok: true, value: [64] });
    expect(parseHiddenLayers(' 128, 64 ')).toEqual({ ok: true, value: [128, 64] });
    expect(parseHiddenLayers('32 16')).toEqual({ ok: true, value: [32, 16] });
    expect(parseHiddenLayers('')).toEqual({ ok: true, value: [] });
    const bad = parseHiddenLayers('64, abc');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/“abc” is not a whole number/);
    expect(parseHiddenLayers('1.5').ok).toBe(false);
    expect(parseHiddenLayers('-4').ok).toBe(false);
  });

  it('keys errors by field with the names the form shows', () => {
    expect(formErrors(H, 0, { ok: true, value: [64] })).toEqual({});
    const e = formErrors({ ...H, learningRate: 0, batchSize: 0 }, -1, { ok: true, value: [0] });
    expect(e.learningRate).toMatch(/^Learning rate must be above 0/);
    expect(e.batchSize).toMatch(/^Batch size must be/);
    expect(e.hidden).toMatch(/Hidden layer 1 has 0 units/);
    expect(e.splitSeed).toMatch(/^Split seed must be a whole number/);
    const parse = parseHiddenLayers('x');
    expect(formErrors(H, 0, parse).hidden).toMatch(/“x”/);
  });

  it('refuses split seeds that are not non-negative whole numbers', () => {
    expect(splitSeedError(0)).toBeNull();
    expect(splitSeedError(2 ** 32 - 1)).toBeNull();
    expect(splitSeedError(1.5)).toMatch(/whole number/);
    expect(splitSeedError(null)).toMatch(/must be a number/);
    expect(splitSeedError(2 ** 32)).toMatch(/whole number/);
  });

  it('copies hyperparameters deeply into plain data', () => {
    const copy = copyHyperparameters(DEFAULT_HYPERPARAMETERS);
    copy.hidden.push(3);
    expect(DEFAULT_HYPERPARAMETERS.hidden).toEqual([64]);
    expect(copy).toEqual({ ...DEFAULT_HYPERPARAMETERS, hidden: [64, 3] });
  });
});
