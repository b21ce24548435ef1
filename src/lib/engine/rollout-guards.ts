/**
 * The canary's guards as numbers for the screen: for one window, each guard's value against its
 * limit, and whether it holds, breaks or still waits for evidence. The same rules as core's
 * `breachedGuards` (sim-rollout-guards.ts), which decides; this only shows the figures, so a
 * learner sees why the policy promoted, held or rolled back.
 */
import {
  addArm,
  mixDistance,
  p99RatioBroken,
  type ArmMetrics,
  type ArmTotals,
  type CanaryWindow,
  type GuardThresholds,
} from '../core/sim-rollout-guards';
import type { WindowSummary } from '../core/sim-monitor-types';

export type GuardStatus = 'ok' | 'broken' | 'waiting';

/** One guard over one window. */
export type GuardReading = {
  guard: 'error rate' | 'p99 latency' | 'prediction mix' | 'accuracy';
  /** The value judged, in `unit` (null while waiting for evidence). */
  value: number | null;
  limit: number;
  /** 'points' (percentage points), 'x' (ratio to the champion), 'ms', or '' (a distance). */
  unit: 'points' | 'x' | 'ms' | '';
  status: GuardStatus;
  /** What the value is, or what it waits for, in words. */
  detail: string;
};

/** One arm's window as the guards read it. */
export function armMetrics(w: WindowSummary | undefined): ArmMetrics {
  if (!w)
    return { requests: 0, errors: 0, p99LatencyMs: null, classMix: [], labelled: 0, correct: 0 };
  return {
    requests: w.requests,
    errors: w.errors,
    p99LatencyMs: w.latency?.p99 ?? null,
    classMix: w.classMix,
    labelled: w.accuracy.labels,
    correct: w.accuracy.correct,
  };
}

const judge = (broken: boolean): GuardStatus => (broken ? 'broken' : 'ok');

/**
 * Each guard for `window`, given the step's totals BEFORE it (the window is added here, as
 * core's `step` adds it).
 */
export function guardReadings(
  before: { champion: ArmTotals; challenger: ArmTotals },
  window: CanaryWindow,
  g: GuardThresholds,
): GuardReading[] {
  const h = addArm(before.champion, window.champion);
  const c = addArm(before.challenger, window.challenger);
  const enough = h.requests >= g.minRequests && c.requests >= g.minRequests;
  const waitFor = `waiting for ${g.minRequests} requests per arm (${h.requests} and ${c.requests} this step)`;
  const out: GuardReading[] = [];
  const rise = enough ? (c.errors / c.requests - h.errors / h.requests) * 100 : null;
  out.push({
    guard: 'error rate',
    value: rise,
    limit: g.maxErrorRateIncrease * 100,
    unit: 'points',
    status: rise === null ? 'waiting' : judge(rise > g.maxErrorRateIncrease * 100),
    detail: rise === null ? waitFor : 'challenger minus champion, over the step',
  });
  const mix = enough ? mixDistance(h.classMix, c.classMix) : null;
  out.push({
    guard: 'prediction mix',
    value: mix,
    limit: g.maxMixDistance,
    unit: '',
    status: mix === null ? 'waiting' : judge(mix > g.maxMixDistance),
    detail: mix === null ? waitFor : 'total variation distance between the class mixes',
  });
  out.push(p99Reading(window, g));
  const labelled = h.labelled >= g.minLabelled && c.labelled >= g.minLabelled;
  const drop = labelled ? (h.correct / h.labelled - c.correct / c.labelled) * 100 : null;
  out.push({
    guard: 'accuracy',
    value: drop,
    limit: g.maxAccuracyDropPoints,
    unit: 'points',
    status: drop === null ? 'waiting' : judge(drop > g.maxAccuracyDropPoints),
    detail:
      drop === null
        ? `waiting for ${g.minLabelled} labels per arm (${h.labelled} and ${c.labelled} this step)`
        : 'champion accuracy minus challenger accuracy on arrived labels',
  });
  return out;
}

/** p99 is judged per window (percentiles do not add up over a step). */
function p99Reading(window: CanaryWindow, g: GuardThresholds): GuardReading {
  const [ph, pc] = [window.champion.p99LatencyMs, window.challenger.p99LatencyMs];
  const base = { guard: 'p99 latency' as const };
  if (pc === null || window.challenger.requests < g.minRequests) {
    const n = window.challenger.requests;
    return {
      ...base,
      value: null,
      limit: g.maxP99Ratio,
      unit: 'x',
      status: 'waiting',
      detail: `waiting for ${g.minRequests} challenger requests in a window (${n} in this one)`,
    };
  }
  if (g.maxP99Ms !== undefined && pc > g.maxP99Ms) {
    return {
      ...base,
      value: pc,
      limit: g.maxP99Ms,
      unit: 'ms',
      status: 'broken',
      detail: 'challenger p99 over the absolute cap',
    };
  }
  if (ph === null || window.champion.requests < g.minRequests) {
    return {
      ...base,
      value: null,
      limit: g.maxP99Ratio,
      unit: 'x',
      status: 'waiting',
      detail: `waiting for ${g.minRequests} champion requests in a window`,
    };
  }
  const ratio = ph > 0 ? pc / ph : pc > 0 ? Infinity : 1;
  return {
    ...base,
    value: ratio,
    limit: g.maxP99Ratio,
    unit: 'x',
    status: judge(p99RatioBroken(pc, ph, g)),
    detail: `challenger p99 ${fmtMs(pc)} against champion ${fmtMs(ph)} (breaks above x${g.maxP99Ratio}${g.minP99IncreaseMs ? ` and +${g.minP99IncreaseMs} ms` : ''})`,
  };
}

/** Milliseconds with enough digits for microsecond-scale latencies. */
export function fmtMs(ms: number): string {
  return ms >= 10
    ? `${ms.toFixed(1)} ms`
    : ms >= 0.1
      ? `${ms.toFixed(3)} ms`
      : `${(ms * 1000).toFixed(1)} µs`;
}
