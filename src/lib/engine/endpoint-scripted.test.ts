/**
 * Endpoint against a scripted fake worker, for crashes, failures and timing. The real serving
 * worker is exercised in endpoint.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forward } from '../core/forward';
import type { ServeReply, ServeWorkerRequest } from '../protocol/serve';
import { Endpoint } from './endpoint';
import { config, expectPrediction, model, row } from './endpoint.fixture';
import type { ServeWorkerLike } from './serve-client';

afterEach(() => vi.useRealTimers());

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
