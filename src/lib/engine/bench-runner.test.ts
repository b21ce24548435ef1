/**
 * BenchRunner against the real benchmark worker module, run in this thread: the worker's
 * `addEventListener` and `postMessage` are stubbed so that bench.worker.ts talks to a fake Worker
 * through structuredClone, as it would across a real worker boundary. The plain TypeScript
 * runtime runs in Node; tfjs-webgl does not, which shows the fallback.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { forward, argmaxRows } from '../core/forward';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import type { BenchSettings, BenchWorkerRequest } from '../protocol/bench';
import {
  BenchCancelledError,
  BenchError,
  BenchRunner,
  type BenchGroupSpec,
  type BenchWorkerLike,
} from './bench-runner';

type Listener = (event: MessageEvent<unknown>) => void;
let toWorker: Listener | null = null;
let toPage: Listener | null = null;
let made = 0;
let terminated = 0;
const sent: BenchWorkerRequest[] = [];
/** Everything the worker posted. */
const received: { type: string; id: string; reason?: string }[] = [];

function deliver(listener: Listener | null, message: unknown): void {
  const data = structuredClone(message);
  setTimeout(() => listener?.({ data } as MessageEvent<unknown>), 0);
}

function fakeWorker(): BenchWorkerLike {
  made++;
  return {
    postMessage: (message: BenchWorkerRequest) => {
      sent.push(message);
      deliver(toWorker, message);
    },
    addEventListener: (type: string, listener: Listener) => {
      if (type === 'message') toPage = listener;
    },
    terminate: () => {
      terminated++;
    },
  } as BenchWorkerLike;
}

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: { type: string; id: string }) => {
    received.push(message);
    deliver(toPage, message);
  });
  await import('../workers/bench.worker');
});

afterEach(() => {
  sent.length = 0;
});

/** A 6-feature, 3-class MLP and 30 test rows labelled by the model itself, except 3 flipped. */
function spec(runtime: BenchGroupSpec['runtime'], batches: number[]): BenchGroupSpec {
  const rng = createRng(7);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);
  const model: MlpWeights = {
    inputSize: 6,
    layers: [
      { weights: rand(6 * 8), bias: rand(8), activation: 'relu' },
      { weights: rand(8 * 3), bias: rand(3), activation: 'softmax' },
    ],
  };
  const rows = 30;
  const testX = rand(rows * 6);
  const testY = argmaxRows(forward(model, testX, rows), rows, 3);
  for (const i of [0, 1, 2]) testY[i] = (testY[i] + 1) % 3;
  const onnx = mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} });
  return {
    runtime,
    threads: 1,
    onnx,
    weights: encodeMlp(model),
    testX,
    testY,
    features: 6,
    nClasses: 3,
    batches,
  };
}

const QUICK: BenchSettings = {
  targetSamples: 200,
  targetMs: 150,
  minSamples: 20,
  capMs: 1000,
  warmupMs: 20,
  warmupMinCalls: 3,
  firstWarmupMs: 30,
  groupTicks: 20,
};

describe('BenchRunner with the benchmark worker', () => {
  it('loads in a fresh worker, times each batch size, and shuts the worker down', async () => {
    const runner = new BenchRunner({ createWorker: fakeWorker });
    const before = { made, terminated };
    const fractions: number[] = [];
    const timedBatches: number[] = [];
    const result = await runner.measureGroup(
      { ...spec('plain-ts', [1, 16]), settings: QUICK },
      {
        onProgress: (p) => fractions.push(p.fraction),
        onTimed: (t) => timedBatches.push(t.batch),
      },
    );
    expect(made - before.made).toBe(1);
    expect(terminated - before.terminated).toBe(1);
    expect(runner.busy).toBe(false);
    expect(result.loaded.actualRuntime).toBe('plain-ts');
    expect(result.loaded.accuracy).toBeCloseTo(27 / 30, 10);
    expect(result.loaded.coldStartMs).toBeGreaterThanOrEqual(0);
    expect(result.loaded.timerResolutionMs).toBeGreaterThan(0);
    expect(timedBatches).toEqual([1, 16]);
    for (const t of result.timed) {
      expect(t.summary.n).toBeGreaterThanOrEqual(QUICK.minSamples);
      expect(t.summary.p50).toBeGreaterThan(0);
      expect(t.summary.p50).toBeLessThanOrEqual(t.summary.p99);
      expect(t.calls).toBe(t.summary.n * t.groupSize);
      expect(t.timing === 'group-means').toBe(t.groupSize > 1);
      expect(t.overheadMs).toBeGreaterThanOrEqual(0);
    }
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });

  it('falls back from a runtime that cannot start here and says why', async () => {
    const runner = new BenchRunner({ createWorker: fakeWorker });
    const result = await runner.measureGroup({ ...spec('tfjs-webgpu', [1]), settings: QUICK });
    expect(result.loaded.runtime).toBe('tfjs-webgpu');
    expect(result.loaded.actualRuntime).toBe('plain-ts');
    expect(result.loaded.fallbackReason).toMatch(/^tfjs-webgpu did not start: /);
  });

  it('cancels: rejects at once, the worker stops its loop, then it is terminated', async () => {
    const runner = new BenchRunner({ createWorker: fakeWorker, cancelGraceMs: 100 });
    const controller = new AbortController();
    const before = terminated;
    const running = runner.measureGroup(
      { ...spec('plain-ts', [1]), settings: { ...QUICK, targetMs: 60_000, targetSamples: 1e9 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'timing') controller.abort();
        },
      },
    );
    expect(await running.catch((e: unknown) => e)).toBeInstanceOf(BenchCancelledError);
    const cancel = sent.find((m) => m.type === 'cancel');
    expect(cancel).toBeDefined();
    expect(terminated).toBe(before);
    await new Promise((r) => setTimeout(r, 150));
    expect(terminated).toBe(before + 1);
    // The worker honoured the cancel at its next yield.
    expect(received).toContainEqual(
      expect.objectContaining({ type: 'error', id: cancel!.id, reason: 'cancelled' }),
    );
    expect(runner.busy).toBe(false);
  });

  it('an aborted signal rejects before any worker starts', async () => {
    const runner = new BenchRunner({ createWorker: fakeWorker });
    const before = made;
    await expect(
      runner.measureGroup(spec('plain-ts', [1]), { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(BenchCancelledError);
    expect(made).toBe(before);
  });

  it('a model the worker cannot read is a BenchError with reason invalid', async () => {
    const runner = new BenchRunner({ createWorker: fakeWorker });
    const bad = { ...spec('plain-ts', [1]), weights: new ArrayBuffer(3) };
    const error = await runner.measureGroup(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchError);
    expect(error).toMatchObject({ reason: 'invalid', message: /unreadable/ });
    expect(runner.busy).toBe(false);
  });
});
