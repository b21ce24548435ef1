/**
 * The pure work behind the Roll out screen: the form (traffic, canary policy, A/B plan) checked
 * into settings with messages that name the field, the A/B verdict with its plan, the shadow
 * comparison, and the saved record of the last roll-out validated on read. No storage, no
 * workers: rollout.svelte.ts does those.
 */
import { sampleSizePerArm, twoProportionZTest } from '../core/abtest';
import { DEFAULT_CANARY_POLICY, type CanaryPolicy } from '../core/rollout-policy';
import type { WindowSummary } from '../core/sim-monitor-types';

export type RolloutModeName = 'canary' | 'shadow' | 'ab';

/** The form as the learner fills it: plain numbers and text, checked by `settingsFromForm`. */
export type RolloutForm = {
  mode: RolloutModeName;
  seed: number;
  requestsPerSecond: number;
  /** Simulated length, minutes. */
  durationMinutes: number;
  windowMinutes: number;
  /** Canary schedule, e.g. "1, 5, 25, 100". */
  steps: string;
  minRequestsPerStep: number;
  minStepMinutes: number;
  maxErrorRatePoints: number;
  maxP99Ratio: number;
  /** The p99 guard also needs the challenger this many ms slower (noise floor). */
  minP99IncreaseMs: number;
  maxMixDistance: number;
  maxAccuracyDropPoints: number;
  minRequests: number;
  minLabelled: number;
  /** A/B: share of users in arm B (the challenger), percent. */
  percentB: number;
  /** A/B: minimum detectable effect on accuracy, percentage points. */
  mdePoints: number;
};

const g = DEFAULT_CANARY_POLICY.guards;
/** Two simulated hours at 100 requests/s in 5-minute windows; core's guard defaults. */
export const DEFAULT_ROLLOUT_FORM: Readonly<RolloutForm> = Object.freeze({
  mode: 'canary',
  seed: 1,
  requestsPerSecond: 100,
  durationMinutes: 120,
  windowMinutes: 5,
  steps: DEFAULT_CANARY_POLICY.steps.join(', '),
  minRequestsPerStep: DEFAULT_CANARY_POLICY.minRequestsPerStep,
  minStepMinutes: DEFAULT_CANARY_POLICY.minStepMs / 60_000,
  maxErrorRatePoints: g.maxErrorRateIncrease * 100,
  maxP99Ratio: g.maxP99Ratio,
  minP99IncreaseMs: g.minP99IncreaseMs,
  maxMixDistance: g.maxMixDistance,
  maxAccuracyDropPoints: g.maxAccuracyDropPoints,
  minRequests: g.minRequests,
  minLabelled: g.minLabelled,
  percentB: 50,
  mdePoints: 2,
});

export type RolloutPlan = {
  seed: number;
  requestsPerSecond: number;
  durationSeconds: number;
  windowMs: number;
  policy: CanaryPolicy;
  percentB: number;
  /** Absolute, a fraction (0.02 = two points). */
  mde: number;
};

type Check = [keyof RolloutForm, string, (v: number) => boolean, string];
const CHECKS: Check[] = [
  ['seed', 'Seed', (v) => Number.isSafeInteger(v), 'a whole number'],
  ['requestsPerSecond', 'Requests per second', (v) => v >= 0.1 && v <= 500, 'between 0.1 and 500'],
  ['durationMinutes', 'Length', (v) => v >= 10 && v <= 2880, 'between 10 and 2,880 minutes'],
  ['windowMinutes', 'Window', (v) => v >= 1 && v <= 240, 'between 1 and 240 minutes'],
  [
    'minRequestsPerStep',
    'Requests per step',
    (v) => Number.isInteger(v) && v >= 0,
    'a whole number >= 0',
  ],
  ['minStepMinutes', 'Minutes per step', (v) => v >= 0, '>= 0'],
  ['maxErrorRatePoints', 'Error rate limit', (v) => v >= 0 && v <= 100, 'between 0 and 100 points'],
  ['maxP99Ratio', 'p99 ratio limit', (v) => v >= 1, 'at least 1'],
  ['minP99IncreaseMs', 'p99 slack', (v) => v >= 0, '>= 0 ms'],
  ['maxMixDistance', 'Mix distance limit', (v) => v > 0 && v <= 1, 'in (0, 1]'],
  [
    'maxAccuracyDropPoints',
    'Accuracy drop limit',
    (v) => v >= 0 && v <= 100,
    'between 0 and 100 points',
  ],
  [
    'minRequests',
    'Requests before judging',
    (v) => Number.isInteger(v) && v >= 1,
    'a whole number >= 1',
  ],
  [
    'minLabelled',
    'Labels before judging',
    (v) => Number.isInteger(v) && v >= 1,
    'a whole number >= 1',
  ],
  ['percentB', 'Users in B', (v) => v > 0 && v < 100, 'between 0 and 100 (both arms need users)'],
  ['mdePoints', 'Minimum detectable effect', (v) => v > 0 && v < 50, 'between 0 and 50 points'],
];

/** The form as settings, or the first problem (naming the field). */
export function planFromForm(
  f: RolloutForm,
): { ok: true; plan: RolloutPlan } | { ok: false; error: string } {
  for (const [key, label, ok, want] of CHECKS) {
    const v = f[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
      return { ok: false, error: `${label} must be ${want}, got ${String(v)}.` };
  }
  const steps = f.steps.split(',').map((s) => Number(s.trim()));
  const ascending = steps.every((v, i) => v > 0 && v <= 100 && (i === 0 || v > steps[i - 1]));
  if (steps.length < 2 || !ascending || steps[steps.length - 1] !== 100)
    return {
      ok: false,
      error: `Canary steps must be ascending percentages ending at 100, such as "1, 5, 25, 100"; got "${f.steps}".`,
    };
  return {
    ok: true,
    plan: {
      seed: f.seed,
      requestsPerSecond: f.requestsPerSecond,
      durationSeconds: Math.round(f.durationMinutes * 60),
      windowMs: Math.round(f.windowMinutes * 60_000),
      percentB: f.percentB,
      mde: f.mdePoints / 100,
      policy: {
        steps,
        minRequestsPerStep: f.minRequestsPerStep,
        minStepMs: Math.round(f.minStepMinutes * 60_000),
        guards: {
          maxErrorRateIncrease: f.maxErrorRatePoints / 100,
          maxP99Ratio: f.maxP99Ratio,
          minP99IncreaseMs: f.minP99IncreaseMs,
          maxMixDistance: f.maxMixDistance,
          maxAccuracyDropPoints: f.maxAccuracyDropPoints,
          minRequests: f.minRequests,
          minLabelled: f.minLabelled,
        },
      },
    },
  };
}

/** Labels and right answers over windows (the A/B outcome). */
export function labelTotals(windows: readonly WindowSummary[]): {
  labels: number;
  correct: number;
} {
  let labels = 0;
  let correct = 0;
  for (const w of windows) {
    labels += w.accuracy.labels;
    correct += w.accuracy.correct;
  }
  return { labels, correct };
}

export type AbSummary = {
  a: { labels: number; correct: number };
  b: { labels: number; correct: number };
  /** Rows per arm the plan needs (sampleSizePerArm, alpha 0.05, power 0.8), or null + why. */
  planned: number | null;
  planError: string | null;
  /**
   * The change the plan is sized for: a rise of `mde`, or a drop when the baseline is so high
   * that a rise would pass 100% (a 99% champion cannot gain 2 points).
   */
  plannedFor: 'rise' | 'drop';
  /** min(labels A, labels B) / planned, in [0, 1]. */
  progress: number;
  test: { pValue: number; diff: number; ci95: [number, number]; z: number } | null;
  /** True until both arms reach the planned size: reading the p-value earlier is peeking. */
  provisional: boolean;
};

/** The A/B verdict on accuracy: arm A = the champion, B = the challenger. */
export function abSummary(
  a: readonly WindowSummary[],
  b: readonly WindowSummary[],
  baseline: number,
  mde: number,
): AbSummary {
  const [ta, tb] = [labelTotals(a), labelTotals(b)];
  let planned: number | null = null;
  let planError: string | null = null;
  const plannedFor = baseline + mde >= 1 ? 'drop' : 'rise';
  if (!(baseline > 0 && baseline < 1))
    planError = `the baseline accuracy is ${(baseline * 100).toFixed(1)}%, and a rate of exactly 0 or 100% gives no variance to size a test with`;
  else if (plannedFor === 'drop' && baseline - mde <= 0)
    planError = `a change of ${(mde * 100).toFixed(1)} points does not fit around a baseline of ${(baseline * 100).toFixed(1)}%: choose a smaller minimum detectable effect`;
  else planned = sampleSizePerArm(baseline, plannedFor === 'rise' ? mde : -mde, 0.05, 0.8);
  const test =
    ta.labels > 0 && tb.labels > 0
      ? twoProportionZTest(ta.correct, ta.labels, tb.correct, tb.labels)
      : null;
  const progress = planned ? Math.min(1, Math.min(ta.labels, tb.labels) / planned) : 0;
  return {
    a: ta,
    b: tb,
    planned,
    planError,
    plannedFor,
    progress,
    test,
    provisional: progress < 1,
  };
}

/** Shadow comparison over the run: top-1 agreement and each version's latency per window. */
export function agreementShare(
  compared: readonly number[],
  agreed: readonly number[],
): number | null {
  const n = compared.reduce((s, v) => s + v, 0);
  return n === 0 ? null : agreed.reduce((s, v) => s + v, 0) / n;
}

/** One line of the decision log / event list (times: simulated ms; `at`: wall clock ms). */
export type RolloutEvent = {
  simMs: number;
  at: number;
  kind: 'start' | 'step' | 'promote' | 'rollback' | 'manual-rollback' | 'fault' | 'end' | 'error';
  text: string;
};

/** What is kept of the last roll-out across reloads (bounded). */
export type SavedRollout = {
  modelName: string;
  mode: RolloutModeName;
  champion: string;
  challenger: string;
  savedAt: number;
  events: RolloutEvent[];
  ledger: string;
};

/** Events kept in storage: the newest ones. */
export const SAVED_EVENTS = 200;
const KINDS = new Set([
  'start',
  'step',
  'promote',
  'rollback',
  'manual-rollback',
  'fault',
  'end',
  'error',
]);

/** A stored record checked field by field; null when it is not a roll-out record. */
export function readSavedRollout(v: unknown): SavedRollout | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const str = (k: string) => typeof r[k] === 'string';
  if (!str('modelName') || !str('champion') || !str('challenger') || !str('ledger')) return null;
  if (r.mode !== 'canary' && r.mode !== 'shadow' && r.mode !== 'ab') return null;
  if (typeof r.savedAt !== 'number' || !Array.isArray(r.events)) return null;
  const events: RolloutEvent[] = [];
  for (const e of r.events.slice(-SAVED_EVENTS) as unknown[]) {
    if (typeof e !== 'object' || e === null) return null;
    const x = e as Record<string, unknown>;
    if (typeof x.simMs !== 'number' || typeof x.at !== 'number' || typeof x.text !== 'string')
      return null;
    if (typeof x.kind !== 'string' || !KINDS.has(x.kind)) return null;
    events.push({ simMs: x.simMs, at: x.at, kind: x.kind as RolloutEvent['kind'], text: x.text });
  }
  return {
    modelName: r.modelName as string,
    mode: r.mode,
    champion: r.champion as string,
    challenger: r.challenger as string,
    savedAt: r.savedAt,
    events,
    ledger: r.ledger as string,
  };
}
