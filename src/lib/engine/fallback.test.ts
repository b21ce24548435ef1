/**
 * FallbackChain with scripted links and fake timers: timeouts, retries (once), refusals, links
 * down and back, late answers dropped, and the ledger's "exactly once" under all of them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from './endpoint-requests';
import type { PredictResult } from './endpoint-types';
import { FAILED_VERSION, FallbackChain, REFUSED_VERSION, type FallbackLink } from './fallback';

type Reply = PredictResult | 'hang' | 'throw';
/** A link that answers each call by `script(callNumber, input)`, after `delayMs`. */
function link(name: string, script: (call: number, input: unknown) => Reply, delayMs = 0) {
  const calls: { input: unknown; aborted: () => boolean }[] = [];
  const l: FallbackLink & { calls: typeof calls } = {
    name,
    versionId: `${name}@v1`,
    calls,
    predict: (input, { signal }) => {
      calls.push({ input, aborted: () => signal?.aborted ?? false });
      const reply = script(calls.length, input);
      if (reply === 'throw') return Promise.reject(new Error('link bug'));
      if (reply === 'hang') return new Promise(() => undefined);
      return new Promise((resolve) => setTimeout(() => resolve(reply), delayMs));
    },
  };
  return l;
}

const answer = (p: number[] = [0.25, 0.75]): PredictResult => ({
  ok: true,
  probabilities: p,
  predictedClass: p.indexOf(Math.max(...p)),
  className: 'x',
  versionId: 'v',
  latencyMs: 1,
  queueMs: 0,
  computeMs: 1,
  batchSize: 1,
  outliers: [],
});
const good = () => answer();
const crash = () =>
  fail('error', 'The serving worker crashed: boom. It restarts on the next request.');

function chainOf(links: FallbackLink[], policy = {}) {
  return new FallbackChain({
    links,
    nClasses: 2,
    probeInput: 'probe',
    policy: { timeoutMs: 100, probeIntervalMs: 50, probesToClose: 2, failuresToOpen: 2, ...policy },
    now: () => Date.now(),
  });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('FallbackChain', () => {
  it('answers from the first link when it is healthy, and records each id once', async () => {
    const a = link('int8', good);
    const b = link('fp32', good);
    const chain = chainOf([a, b]);
    const answers = Promise.all([0, 1, 2].map((i) => chain.predict(i, [i])));
    await vi.advanceTimersByTimeAsync(1);
    expect((await answers).map((x) => [x.link, x.recordedAs, x.attempts.length])).toEqual([
      [0, 'int8@v1', 1],
      [0, 'int8@v1', 1],
      [0, 'int8@v1', 1],
    ]);
    expect(b.calls).toHaveLength(0);
    expect(chain.counts).toMatchObject({ requests: 3, served: [3, 0], shares: [1, 0], retried: 0 });
    expect(chain.ledger.verify(3).ok).toBe(true);
    await expect(chain.predict(1, [1])).rejects.toThrow(/already sent/);
    await expect(chain.predict(-1, [1])).rejects.toThrow(/whole number/);
  });

  it('retries a crashed request once on the next link, and takes the crashed link down at once', async () => {
    const a = link('int8', crash);
    const b = link('fp32', good);
    const chain = chainOf([a, b]);
    const first = chain.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    const got = await first;
    expect(got.attempts.map((x) => [x.link, x.outcome])).toEqual([
      [0, 'crashed'],
      [1, 'ok'],
    ]);
    expect(got.recordedAs).toBe('fp32@v1');
    expect(chain.health[0]).toMatchObject({ up: false, trips: 1 });
    // The next request skips the down link (a skip is not an attempt).
    const next = chain.predict(1, [1]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await next).attempts).toEqual([{ link: 1, outcome: 'ok', ms: 0 }]);
    expect(a.calls).toHaveLength(1);
    chain.dispose();
  });

  it('abandons a slow attempt after the timeout, aborts it, and never answers twice', async () => {
    const a = link('int8', good, 300); // answers, but late
    const b = link('fp32', good);
    const chain = chainOf([a, b]);
    const pending = chain.predict(7, [7]);
    await vi.advanceTimersByTimeAsync(101);
    const got = await pending;
    expect(got.attempts.map((x) => x.outcome)).toEqual(['timeout', 'ok']);
    expect(got.attempts[0]).toMatchObject({ ms: 100, reason: 'int8 gave no answer within 100 ms' });
    expect(got.latencyMs - got.attempts[0].ms).toBeLessThanOrEqual(1); // the retry answers at once
    expect(a.calls[0].aborted()).toBe(true);
    await vi.advanceTimersByTimeAsync(500); // the late answer arrives and is dropped
    expect(chain.ledger.verify(8).lost).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(chain.ledger.versionOf(7)).toBe('fp32@v1');
    expect(chain.counts.served).toEqual([0, 1]);
  });

  it('tries at most two links (retried once), then answers the last failure', async () => {
    const chain = chainOf([link('a', crash), link('b', () => 'throw'), link('c', good)]);
    const pending = chain.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    const got = await pending;
    expect(got.attempts.map((x) => x.outcome)).toEqual(['crashed', 'error']);
    expect(got.result).toEqual({ ok: false, kind: 'error', reason: 'link bug' });
    expect(got).toMatchObject({ link: null, recordedAs: FAILED_VERSION });
    expect(chain.counts).toMatchObject({ failed: 1, served: [0, 0, 0] });
    chain.dispose();
  });

  it('moves on when a link refuses the input, and records a refusal by every link as refused', async () => {
    const refuse = () => fail('invalid', 'expected 2 values, got 3');
    const lax = link('lax', good);
    const chain = chainOf([
      link('strict', (_, input) => ((input as number[]).length === 2 ? good() : refuse())),
      lax,
    ]);
    const odd = chain.predict(0, [1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await odd).attempts.map((x) => x.outcome)).toEqual(['refused', 'ok']);
    const both = chainOf([link('s1', refuse), link('s2', refuse)]);
    const bad = both.predict(0, 'oops');
    await vi.advanceTimersByTimeAsync(1);
    expect(await bad).toMatchObject({
      link: null,
      recordedAs: REFUSED_VERSION,
      result: { ok: false, kind: 'invalid', reason: 'expected 2 values, got 3' },
    });
    expect(both.health.every((h) => h.up && h.failures === 0)).toBe(true);
    expect(both.counts.refused).toBe(1);
  });

  it('treats invalid probabilities as a failure and retries', async () => {
    const chain = chainOf([link('corrupt', () => answer([NaN, 1])), link('fp32', good)]);
    const pending = chain.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    const got = await pending;
    expect(got.attempts[0]).toMatchObject({
      outcome: 'invalid-output',
      reason: 'corrupt answered invalid probabilities: row 0, class 0 is NaN, not a finite number',
    });
    expect(got.link).toBe(1);
    const wide = chainOf([link('wide', () => answer([0.2, 0.3, 0.5])), link('fp32', good)]);
    const w = wide.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await w).attempts[0].reason).toMatch(/3 values is not a whole number of rows of 2/);
  });

  it('probes a down link in the background and returns to it after 2 healthy probes in a row', async () => {
    let broken = true;
    const a = link('int8', () => (broken ? crash() : good()));
    const changes: string[] = [];
    const chain = new FallbackChain({
      links: [a, link('fp32', good)],
      nClasses: 2,
      probeInput: 'probe-row',
      policy: { probeIntervalMs: 50, probesToClose: 2 },
      onHealthChange: (i, h) => changes.push(`${i}:${h.up ? 'up' : 'down'}`),
    });
    const first = chain.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    await first;
    expect(changes).toEqual(['0:down']);
    await vi.advanceTimersByTimeAsync(50 * 4); // failed probes, one every 50 ms
    const probes = a.calls.slice(1).map((c) => c.input);
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.every((input) => input === 'probe-row')).toBe(true);
    expect(chain.health[0]).toMatchObject({ up: false, probeStreak: 0 });
    broken = false;
    const before = a.calls.length;
    while (a.calls.length < before + 1) await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(chain.health[0]).toMatchObject({ up: false, probeStreak: 1 });
    while (a.calls.length < before + 2) await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(chain.health[0]).toMatchObject({ up: true, failures: 0, trips: 1 });
    expect(changes).toEqual(['0:down', '0:up']);
    const calls = a.calls.length;
    await vi.advanceTimersByTimeAsync(500); // no probes while up
    expect(a.calls).toHaveLength(calls);
    const back = chain.predict(1, [1]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await back).link).toBe(0);
    expect(chain.counts.requests).toBe(2); // probes are not requests
    expect(chain.ledger.recorded).toBe(2);
  });

  it('fails a request when every link is down, and stops probing on dispose', async () => {
    const a = link('a', crash);
    const chain = chainOf([a], { maxAttempts: 1 });
    const first = chain.predict(0, [0]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await first).recordedAs).toBe(FAILED_VERSION);
    const second = await chain.predict(1, [1]);
    expect(second.result).toMatchObject({ reason: 'Every link of the fallback chain is down.' });
    expect(second.attempts).toEqual([]);
    chain.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.calls).toHaveLength(1);
  });

  it('keeps exactly-once under a storm of mixed faults', async () => {
    const faults: Reply[] = [good(), crash(), 'hang', answer([0.5, 0.6]), fail('error', 'oom')];
    const a = link('int8', (call) => faults[call % faults.length]);
    const b = link('fp32', (call) => (call % 7 === 0 ? 'hang' : good()), 5);
    const c = link('baseline', good);
    const chain = chainOf([a, b, c], { failuresToOpen: 1000, maxAttempts: 3 });
    const all = Promise.all(Array.from({ length: 500 }, (_, i) => chain.predict(i, [i])));
    await vi.advanceTimersByTimeAsync(1000);
    const answers = await all;
    expect(chain.ledger.verify(500)).toMatchObject({ ok: true, lostCount: 0, doubledCount: 0 });
    const counts = chain.counts;
    expect(counts.served.reduce((s, n) => s + n, 0) + counts.failed + counts.refused).toBe(500);
    expect(counts.failed).toBe(0);
    expect(counts.served[0]).toBe(answers.filter((x) => x.link === 0).length);
    expect(counts.served[2]).toBeGreaterThan(0);
    expect(answers.every((x) => x.attempts.length <= 3)).toBe(true);
    chain.dispose();
  });

  it('refuses an unusable policy or an empty chain', () => {
    expect(() => chainOf([link('a', good)], { timeoutMs: -5 })).toThrow(/timeout must be/);
    expect(() => chainOf([])).toThrow(/at least one link/);
  });
});
