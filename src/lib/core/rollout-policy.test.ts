import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CANARY_POLICY,
  mixDistance,
  startCanary,
  step,
  type ArmMetrics,
  type CanaryPolicy,
  type CanaryState,
} from './rollout-policy';

const MIN = 60_000;
const policy: CanaryPolicy = {
  ...DEFAULT_CANARY_POLICY,
  minRequestsPerStep: 500,
  minStepMs: 10 * MIN,
};
const arm = (patch: Partial<ArmMetrics> = {}): ArmMetrics => ({
  requests: 1000,
  errors: 2,
  p99LatencyMs: 10,
  classMix: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
  labelled: 500,
  correct: 450,
  ...patch,
});
/** A healthy 10-minute window ending at `atMs`, the challenger patched. */
const win = (
  atMs: number,
  challenger: Partial<ArmMetrics> = {},
  champion: Partial<ArmMetrics> = {},
) => ({
  atMs,
  champion: arm(champion),
  challenger: arm(challenger),
});

/** Feeds healthy windows until the canary leaves `percent`; returns the last result. */
function advance(state: CanaryState, from: number) {
  let t = from;
  for (;;) {
    t += 10 * MIN;
    const r = step(state, win(t));
    if (r.action.kind !== 'hold') return { ...r, t };
    state = r.state;
  }
}

describe('canary state machine', () => {
  it('starts at the first step and refuses a bad schedule', () => {
    expect(startCanary(policy, 0)).toMatchObject({
      phase: 'canary',
      stepIndex: 0,
      percent: 1,
      history: [],
    });
    for (const steps of [[1, 5], [5, 1, 100], [0, 100], [100]]) {
      expect(() => startCanary({ ...policy, steps }, 0)).toThrow(/ascending percentages/);
    }
  });

  it('holds until both the requests and the time at a step are reached', () => {
    const s0 = startCanary(policy, 0);
    const few = step(s0, win(20 * MIN, { requests: 300 }));
    expect(few.action).toMatchObject({ kind: 'hold', percent: 1 });
    expect(few.action.reason).toMatch(
      /waiting at 1%: 300 of 500 challenger requests, 20 min of 10 min/,
    );
    const early = step(s0, win(5 * MIN));
    expect(early.action.kind).toBe('hold');
    expect(early.action.reason).toMatch(/1000 of 500 .* 5 min of 10 min/);
    // Requests add up over windows at the same step.
    const next = step(few.state, win(30 * MIN, { requests: 300 }));
    expect(next.action).toMatchObject({ kind: 'promote-step', percent: 5 });
  });

  it('walks 1 -> 5 -> 25 (promote-step) -> 100 (promote-full), then stays promoted', () => {
    let state = startCanary(policy, 0);
    const seen: string[] = [];
    let t = 0;
    for (let k = 0; k < 3; k++) {
      const r = advance(state, t);
      seen.push(`${r.action.kind}:${r.action.percent}`);
      [state, t] = [r.state, r.t];
      expect(state.totals.challenger.requests).toBe(0); // counts restart at each step
      expect(state.stepStartedAtMs).toBe(t);
    }
    expect(seen).toEqual(['promote-step:5', 'promote-step:25', 'promote-full:100']);
    expect(state).toMatchObject({ phase: 'promoted', percent: 100 });
    expect(state.history.map((a) => a.kind)).toEqual([
      'promote-step',
      'promote-step',
      'promote-full',
    ]);
    const after = step(state, win(t + MIN, { errors: 900 }));
    expect(after.action).toMatchObject({ kind: 'hold', reason: 'the canary is over (promoted)' });
    expect(after.state).toBe(state);
  });

  it.each([
    ['error rate', { errors: 40 }, {}, /error rate \+3.8 points/],
    [
      'p99 against the champion',
      { p99LatencyMs: 16 },
      {},
      /p99 16 ms vs champion 10 ms \(limit x1.5\)/,
    ],
    [
      'prediction mix',
      { classMix: [550, 50, 50, 50, 50, 50, 50, 50, 50, 50] },
      {},
      /prediction mix distance 0.45/,
    ],
    ['accuracy on labelled traffic', { correct: 420 }, {}, /accuracy 6 points below the champion/],
  ] as [string, Partial<ArmMetrics>, Partial<ArmMetrics>, RegExp][])(
    'rolls back when a guard breaks: %s',
    (_name, challenger, champion, reason) => {
      const s = advance(startCanary(policy, 0), 0).state; // at 5%
      const r = step(s, win(s.stepStartedAtMs + MIN, challenger, champion));
      expect(r.action).toMatchObject({ kind: 'rollback', percent: 0 });
      expect(r.action.reason).toMatch(/^guard broken at 5%: /);
      expect(r.action.reason).toMatch(reason);
      expect(r.state.phase).toBe('rolled-back');
      expect(r.state.history.map((a) => a.kind)).toEqual(['promote-step', 'rollback']);
      expect(step(r.state, win(s.stepStartedAtMs + 2 * MIN)).action.reason).toBe(
        'the canary is over (rolled-back)',
      );
    },
  );

  it('rolls back on an absolute p99 cap when one is set', () => {
    const capped = { ...policy, guards: { ...policy.guards, maxP99Ms: 12 } };
    const r = step(startCanary(capped, 0), win(MIN, { p99LatencyMs: 13 }, { p99LatencyMs: 12 }));
    expect(r.action.kind).toBe('rollback');
    expect(r.action.reason).toMatch(/p99 13 ms \(limit 12 ms\)/);
  });

  it('with a p99 slack set, does not roll back on a ratio below it (timer noise)', () => {
    // 40 us against 20 us is twice the champion, but 0.02 ms slower (under a 0.25 ms slack).
    const slack = { ...policy, guards: { ...policy.guards, minP99IncreaseMs: 0.25 } };
    const noise = step(
      startCanary(slack, 0),
      win(MIN, { p99LatencyMs: 0.04 }, { p99LatencyMs: 0.02 }),
    );
    expect(noise.action.kind).not.toBe('rollback');
    const real = step(
      startCanary(slack, 0),
      win(MIN, { p99LatencyMs: 1.1 }, { p99LatencyMs: 0.02 }),
    );
    expect(real.action.kind).toBe('rollback');
  });

  it('waits for evidence: a guard with too few requests or labels neither passes nor breaks', () => {
    const s0 = startCanary(policy, 0);
    const thin = step(
      s0,
      win(MIN, { requests: 50, errors: 25, p99LatencyMs: 99, labelled: 50, correct: 0 }),
    );
    expect(thin.action.kind).toBe('hold');
    // The same error share over enough requests breaks the guard.
    expect(step(thin.state, win(2 * MIN, { requests: 200, errors: 100 })).action.kind).toBe(
      'rollback',
    );
  });

  it('does not modify the state it is given', () => {
    const s0 = startCanary(policy, 0);
    const copy = JSON.parse(JSON.stringify(s0));
    step(s0, win(20 * MIN));
    step(s0, win(MIN, { errors: 500 }));
    expect(JSON.parse(JSON.stringify(s0))).toEqual(copy);
  });

  it('mixDistance is the total variation distance of the shares', () => {
    expect(mixDistance([1, 1], [2, 2])).toBe(0);
    expect(mixDistance([1, 0], [0, 1])).toBe(1);
    expect(mixDistance([3, 1], [1, 1])).toBeCloseTo(0.25, 12);
    expect(mixDistance([], [1])).toBe(0);
  });
});
