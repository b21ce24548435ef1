import { describe, expect, it } from 'vitest';
import {
  afterAttempt,
  afterProbe,
  attemptTimeLeft,
  DEFAULT_FALLBACK_POLICY,
  fallbackPolicyProblem,
  initialHealth,
  isLinkFailure,
  nextLink,
  type LinkHealth,
} from './fallback';
import { outputProblem } from './fallback-output';
import { FallbackTally } from './fallback-tally';

const policy = DEFAULT_FALLBACK_POLICY;
const up = initialHealth;
const down = (): LinkHealth => afterAttempt(up(), 'crashed', policy, 0, 'boom');

describe('nextLink', () => {
  it('takes the first link that is up, skipping links that are down', () => {
    expect(nextLink([up(), up(), up()], [], policy)).toBe(0);
    expect(nextLink([down(), up(), up()], [], policy)).toBe(1);
    expect(nextLink([down(), down(), up()], [], policy)).toBe(2);
    expect(nextLink([down(), down(), down()], [], policy)).toBeNull();
  });

  it('retries once (maxAttempts 2), only further down the chain', () => {
    const all = [up(), up(), up()];
    expect(nextLink(all, [0], policy)).toBe(1);
    expect(nextLink(all, [0, 1], policy)).toBeNull();
    expect(nextLink(all, [1], policy)).toBe(2);
    expect(nextLink(all, [2], policy)).toBeNull();
    expect(nextLink([up(), down(), up()], [0], policy)).toBe(2);
    expect(nextLink(all, [0, 1], { maxAttempts: 3 })).toBe(2);
    expect(nextLink(all, [], { maxAttempts: 1 })).toBe(0);
    expect(nextLink(all, [0], { maxAttempts: 1 })).toBeNull();
  });
});

describe('afterAttempt: when a link goes down', () => {
  it('goes down at once on a crash, with the reason and the time', () => {
    const h = afterAttempt(up(), 'crashed', policy, 1234, 'worker died');
    expect(h).toEqual({
      up: false,
      failures: 1,
      probeStreak: 0,
      downSinceMs: 1234,
      reason: 'worker died',
      trips: 1,
    });
  });

  it('goes down after failuresToOpen failures in a row; a success resets the count', () => {
    for (const outcome of ['error', 'timeout', 'invalid-output'] as const) {
      let h = up();
      h = afterAttempt(h, outcome, policy, 1);
      h = afterAttempt(h, outcome, policy, 2);
      expect(h).toMatchObject({ up: true, failures: 2 });
      expect(afterAttempt(h, 'ok', policy, 3)).toMatchObject({ up: true, failures: 0 });
      h = afterAttempt(h, outcome, policy, 3);
      expect(h).toMatchObject({ up: false, failures: 3, downSinceMs: 3, reason: outcome });
    }
    expect(afterAttempt(up(), 'timeout', { failuresToOpen: 1 }, 5).up).toBe(false);
  });

  it('ignores refusals (bad input is not the link failing) and late answers of a down link', () => {
    let h = up();
    for (let i = 0; i < 10; i++) h = afterAttempt(h, 'refused', policy, i);
    expect(h).toEqual(up());
    const d = down();
    expect(afterAttempt(d, 'ok', policy, 9)).toBe(d);
    expect(afterAttempt(d, 'crashed', policy, 9)).toBe(d);
    expect(isLinkFailure('refused')).toBe(false);
    expect(isLinkFailure('ok')).toBe(false);
    expect(isLinkFailure('timeout')).toBe(true);
  });
});

describe('afterProbe: when a link comes back', () => {
  it('comes back after probesToClose healthy probes in a row', () => {
    let h = down();
    h = afterProbe(h, true, policy);
    h = afterProbe(h, true, policy);
    expect(h).toMatchObject({ up: false, probeStreak: 2 });
    h = afterProbe(h, true, policy);
    expect(h).toEqual({ ...up(), trips: 1 });
  });

  it('starts counting again after a failed probe', () => {
    let h = down();
    h = afterProbe(afterProbe(h, true, policy), true, policy);
    h = afterProbe(h, false, policy);
    expect(h).toMatchObject({ up: false, probeStreak: 0, reason: 'boom' });
    h = afterProbe(afterProbe(h, true, policy), true, policy);
    expect(h.up).toBe(false);
    expect(afterProbe(h, true, policy).up).toBe(true);
    expect(afterProbe(up(), false, policy)).toEqual(up());
  });
});

describe('policy and deadline', () => {
  it('refuses unusable policies with the reason', () => {
    expect(fallbackPolicyProblem(policy)).toBeNull();
    expect(fallbackPolicyProblem({ ...policy, timeoutMs: 0 })).toMatch(
      /timeout must be a positive number/,
    );
    expect(fallbackPolicyProblem({ ...policy, maxAttempts: 1.5 })).toMatch(/maxAttempts/);
    expect(fallbackPolicyProblem({ ...policy, probesToClose: 0 })).toMatch(/probesToClose/);
    expect(fallbackPolicyProblem({ ...policy, probeIntervalMs: -1 })).toMatch(/probe interval/);
  });

  it('gives each attempt the full timeout', () => {
    expect(attemptTimeLeft(100, 100, 250)).toBe(250);
    expect(attemptTimeLeft(100, 300, 250)).toBe(50);
    expect(attemptTimeLeft(100, 400, 250)).toBe(0);
  });
});

describe('outputProblem: the validity check', () => {
  it('accepts probability rows, within 1e-3 of summing to 1', () => {
    expect(outputProblem([0.2, 0.3, 0.5, 1, 0, 0], 3)).toBeNull();
    expect(outputProblem(Float32Array.from([0.1, 0.2, 0.7004]), 3)).toBeNull();
  });

  it('names the first bad row and value', () => {
    expect(outputProblem([0.2, 0.8, NaN, 1], 2)).toBe('row 1, class 0 is NaN, not a finite number');
    expect(outputProblem([Infinity, 0], 2)).toMatch(/row 0, class 0 is Infinity/);
    expect(outputProblem([1.5, -0.5], 2)).toBe('row 0, class 0 is 1.5, outside [0, 1]');
    expect(outputProblem([0.5, 0.6], 2)).toBe('row 0 sums to 1.1, not 1 (tolerance 0.001)');
    expect(outputProblem([0.1, 0.2, 0.7011], 3)).toMatch(/sums to 1.0011/);
    expect(outputProblem([0.5, 0.5, 0.5], 2)).toMatch(/not a whole number of rows/);
    expect(outputProblem([], 2)).toMatch(/0 values/);
    expect(outputProblem([0.5, 0.6], 2, 0.2)).toBeNull();
  });
});

describe('FallbackTally', () => {
  it('counts requests, shares per link, retries, refusals and failures', () => {
    const t = new FallbackTally(3);
    t.record({ kind: 'served', link: 0 }, [{ link: 0, outcome: 'ok' }]);
    t.record({ kind: 'served', link: 1 }, [
      { link: 0, outcome: 'crashed' },
      { link: 1, outcome: 'ok' },
    ]);
    t.record({ kind: 'served', link: 1 }, [{ link: 1, outcome: 'ok' }]);
    t.record({ kind: 'refused' }, [
      { link: 1, outcome: 'refused' },
      { link: 2, outcome: 'refused' },
    ]);
    t.record({ kind: 'failed' }, []);
    const c = t.snapshot();
    expect(c).toMatchObject({ requests: 5, served: [1, 2, 0], retried: 2, refused: 1, failed: 1 });
    expect(c.shares).toEqual([0.2, 0.4, 0]);
    expect(c.outcomes[0]).toMatchObject({ ok: 1, crashed: 1 });
    expect(c.outcomes[1]).toMatchObject({ ok: 2, refused: 1 });
    t.reset();
    expect(t.snapshot()).toMatchObject({ requests: 0, served: [0, 0, 0], shares: [0, 0, 0] });
    expect(() => new FallbackTally(0)).toThrow(/at least one link/);
  });
});
