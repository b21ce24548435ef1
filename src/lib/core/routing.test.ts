import { describe, expect, it } from 'vitest';
import { bucketPercent, route, type RoutingPolicy } from './routing';

const state = { champion: 'v1', challenger: 'v2' };
const N = 100_000;

/** Share routed to the challenger over N requests from N / 10 users. */
function challengerShare(policy: RoutingPolicy): number {
  let hits = 0;
  for (let i = 0; i < N; i++) {
    if (route(`req-${i}`, `user-${i % (N / 10)}`, policy, state).primary === 'v2') hits++;
  }
  return hits / N;
}

/** 5 standard errors of a share p over n independent draws. */
const tolerance = (p: number, n: number): number => 5 * Math.sqrt((p * (1 - p)) / n);

describe('route', () => {
  it('single: always the champion', () => {
    expect(route('r', 'u', { kind: 'single' }, { champion: 'v1' })).toEqual({ primary: 'v1' });
  });

  it('canary: the share of requests matches the percentage within 5 standard errors', () => {
    for (const percent of [1, 5, 25, 50]) {
      const share = challengerShare({ kind: 'canary', percent });
      expect(Math.abs(share - percent / 100)).toBeLessThan(tolerance(percent / 100, N));
    }
    expect(challengerShare({ kind: 'canary', percent: 0 })).toBe(0);
    expect(challengerShare({ kind: 'canary', percent: 100 })).toBe(1);
  });

  it('canary: stepping the percentage up keeps earlier canary requests on the challenger', () => {
    for (let i = 0; i < 5000; i++) {
      const at5 = route(`req-${i}`, 'u', { kind: 'canary', percent: 5 }, state).primary;
      const at25 = route(`req-${i}`, 'u', { kind: 'canary', percent: 25 }, state).primary;
      if (at5 === 'v2') expect(at25).toBe('v2');
    }
  });

  it('A/B: the share of users matches percentB, and each user keeps one arm', () => {
    const policy: RoutingPolicy = { kind: 'ab', percentB: 30, salt: 'exp-1' };
    const users = 20_000;
    let inB = 0;
    let switched = 0;
    let mislabelled = 0;
    for (let u = 0; u < users; u++) {
      const first = route(`req-${u}-0`, `user-${u}`, policy, state);
      for (let r = 1; r < 5; r++) {
        const next = route(`req-${u}-${r}`, `user-${u}`, policy, state);
        if (next.primary !== first.primary || next.arm !== first.arm) switched++;
      }
      if (first.arm === 'B') inB++;
      if (first.primary !== (first.arm === 'B' ? 'v2' : 'v1')) mislabelled++;
    }
    expect([switched, mislabelled]).toEqual([0, 0]);
    expect(Math.abs(inB / users - 0.3)).toBeLessThan(tolerance(0.3, users));
    // Over 100,000 requests the request share follows the user share (10 requests per user).
    const share = challengerShare(policy);
    expect(Math.abs(share - 0.3)).toBeLessThan(tolerance(0.3, N / 10));
  });

  it('A/B: a new salt reshuffles users independently', () => {
    let same = 0;
    const users = 20_000;
    for (let u = 0; u < users; u++) {
      const a = route('r', `user-${u}`, { kind: 'ab', percentB: 50, salt: 'exp-1' }, state).arm;
      const b = route('r', `user-${u}`, { kind: 'ab', percentB: 50, salt: 'exp-2' }, state).arm;
      if (a === b) same++;
    }
    expect(Math.abs(same / users - 0.5)).toBeLessThan(tolerance(0.5, users));
  });

  it('shadow: the champion answers and the challenger gets a copy', () => {
    expect(route('r', 'u', { kind: 'shadow' }, state)).toEqual({ primary: 'v1', shadow: 'v2' });
  });

  it('is deterministic: same inputs, same decision, and fixed buckets', () => {
    const policy: RoutingPolicy = { kind: 'canary', percent: 37 };
    const first = Array.from(
      { length: 1000 },
      (_, i) => route(`q${i}`, 'u', policy, state).primary,
    );
    const again = Array.from(
      { length: 1000 },
      (_, i) => route(`q${i}`, 'u', policy, state).primary,
    );
    expect(again).toEqual(first);
    const b = bucketPercent('canary:', 'req-0');
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(100);
    expect(bucketPercent('canary:', 'req-0')).toBe(b);
  });

  it('refuses a policy it cannot serve', () => {
    expect(() => route('r', 'u', { kind: 'canary', percent: 5 }, { champion: 'v1' })).toThrow(
      /canary policy needs a challenger/,
    );
    expect(() => route('r', 'u', { kind: 'ab', percentB: 120, salt: 's' }, state)).toThrow(
      /percentB must be in \[0, 100\], got 120/,
    );
    expect(() => route('r', 'u', { kind: 'canary', percent: NaN }, state)).toThrow(/got NaN/);
    expect(() => route('r', 'u', { kind: 'single' }, { champion: '' })).toThrow(/no champion/);
  });
});
