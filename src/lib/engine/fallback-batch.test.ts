/**
 * FallbackChain.predictBatch, the simulator's path: scripted batch links for the rules, then the
 * real serving worker (in this thread) crashed in the middle of a batch stream.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { forward } from '../core/forward';
import { Endpoint } from './endpoint';
import { FAILED_VERSION, FallbackChain, type FallbackLink } from './fallback';
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

const K = 2;
/** A batch link whose answer per call is scripted; per-request `predict` is never used here. */
function batchLink(name: string, script: (call: number, rows: number) => Float32Array | Error) {
  let calls = 0;
  const rowsSeen: number[] = [];
  const l: FallbackLink & { rowsSeen: number[] } = {
    name,
    versionId: `${name}@v1`,
    rowsSeen,
    predict: () => Promise.reject(new Error('not used')),
    predictRows: async (_x, rows) => {
      rowsSeen.push(rows);
      const got = script(++calls, rows);
      if (got instanceof Error) throw got;
      return got;
    },
  };
  return l;
}
const fine = (rows: number) =>
  Float32Array.from({ length: rows * K }, (_, i) => (i % 2 ? 0.7 : 0.3));
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const chainOf = (links: FallbackLink[], policy = {}) =>
  new FallbackChain({
    links,
    nClasses: K,
    probeInput: [0],
    policy: { probeIntervalMs: 1e6, ...policy },
  });

describe('FallbackChain.predictBatch with scripted links', () => {
  it('serves a healthy batch from the first link in one call', async () => {
    const a = batchLink('int8', (_, rows) => fine(rows));
    const chain = chainOf([a, batchLink('fp32', (_, rows) => fine(rows))]);
    const got = await chain.predictBatch(ids(0, 5), new Float32Array(5 * 3), 5);
    expect([...got.link]).toEqual([0, 0, 0, 0, 0]);
    expect(got.recordedAs.every((v) => v === 'int8@v1')).toBe(true);
    expect(a.rowsSeen).toEqual([5]);
    expect(chain.ledger.verify(5).ok).toBe(true);
    chain.dispose();
  });

  it('retries a crashed batch once, whole, on the next link', async () => {
    const crash = new Error('The serving worker crashed: boom.');
    const b = batchLink('fp32', (_, rows) => fine(rows));
    const chain = chainOf([batchLink('int8', () => crash), b]);
    const got = await chain.predictBatch(ids(0, 4), new Float32Array(4 * 3), 4);
    expect(got.attempts.map((a) => [a.link, a.outcome, a.rows])).toEqual([
      [0, 'crashed', 4],
      [1, 'ok', 4],
    ]);
    expect(got.recordedAs).toEqual(Array(4).fill('fp32@v1'));
    expect(chain.health[0].up).toBe(false);
    expect(chain.counts).toMatchObject({ served: [0, 4], retried: 4 });
    chain.dispose();
  });

  it('retries only the rows with invalid probabilities, and fails rows left after two links', async () => {
    const spoilRows = (bad: number[]) => (_: number, rows: number) => {
      const p = fine(rows);
      for (const r of bad) if (r < rows) p[r * K] = NaN;
      return p;
    };
    const b = batchLink('fp32', spoilRows([0]));
    const chain = chainOf([batchLink('int8', spoilRows([1, 3])), b, batchLink('c', spoilRows([]))]);
    const got = await chain.predictBatch(ids(10, 4), new Float32Array(4 * 3), 4);
    expect(b.rowsSeen).toEqual([2]); // rows 1 and 3 only
    expect([...got.link]).toEqual([0, -1, 0, 1]); // row 1 was bad on both links it was allowed
    expect(got.recordedAs[1]).toBe(FAILED_VERSION);
    expect(Number.isNaN(got.probabilities[1 * K])).toBe(true);
    expect(got.attempts[0]).toMatchObject({
      outcome: 'invalid-output',
      reason: 'int8 answered invalid probabilities for 2 of 4 rows',
    });
    expect(chain.counts).toMatchObject({ served: [2, 1, 0], failed: 1 });
    expect(chain.ledger.verify(14).lost).toEqual(ids(0, 10));
    chain.dispose();
  });

  it('skips links without a batch path, and times a slow batch out', async () => {
    const slow = batchLink('int8', () => new Float32Array(0));
    slow.predictRows = () => new Promise(() => undefined);
    const perRequestOnly: FallbackLink = { name: 'x', versionId: 'x', predict: slow.predict };
    const c = batchLink('baseline', (_, rows) => fine(rows));
    const chain = chainOf([slow, perRequestOnly, c], { timeoutMs: 20 });
    const got = await chain.predictBatch(ids(0, 3), new Float32Array(9), 3);
    expect(got.attempts.map((a) => [a.link, a.outcome])).toEqual([
      [0, 'timeout'],
      [2, 'ok'],
    ]);
    await expect(chain.predictBatch([2, 3], new Float32Array(6), 2)).rejects.toThrow(/already/);
    chain.dispose();
  });
});

describe('FallbackChain.predictBatch in front of the real serving worker', () => {
  beforeAll(async () => {
    vi.stubGlobal('addEventListener', workerScope.addEventListener);
    vi.stubGlobal('postMessage', workerScope.postMessage);
    await import('../workers/serve.worker');
  });

  it('answers every request exactly once through a crash mid-stream, then returns', async () => {
    const endpoint = new Endpoint({ createWorker: () => inThreadWorker() });
    await endpoint.start(endpointConfig('mlp@v1'));
    const { x: tx, y: ty } = trainingRows(300);
    const chain = new FallbackChain({
      links: [endpointLink('fp32 champion', endpoint), fitCentroidLink(tx, ty, schema)],
      nClasses: 3,
      probeInput: probeRow(schema),
      policy: { timeoutMs: 1000, probeIntervalMs: 5, probesToClose: 3 },
    });
    const batch = (from: number) => {
      const x = Float32Array.from(
        { length: 32 * 4 },
        (_, k) => row(from + Math.floor(k / 4))[k % 4],
      );
      return { x, answer: chain.predictBatch(ids(from, 32), x, 32) };
    };
    const first = batch(0);
    const a0 = await first.answer;
    expect([...a0.link].every((l) => l === 0)).toBe(true);
    const ref = forward(model, first.x, 32);
    a0.probabilities.forEach((p, i) => expect(p).toBeCloseTo(ref[i], 5));
    await endpoint.injectFault({ kind: 'latency', ms: 50 }); // holds the next batch in the worker
    const second = batch(32);
    await new Promise((r) => setTimeout(r, 10));
    await endpoint.injectFault({ kind: 'crash' });
    const a1 = await second.answer;
    expect(a1.attempts.map((a) => [a.link, a.outcome, a.rows])).toEqual([
      [0, 'crashed', 32],
      [1, 'ok', 32],
    ]);
    const third = await batch(64).answer; // the worker is down: straight to the baseline
    expect(third.attempts.map((a) => a.link)).toEqual([1]);
    await endpoint.injectFault({ kind: 'clear' });
    for (let t = 0; t < 200 && !chain.health[0].up; t++) await new Promise((r) => setTimeout(r, 5));
    const fourth = await batch(96).answer;
    expect(fourth.link.every((l) => l === 0)).toBe(true);
    expect(chain.ledger.verify(128)).toMatchObject({ ok: true, lostCount: 0, doubledCount: 0 });
    expect(chain.counts.served[0] + chain.counts.served[1]).toBe(128);
    chain.dispose();
    endpoint.stop();
  });
});
