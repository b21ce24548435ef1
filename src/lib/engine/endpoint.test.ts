/**
 * Endpoint against the real serving worker module run in this thread, talking through
 * structuredClone with transfer lists as across a real worker boundary (as trainer.test.ts does).
 * The scripted fake worker for crashes, failures and timing is in endpoint-scripted.test.ts.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServeWorkerRequest } from '../protocol/serve';
import { Endpoint } from './endpoint';
import { config, expectPrediction, row, schema } from './endpoint.fixture';
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

beforeAll(async () => {
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    if (type === 'message') toWorker = listener;
  });
  vi.stubGlobal('postMessage', (message: unknown, transfer?: Transferable[]) =>
    deliver(toPage, message, transfer),
  );
  await import('../workers/serve.worker');
});

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
