/**
 * Endpoint against (a) the real serving worker module run in this thread, talking through
 * structuredClone with transfer lists as across a real worker boundary (as trainer.test.ts does),
 * and (b) a scripted fake worker for crashes, failures and timing.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { forward } from '../core/forward';
import type { InputSchema } from '../core/input-schema';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import type { ServeReply, ServeWorkerRequest } from '../protocol/serve';
import { Endpoint, type EndpointConfig, type Prediction, type PredictResult } from './endpoint';
import type { ServeWorkerLike } from './serve-client';

type Listener = (event: MessageEvent<unknown>) => void;
let toWorker: Listener | null = null;
let toPage: Listener | null = null;

function deliver(listener: Listener | null, message: unknown, transfer: Transferable[] = []): void {
  const data = structuredClone(message, { transfer });
  setTimeout(() => listener?.({ data } as MessageEvent<unknown>), 0);
}

/** A worker whose other end is serve.worker.ts, imported into this thread. */
function inThreadWorker(sent: ServeWorkerRequest[] = []): ServeWorkerLike {
  let alive = true;
  let mine: Listener | null = null;
  return {
    postMessage: (message: ServeWorkerRequest, transfer?: Transferable[]) => {
      sent.push(message);
      if (alive) deliver(toWorker, message, transfer);
    },
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') {
        mine = (event) => alive && listener(event);
        toPage = mine;
      }
    },
    terminate: () => {
      alive = false;
    },
  } as ServeWorkerLike;
}

const rng = createRng(42);
const rand = (n: number, s = 0.4) => Float32Array.from({ length: n }, () => rng.normal() * s);
const model: MlpWeights = {
  inputSize: 4,
  layers: [
    { weights: rand(4 * 6), bias: rand(6), activation: 'relu' },
    { weights: rand(6 * 3), bias: rand(3), activation: 'softmax' },
  ],
  preprocess: { offset: rand(4), scale: Float32Array.from([1, 2, 0.5, 1]) },
};
const schema: InputSchema = {
  features: 4,
  nClasses: 3,
  classNames: ['setosa', 'versicolor', 'virginica'],
  featureNames: ['a', 'b', 'c', 'd'],
  min: [-5, -5, -5, -5],
  max: [5, 5, 5, 5],
};
const config = (runtime: EndpointConfig['runtime'] = 'plain-ts'): EndpointConfig => ({
  runtime,
  onnx: mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} }),
  weights: encodeMlp(model),
  schema,
  versionId: 'digits-classifier@3',
});
const row = (seed: number) => Array.from({ length: 4 }, (_, i) => Math.sin(seed * 7 + i) * 3);

function expectPrediction(result: PredictResult, input: number[]): Prediction {
  expect(result.ok).toBe(true);
  const p = result as Prediction;
  const ref = forward(model, Float32Array.from(input), 1);
  p.probabilities.forEach((v, j) => expect(v).toBeCloseTo(ref[j], 6));
  expect(p.className).toBe(schema.classNames[p.predictedClass]);
  expect(p.versionId).toBe('digits-classifier@3');
  return p;
}

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: unknown, transfer?: Transferable[]) =>
    deliver(toPage, message, transfer),
  );
  await import('../workers/serve.worker');
});

afterEach(() => vi.useRealTimers());

describe('Endpoint with the serving worker', () => {
  it('starts, answers with probabilities, class, version and timings', async () => {
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker() });
    const info = await endpoint.start(config());
    expect(info).toMatchObject({ runtime: 'plain-ts', actualRuntime: 'plain-ts', threads: 1 });
    expect(info.fallbackReason).toBeUndefined();
    expect(info.versionId).toBe('digits-classifier@3');
    expect(info.startMs).toBeGreaterThanOrEqual(info.loadMs);
    const input = row(1);
    const p = expectPrediction(await endpoint.predict(input), input);
    expect(p.batchSize).toBe(1);
    expect(p.outliers).toEqual([]);
    expect(p.latencyMs).toBeGreaterThanOrEqual(p.queueMs);
    expect(p.computeMs).toBeGreaterThanOrEqual(0);
    const flagged = await endpoint.predict([0, 9, 0, -6]);
    expect(flagged).toMatchObject({ ok: true, outliers: [1, 3] });
    expect(endpoint.stats).toMatchObject({ served: 2, rejected: 0, errors: 0, queueDepth: 0 });
    expect(endpoint.stats.latencyMs).toHaveLength(2);
    endpoint.stop();
  });

  it('refuses bad requests before the worker, counts them, and keeps serving', async () => {
    const sent: ServeWorkerRequest[] = [];
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker(sent) });
    await endpoint.start(config());
    const bad = await endpoint.burst([
      [1, 2, 3],
      [1, 'x', 3, 4],
      [NaN, 0, 0, 0],
      [0, 0, Infinity, 0],
      'oops',
    ]);
    expect(bad.map((r) => !r.ok && r.reason)).toEqual([
      'expected 4 values, got 3',
      'value 1 is a string, not a number',
      'value 0 is NaN',
      'value 2 is +Infinity',
      'expected an array of 4 numbers, got a string',
    ]);
    expect(bad.every((r) => !r.ok && r.kind === 'invalid')).toBe(true);
    expect(sent.filter((m) => m.type === 'infer')).toHaveLength(0);
    expectPrediction(await endpoint.predict(row(2)), row(2));
    expect(endpoint.stats).toMatchObject({ served: 1, rejected: 5 });
    endpoint.stop();
  });

  it('batches a burst dynamically and hands each caller its own row', async () => {
    const endpoint = new Endpoint({
      createWorker: () => inThreadWorker(),
      policy: { maxBatch: 16, maxWaitMs: 5 },
    });
    await endpoint.start(config());
    const inputs = Array.from({ length: 100 }, (_, i) => row(i));
    const results = await endpoint.burst(inputs);
    results.forEach((r, i) => expectPrediction(r, inputs[i]));
    const { batchSizes, served } = endpoint.stats;
    expect(served).toBe(100);
    const sizes = Object.entries(batchSizes).flatMap(([size, count]) => Array(count).fill(+size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...sizes)).toBe(16);
    expect(results.some((r) => r.ok && r.batchSize === 16)).toBe(true);
    endpoint.setPolicy({ maxBatch: 1, maxWaitMs: 5 });
    endpoint.resetStats();
    await endpoint.burst(inputs.slice(0, 10));
    expect(endpoint.stats.batchSizes).toEqual({ 1: 10 });
    endpoint.stop();
  });

  it('falls back to plain-ts when a runtime cannot start, and says why', async () => {
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker() });
    const info = await endpoint.start(config('tfjs-webgpu'));
    expect(info.actualRuntime).toBe('plain-ts');
    expect(info.fallbackReason).toMatch(/tfjs-webgpu did not start: .*not installed/);
    expectPrediction(await endpoint.predict(row(3)), row(3));
    endpoint.stop();
  });

  it('stops when the start is aborted', async () => {
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker() });
    const controller = new AbortController();
    const starting = endpoint.start(config(), controller.signal);
    controller.abort();
    await expect(starting).rejects.toMatchObject({ name: 'AbortError' });
    expect(endpoint.info).toBeNull();
    await expect(endpoint.start(config(), AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('refuses to start a model that does not match its schema', async () => {
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker() });
    await expect(
      endpoint.start({ ...config(), schema: { ...schema, features: 5 } }),
    ).rejects.toThrow(/inconsistent: featureNames has 4 entries for 5 features/);
    const wide = {
      ...schema,
      features: 5,
      featureNames: [...'abcde'],
      min: [0, 0, 0, 0, 0],
      max: [1, 1, 1, 1, 1],
    };
    await expect(endpoint.start({ ...config(), schema: wide })).rejects.toThrow(
      /takes 4 features and gives 3 classes; the schema says 5 and 3/,
    );
    expect(await endpoint.predict(row(1))).toMatchObject({ ok: false, reason: /not started/ });
  });
});

/** A fake worker run by a script: `onInfer` decides each infer's fate. */
type Script = {
  onLoad?: (m: ServeWorkerRequest) => ServeReply | 'crash';
  onInfer?: (m: Extract<ServeWorkerRequest, { type: 'infer' }>) => ServeReply | 'crash';
};
function scripted(script: Script, log: { made: number; terminated: number; infers: number[] }) {
  return (): ServeWorkerLike => {
    log.made++;
    const listeners: Record<string, ((event: never) => void)[]> = {};
    const emit = (type: string, event: unknown) =>
      setTimeout(() => listeners[type]?.forEach((l) => l(event as never)), 0);
    return {
      postMessage: (m: ServeWorkerRequest) => {
        let reply: ServeReply | 'crash';
        if (m.type === 'load') {
          reply = script.onLoad?.(m) ?? {
            type: 'loaded',
            id: m.id,
            runtime: m.runtime,
            actualRuntime: m.runtime,
            threads: 1,
            loadMs: 1,
            details: {},
          };
        } else if (m.type === 'infer') {
          log.infers.push(m.batch);
          reply = script.onInfer?.(m) ?? {
            type: 'result',
            id: m.id,
            probabilities: forward(model, m.x, m.batch),
            computeMs: 0.1,
          };
        } else reply = { type: 'unloaded', id: m.id };
        if (reply === 'crash') emit('error', { message: 'boom' });
        else emit('message', { data: reply });
      },
      addEventListener: (type: string, l: (event: never) => void) => {
        (listeners[type] ??= []).push(l);
      },
      terminate: () => {
        log.terminated++;
      },
    } as ServeWorkerLike;
  };
}

const newLog = () => ({ made: 0, terminated: 0, infers: [] as number[] });

describe('Endpoint with a scripted worker', () => {
  it('waits for maxWaitMs, then sends the partial batch (time trigger)', async () => {
    vi.useFakeTimers();
    const log = newLog();
    const endpoint = new Endpoint({
      createWorker: scripted({}, log),
      now: () => Date.now(),
      policy: { maxBatch: 10, maxWaitMs: 50 },
    });
    const started = endpoint.start(config());
    await vi.advanceTimersByTimeAsync(1);
    await started;
    const answers = [endpoint.predict(row(1)), endpoint.predict(row(2)), endpoint.predict(row(3))];
    expect(endpoint.stats.queueDepth).toBe(3);
    await vi.advanceTimersByTimeAsync(49);
    expect(log.infers).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(log.infers).toEqual([3]);
    const results = await Promise.all(answers);
    expect(results.map((r) => r.ok && r.queueMs)).toEqual([50, 50, 50]);
    // Lowering maxBatch at run time releases a full batch at once.
    const more = [1, 2, 3].map((i) => endpoint.predict(row(i)));
    endpoint.setPolicy({ maxBatch: 2, maxWaitMs: 50 });
    await vi.advanceTimersByTimeAsync(1);
    expect(log.infers).toEqual([3, 2]);
    await vi.advanceTimersByTimeAsync(60);
    await Promise.all(more);
    expect(log.infers).toEqual([3, 2, 1]);
    endpoint.stop();
  });

  it('fails the batch in flight when the worker crashes, then restarts on the next request', async () => {
    const log = newLog();
    let crashes = 1;
    const endpoint = new Endpoint({
      createWorker: scripted({ onInfer: () => (crashes-- > 0 ? 'crash' : undefined!) }, log),
      policy: { maxBatch: 4, maxWaitMs: 0 },
    });
    await endpoint.start(config());
    const crashed = await endpoint.predict(row(1));
    expect(crashed).toEqual({
      ok: false,
      kind: 'error',
      reason: 'The serving worker crashed: boom. It restarts on the next request.',
    });
    expect(log.terminated).toBe(1);
    expectPrediction(await endpoint.predict(row(2)), row(2));
    expect(log.made).toBe(2);
    expect(endpoint.stats).toMatchObject({ served: 1, errors: 1, restarts: 1 });
    endpoint.stop();
  });

  it('answers a runtime error per request and keeps serving', async () => {
    const log = newLog();
    let failures = 1;
    const endpoint = new Endpoint({
      createWorker: scripted(
        {
          onInfer: (m) =>
            failures-- > 0
              ? { type: 'error', id: m.id, message: 'out of memory', reason: 'runtime' }
              : undefined!,
        },
        log,
      ),
    });
    await endpoint.start(config());
    expect(await endpoint.predict(row(1))).toMatchObject({
      ok: false,
      kind: 'error',
      reason: 'The runtime failed: out of memory',
    });
    expect((await endpoint.predict(row(1))).ok).toBe(true);
    expect(log.made).toBe(1);
    endpoint.stop();
  });

  it('rejects start when no runtime starts', async () => {
    const endpoint = new Endpoint({
      createWorker: scripted(
        {
          onLoad: (m) => ({
            type: 'error',
            id: m.id,
            message: 'ort-wasm did not start: x; plain-ts did not start: y',
            reason: 'runtime',
          }),
        },
        newLog(),
      ),
    });
    const starting = endpoint.start(config('ort-wasm'));
    const queued = endpoint.predict(row(1));
    await expect(starting).rejects.toThrow(/plain-ts did not start/);
    expect(await queued).toMatchObject({ kind: 'error', reason: /did not start: ort-wasm/ });
    expect(await endpoint.predict(row(1))).toMatchObject({
      reason: 'The endpoint is not started.',
    });
  });

  it('answers aborted for a request aborted while queued, and never sends it', async () => {
    vi.useFakeTimers();
    const log = newLog();
    const endpoint = new Endpoint({
      createWorker: scripted({}, log),
      now: () => Date.now(),
      policy: { maxBatch: 8, maxWaitMs: 10 },
    });
    const started = endpoint.start(config());
    await vi.advanceTimersByTimeAsync(1);
    await started;
    const controller = new AbortController();
    const kept = endpoint.predict(row(1));
    const dropped = endpoint.predict(row(2), { signal: controller.signal });
    controller.abort();
    expect(await dropped).toMatchObject({ ok: false, kind: 'aborted' });
    await vi.advanceTimersByTimeAsync(11);
    expect((await kept).ok).toBe(true);
    expect(log.infers).toEqual([1]);
    expect(await endpoint.predict(row(1), { signal: AbortSignal.abort() })).toMatchObject({
      kind: 'aborted',
    });
    expect(endpoint.stats.aborted).toBe(2);
    endpoint.stop();
  });

  it('stop answers queued requests and ends the worker', async () => {
    const log = newLog();
    const endpoint = new Endpoint({
      createWorker: scripted({}, log),
      policy: { maxBatch: 8, maxWaitMs: 1000 },
    });
    await endpoint.start(config());
    const queued = endpoint.predict(row(1));
    endpoint.stop();
    expect(await queued).toEqual({
      ok: false,
      kind: 'aborted',
      reason: 'The endpoint was stopped.',
    });
    expect(log.terminated).toBe(1);
    expect(endpoint.info).toBeNull();
    expect(log.infers).toEqual([]);
  });

  it('shuts an idle worker down and restarts it on the next request', async () => {
    const log = newLog();
    const endpoint = new Endpoint({
      createWorker: scripted({}, log),
      idleTimeoutMs: 20,
      policy: { maxBatch: 1, maxWaitMs: 0 },
    });
    await endpoint.start(config());
    expect((await endpoint.predict(row(1))).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(log.terminated).toBe(1);
    expect((await endpoint.predict(row(2))).ok).toBe(true);
    expect(log.made).toBe(2);
    expect(endpoint.stats.restarts).toBe(1);
    endpoint.stop();
  });

  it('keeps only the last latency samples', async () => {
    const endpoint = new Endpoint({
      createWorker: scripted({}, newLog()),
      latencySamples: 3,
      policy: { maxBatch: 1, maxWaitMs: 0 },
    });
    await endpoint.start(config());
    for (let i = 0; i < 5; i++) await endpoint.predict(row(i));
    expect(endpoint.stats.latencyMs).toHaveLength(3);
    expect(endpoint.stats.served).toBe(5);
    endpoint.stop();
  });
});
