/**
 * The fault injector end to end through the REAL serving worker module (run in this thread, see
 * fallback-harness.ts), and the fallback chain in front of it: an injected crash, latency and
 * corruption, each taken over by the baseline without losing or doubling a request.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { forward } from '../core/forward';
import { outputProblem } from '../core/fallback-output';
import type { ServeWorkerRequest } from '../protocol/serve';
import { Endpoint, type Prediction, type PredictResult } from './endpoint';
import { FallbackChain } from './fallback';
import {
  endpointConfig,
  inThreadWorker,
  model,
  row,
  schema,
  trainingRows,
  workerScope,
} from './fallback-harness';
import { endpointLink, fitCentroidLink, probeRow } from './fallback-links';
import { isCrashReason } from './serve-client';

beforeAll(async () => {
  vi.stubGlobal('addEventListener', workerScope.addEventListener);
  vi.stubGlobal('postMessage', workerScope.postMessage);
  await import('../workers/serve.worker');
});

const ok = (r: PredictResult): Prediction => {
  expect(r.ok, r.ok ? '' : r.reason).toBe(true);
  return r as Prediction;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function started(sent: ServeWorkerRequest[] = [], maxWaitMs = 0) {
  const endpoint = new Endpoint({
    createWorker: () => inThreadWorker(sent),
    policy: { maxBatch: 8, maxWaitMs },
  });
  await endpoint.start(endpointConfig('mlp@v1'));
  return endpoint;
}

describe('fault injector, in the real serving worker', () => {
  it('adds latency to every call, inside the measured compute time, until cleared', async () => {
    const endpoint = await started();
    const before = ok(await endpoint.predict(row(1)));
    expect(before.computeMs).toBeLessThan(40);
    await endpoint.injectFault({ kind: 'latency', ms: 60 });
    const slow = ok(await endpoint.predict(row(1)));
    expect(slow.computeMs).toBeGreaterThanOrEqual(59);
    expect(slow.latencyMs).toBeGreaterThanOrEqual(slow.computeMs);
    expect(slow.probabilities).toEqual(before.probabilities); // slow, not wrong
    await endpoint.injectFault({ kind: 'clear' });
    expect(ok(await endpoint.predict(row(1))).computeMs).toBeLessThan(40);
    endpoint.stop();
  });

  it('corrupts outputs (NaN, or rows that do not sum to 1), which the validity check catches', async () => {
    const endpoint = await started();
    const clean = ok(await endpoint.predict(row(2)));
    expect(outputProblem(clean.probabilities, 3)).toBeNull();
    await endpoint.injectFault({ kind: 'corrupt', mode: 'nan' });
    const nan = ok(await endpoint.predict(row(2)));
    expect(outputProblem(nan.probabilities, 3)).toBe('row 0, class 0 is NaN, not a finite number');
    await endpoint.injectFault({ kind: 'corrupt', mode: 'unnormalized' });
    const bad = ok(await endpoint.predict(row(2)));
    expect(bad.predictedClass).toBe(clean.predictedClass); // the class alone does not give it away
    expect(outputProblem(bad.probabilities, 3)).toMatch(/sums to 2.8, not 1|outside \[0, 1\]/);
    await endpoint.injectFault({ kind: 'clear' });
    expect(outputProblem(ok(await endpoint.predict(row(2))).probabilities, 3)).toBeNull();
    endpoint.stop();
  });

  it('crashes: the batch in flight fails as a crash, the next request restarts the worker', async () => {
    const sent: ServeWorkerRequest[] = [];
    const endpoint = await started(sent);
    await endpoint.injectFault({ kind: 'latency', ms: 40 });
    const inFlight = endpoint.predict(row(3));
    await sleep(10);
    await endpoint.injectFault({ kind: 'crash' });
    const lost = await inFlight;
    expect(lost.ok).toBe(false);
    expect(!lost.ok && isCrashReason(lost.reason)).toBe(true);
    // The restarted worker gets the latency fault again right after its load: it outlives a crash.
    const again = ok(await endpoint.predict(row(3)));
    expect(again.computeMs).toBeGreaterThanOrEqual(39);
    expect(endpoint.stats).toMatchObject({ restarts: 1, errors: 1, served: 1 });
    const types = sent.map((m) => (m.type === 'fault' ? `fault:${m.fault.kind}` : m.type));
    expect(types).toEqual([
      'load',
      'fault:latency',
      'infer',
      'fault:crash',
      'load',
      'fault:latency',
      'infer',
    ]);
    endpoint.stop();
  });

  it('refuses a fault before the endpoint has started', async () => {
    await expect(new Endpoint().injectFault({ kind: 'clear' })).rejects.toThrow(/not started/);
  });
});

describe('fallback chain in front of the real serving worker', () => {
  const { x, y } = trainingRows(300);

  /** A tight timeout makes the test quick; a loose one keeps a loaded test machine from tripping it. */
  async function chainOver(endpoint: Endpoint, timeoutMs: number) {
    const baseline = fitCentroidLink(x, y, schema);
    return new FallbackChain({
      links: [endpointLink('fp32 champion', endpoint), baseline],
      nClasses: 3,
      probeInput: probeRow(schema),
      policy: { timeoutMs, probeIntervalMs: 5, probesToClose: 3, failuresToOpen: 2 },
    });
  }

  it('takes over on a crash mid-traffic, loses and doubles nothing, and returns to the worker', async () => {
    const endpoint = await started([], 2);
    const chain = await chainOver(endpoint, 1000);
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => chain.predict(i, row(i))));
    expect(first.filter((a) => a.link !== 0).map((a) => a.attempts)).toEqual([]);
    first.forEach((a, i) =>
      ok(a.result).probabilities.forEach((p, c) =>
        expect(p).toBeCloseTo(forward(model, Float32Array.from(row(i)), 1)[c], 5),
      ),
    );
    // A burst is in the worker (held there by a latency fault) when it crashes.
    await endpoint.injectFault({ kind: 'latency', ms: 30 });
    const burst = Array.from({ length: 40 }, (_, k) => chain.predict(40 + k, row(40 + k)));
    await endpoint.injectFault({ kind: 'crash' });
    const during = await Promise.all(burst);
    await endpoint.injectFault({ kind: 'clear' });
    const retried = during.filter((a) => a.attempts.length === 2);
    expect(retried.length).toBeGreaterThan(0);
    for (const a of retried) {
      expect(a.attempts[0].outcome).toBe('crashed');
      expect(a.link).toBe(1);
      expect(a.recordedAs).toBe('baseline:nearest-centroid');
    }
    expect(chain.health[0]).toMatchObject({ up: false, trips: 1 });
    // In the background: probes restart the worker; three healthy probes bring it back.
    for (let t = 0; t < 100 && !chain.health[0].up; t++) await sleep(5);
    expect(chain.health[0].up).toBe(true);
    const after = await chain.predict(80, row(80));
    expect(after.link).toBe(0);
    const check = chain.ledger.verify(81);
    expect(check).toMatchObject({ ok: true, lostCount: 0, doubledCount: 0, recorded: 81 });
    const counts = chain.counts;
    expect(counts.served[0] + counts.served[1]).toBe(81);
    expect(counts.served[1]).toBe(
      retried.length + during.filter((a) => a.attempts.length === 1 && a.link === 1).length,
    );
    expect(counts.shares[0] + counts.shares[1]).toBeCloseTo(1, 12);
    expect(endpoint.stats.restarts).toBeGreaterThanOrEqual(1);
    chain.dispose();
    endpoint.stop();
  });

  it('routes around injected latency (timeouts) and corruption (invalid output)', async () => {
    const endpoint = await started();
    const chain = await chainOver(endpoint, 100);
    await endpoint.injectFault({ kind: 'latency', ms: 300 });
    const slow = await chain.predict(0, row(0));
    expect(slow.attempts.map((a) => a.outcome)).toEqual(['timeout', 'ok']);
    expect(slow.link).toBe(1);
    expect(slow.attempts[0].reason).toBe('fp32 champion gave no answer within 100 ms');
    await endpoint.injectFault({ kind: 'clear' });
    await sleep(300); // the abandoned slow call still holds the worker: a backlog, as in production
    await endpoint.injectFault({ kind: 'corrupt', mode: 'nan' });
    const garbage = await chain.predict(1, row(1));
    expect(garbage.attempts.map((a) => a.outcome)).toEqual(['invalid-output', 'ok']);
    expect(garbage.attempts[0].reason).toMatch(/invalid probabilities: row 0, class 0 is NaN/);
    // Two failures in a row (failuresToOpen 2): the worker is taken out; probes keep failing.
    expect(chain.health[0]).toMatchObject({ up: false, reason: garbage.attempts[0].reason });
    expect((await chain.predict(2, row(2))).attempts).toHaveLength(1); // skipped, not tried
    await sleep(40);
    expect(chain.health[0].up).toBe(false);
    await endpoint.injectFault({ kind: 'clear' });
    for (let t = 0; t < 100 && !chain.health[0].up; t++) await sleep(5);
    expect(chain.health[0].up).toBe(true);
    expect(chain.ledger.verify(3).ok).toBe(true);
    chain.dispose();
    endpoint.stop();
  });
});
