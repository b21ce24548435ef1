/**
 * Canary promotion and rollback as a pure state machine, and the retraining trigger. The canary
 * walks a schedule of challenger percentages (1, 5, 25, 100 by default); at each step it waits
 * for enough challenger requests AND enough simulated time, and rolls back as soon as a guard
 * breaks: error rate, p99 latency, prediction mix or accuracy on labelled traffic, challenger
 * against champion over the same windows. Counts accumulate over the step (a 1% canary sees
 * few requests per window); p99 is judged per window, since percentiles do not add up.
 * The guards and their defaults live in sim-rollout-guards.ts, the retraining trigger in
 * sim-retrain.ts; both are re-exported here.
 */
import { addArm, breachedGuards, emptyTotals, type CanaryWindow } from './sim-rollout-guards';
import type { CanaryPolicy, CanaryState, CanaryAction } from './sim-rollout-types';

export * from './sim-rollout-types';
export {
  DEFAULT_CANARY_POLICY,
  mixDistance,
  type ArmMetrics,
  type CanaryWindow,
} from './sim-rollout-guards';
export {
  shouldRetrain,
  DEFAULT_RETRAIN_POLICY,
  type RetrainPolicy,
  type RetrainDecision,
} from './sim-retrain';

/** @throws Error when the schedule is not ascending percentages in (0, 100] ending at 100. */
function checkPolicy(p: CanaryPolicy): void {
  const s = p.steps;
  if (
    s.length < 2 ||
    s[s.length - 1] !== 100 ||
    s.some((v, i) => !(v > 0 && (i === 0 || v > s[i - 1])))
  ) {
    throw new Error(
      `canary steps must be ascending percentages in (0, 100] ending at 100, got [${s.join(', ')}]`,
    );
  }
  if (!(p.minRequestsPerStep >= 0) || !(p.minStepMs >= 0)) {
    throw new Error('canary minRequestsPerStep and minStepMs must be >= 0');
  }
}

/** A canary at its first step, starting at `nowMs` (simulated). */
export function startCanary(policy: CanaryPolicy, nowMs: number): CanaryState {
  checkPolicy(policy);
  return {
    policy,
    phase: 'canary',
    stepIndex: 0,
    percent: policy.steps[0],
    stepStartedAtMs: nowMs,
    totals: emptyTotals(),
    history: [],
  };
}

const minutes = (ms: number): string => `${+(ms / 60_000).toFixed(1)} min`;

/**
 * One window of evidence: returns the next state and what to do. Transitions:
 * canary --guard broken--> rolled-back (rollback, percent 0);
 * canary --enough requests and time, next step < 100--> canary at the next step (promote-step);
 * canary --enough requests and time, next step 100--> promoted (promote-full, percent 100);
 * canary --otherwise--> canary (hold); promoted / rolled-back --any--> same (hold).
 * The input state is not modified.
 */
export function step(
  state: CanaryState,
  window: CanaryWindow,
): { state: CanaryState; action: CanaryAction } {
  const done = (kind: CanaryAction['kind'], reason: string, next: CanaryState) => {
    const action = { kind, reason, percent: next.percent, atMs: window.atMs };
    return { state: { ...next, history: [...next.history, action] }, action };
  };
  if (state.phase !== 'canary') {
    const action = {
      kind: 'hold' as const,
      reason: `the canary is over (${state.phase})`,
      percent: state.percent,
      atMs: window.atMs,
    };
    return { state, action };
  }
  const p = state.policy;
  const totals = {
    champion: addArm(state.totals.champion, window.champion),
    challenger: addArm(state.totals.challenger, window.challenger),
  };
  const broken = breachedGuards(totals, window, p.guards);
  if (broken.length > 0) {
    return done('rollback', `guard broken at ${state.percent}%: ${broken.join('; ')}`, {
      ...state,
      phase: 'rolled-back',
      percent: 0,
      totals,
    });
  }
  const n = totals.challenger.requests;
  const elapsed = window.atMs - state.stepStartedAtMs;
  if (n < p.minRequestsPerStep || elapsed < p.minStepMs) {
    const reason =
      `waiting at ${state.percent}%: ${n} of ${p.minRequestsPerStep} challenger requests, ` +
      `${minutes(Math.max(0, elapsed))} of ${minutes(p.minStepMs)}`;
    return {
      state: { ...state, totals },
      action: { kind: 'hold', reason, percent: state.percent, atMs: window.atMs },
    };
  }
  const next = state.stepIndex + 1;
  const percent = p.steps[next];
  const held = `guards held over ${n} challenger requests and ${minutes(elapsed)} at ${state.percent}%`;
  const fresh = {
    ...state,
    stepIndex: next,
    percent,
    stepStartedAtMs: window.atMs,
    totals: emptyTotals(),
  };
  if (next === p.steps.length - 1) {
    return done('promote-full', `${held}: the challenger takes all traffic`, {
      ...fresh,
      phase: 'promoted',
    });
  }
  return done('promote-step', `${held}: step up to ${percent}%`, fresh);
}
