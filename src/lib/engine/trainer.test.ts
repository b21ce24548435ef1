/**
 * Trainer against the real worker module, run in this thread: `globalThis.addEventListener` and
 * `postMessage` are stubbed so that train.worker.ts talks to a fake Worker through structuredClone
 * (with transfer lists), as it would across a real worker boundary.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HYPERPARAMETERS } from '../core/mlp';
import { createRng } from '../core/rng';
import { stratifiedSplit } from '../core/split';
import type { TrainInput, TrainWorkerRequest } from '../protocol/train';
import { TrainCancelledError, TrainError, Trainer, type TrainWorkerLike } from './trainer';

type Listener = (event: MessageEvent<unknown>) => void;
let toWorker: Listener | null = null;
let toPage: Listener | null = null;
let workersMade = 0;
let terminated = 0;

function deliver(listener: Listener | null, message: unknown, transfer: Transferable[] = []): void {
  const data = structuredClone(message, { transfer });
  setTimeout(() => listener?.({ data } as MessageEvent<unknown>), 0);
}

function fakeWorker(): TrainWorkerLike {
  workersMade++;
  return {
    postMessage: (message: TrainWorkerRequest, transfer?: Transferable[]) =>
      deliver(toWorker, message, transfer),
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') toPage = listener;
    },
    terminate: () => {
      terminated++;
    },
  } as TrainWorkerLike;
}

function blobs(seed: number, epochs = 8): TrainInput {
  const rng = createRng(seed);
  const rows = 150;
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 3;
    x[i * 2] = 8 * y[i] + rng.normal();
    x[i * 2 + 1] = rng.normal();
  }
  const split = stratifiedSplit(y, { train: 0.6, validation: 0.2, test: 0.2 }, 0);
  const hyperparameters = {
    ...DEFAULT_HYPERPARAMETERS,
    hidden: [8],
    batchSize: 16,
    epochs,
    patience: 0,
  };
  return { x, y, rows, features: 2, nClasses: 3, split, hyperparameters, backend: 'cpu' };
}

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: unknown, transfer?: Transferable[]) =>
    deliver(toPage, message, transfer),
  );
  await import('../workers/train.worker');
  await tf.setBackend('cpu');
});

afterEach(() => vi.useRealTimers());

describe('Trainer with the training worker', () => {
  it("trains, reports progress per epoch, and keeps the caller's arrays unless asked to transfer", async () => {
    const trainer = new Trainer({ createWorker: fakeWorker });
    const input = blobs(1);
    const epochs: number[] = [];
    const result = await trainer.train(input, { onProgress: (p) => epochs.push(p.epoch) });
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.backend).toBe('cpu');
    expect(result.curves.valAcc[7]).toBeGreaterThan(0.9);
    expect(result.weights.layers[0].weights).toBeInstanceOf(Float32Array);
    expect(result).not.toHaveProperty('type');
    expect(input.x.length).toBe(300);
    await trainer.train(input, {}, undefined, { transfer: true });
    expect(input.x.length).toBe(0); // detached: moved to the worker
    trainer.dispose();
  });

  it('falls back to cpu when wasm cannot start, and says so', async () => {
    // Under vitest the `?url` imports resolve to dev-server paths (/node_modules/...) that are not
    // files, so the wasm backend fails to start here (tfjs logs why) and the worker must fall back.
    const trainer = new Trainer({ createWorker: fakeWorker });
    const result = await trainer.train({ ...blobs(8, 2), backend: 'wasm' });
    expect(result.backend).toBe('cpu');
    expect(result.curves.loss.length).toBe(2);
    trainer.dispose();
  });

  it('runs two requests in turn and routes each reply to its caller', async () => {
    const trainer = new Trainer({ createWorker: fakeWorker });
    const [a, b] = await Promise.all([trainer.train(blobs(2, 3)), trainer.train(blobs(3, 5))]);
    expect(a.curves.loss.length).toBe(3);
    expect(b.curves.loss.length).toBe(5);
    trainer.dispose();
  });

  it('turns an abort into a cancel and rejects with TrainCancelledError', async () => {
    const trainer = new Trainer({ createWorker: fakeWorker });
    const controller = new AbortController();
    const run = trainer.train(
      blobs(4, 400),
      { onProgress: () => controller.abort() },
      controller.signal,
    );
    await expect(run).rejects.toBeInstanceOf(TrainCancelledError);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // The worker stopped that run, so the next one starts promptly.
    const next = await trainer.train(blobs(5, 2));
    expect(next.curves.loss.length).toBe(2);
    await expect(trainer.train(blobs(5), {}, AbortSignal.abort())).rejects.toBeInstanceOf(
      TrainCancelledError,
    );
    trainer.dispose();
  });

  it('rejects with TrainError carrying the reason', async () => {
    const trainer = new Trainer({ createWorker: fakeWorker });
    const diverging = blobs(6);
    diverging.x[diverging.split.train[0] * 2] = Number.POSITIVE_INFINITY;
    await expect(trainer.train(diverging)).rejects.toMatchObject({ reason: 'nan-loss' });
    const invalid = blobs(6);
    invalid.hyperparameters.batchSize = 0;
    const error = await trainer.train(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect(error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/batchSize/) });
    trainer.dispose();
  });

  it('terminates the worker when idle and starts a new one on demand', async () => {
    const trainer = new Trainer({ createWorker: fakeWorker, idleTimeoutMs: 50 });
    const made = workersMade;
    const ended = terminated;
    await trainer.train(blobs(7, 1));
    expect(trainer.activeJobs).toBe(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(terminated).toBe(ended + 1);
    await trainer.train(blobs(7, 1));
    expect(workersMade).toBe(made + 2);
    trainer.dispose();
  });
});
