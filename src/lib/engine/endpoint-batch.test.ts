/**
 * Endpoint.predictBatch (the simulator's batched path) against the real serving worker module run
 * in this thread, as endpoint.test.ts does.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { forward } from '../core/forward';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import { Endpoint, type EndpointConfig } from './endpoint';
import type { ServeWorkerLike } from './serve-client';

type Listener = (event: MessageEvent<unknown>) => void;
let toWorker: Listener | null = null;
let toPage: Listener | null = null;
let workers = 0;

function deliver(listener: Listener | null, message: unknown, transfer: Transferable[] = []): void {
  const data = structuredClone(message, { transfer });
  setTimeout(() => listener?.({ data } as MessageEvent<unknown>), 0);
}

function inThreadWorker(): ServeWorkerLike {
  let alive = true;
  workers++;
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => {
      if (alive) deliver(toWorker, message, transfer);
    },
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') toPage = (event) => alive && listener(event);
    },
    terminate: () => {
      alive = false;
    },
  } as ServeWorkerLike;
}

const rng = createRng(7);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.4);
const model: MlpWeights = {
  inputSize: 4,
  layers: [
    { weights: rand(4 * 5), bias: rand(5), activation: 'relu' },
    { weights: rand(5 * 3), bias: rand(3), activation: 'softmax' },
  ],
};
const config: EndpointConfig = {
  runtime: 'plain-ts',
  onnx: mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} }),
  weights: encodeMlp(model),
  schema: {
    features: 4,
    nClasses: 3,
    classNames: ['a', 'b', 'c'],
    featureNames: ['w', 'x', 'y', 'z'],
    min: [-5, -5, -5, -5],
    max: [5, 5, 5, 5],
  },
  versionId: 'toy@1',
};

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: unknown, transfer?: Transferable[]) =>
    deliver(toPage, message, transfer),
  );
  await import('../workers/serve.worker');
});

describe('Endpoint.predictBatch', () => {
  it('answers a batch in one call, as the forward pass does, and counts it', async () => {
    const endpoint = new Endpoint({ createWorker: inThreadWorker });
    await endpoint.start(config);
    const x = Float32Array.from({ length: 4 * 50 }, (_, i) => Math.sin(i) * 2);
    const ref = forward(model, x, 50);
    const out = await endpoint.predictBatch(x.slice(), 50);
    expect(out.probabilities.length).toBe(150);
    out.probabilities.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
    expect(out.roundTripMs).toBeGreaterThanOrEqual(0);
    expect(endpoint.stats).toMatchObject({ served: 50, errors: 0, batchSizes: { 50: 1 } });
    endpoint.stop();
    await expect(endpoint.predictBatch(x.slice(), 50)).rejects.toThrow(/not started/);
  });

  it('waits for a start in progress and restarts a worker shut down when idle', async () => {
    const endpoint = new Endpoint({ createWorker: inThreadWorker, idleTimeoutMs: 5 });
    const before = workers;
    const starting = endpoint.start(config);
    const early = endpoint.predictBatch(new Float32Array(8), 2);
    await starting;
    expect((await early).probabilities.length).toBe(6);
    await new Promise((r) => setTimeout(r, 30)); // idle shutdown
    expect((await endpoint.predictBatch(new Float32Array(4), 1)).probabilities.length).toBe(3);
    expect(workers - before).toBe(2);
    endpoint.stop();
  });
});
