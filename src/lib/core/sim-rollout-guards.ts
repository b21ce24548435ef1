/**
 * Guard metrics of a canary (rollout-policy.ts): challenger against champion over the same
 * windows. A guard only judges once both arms have enough evidence (`minRequests`, or
 * `minLabelled` for accuracy); until then it neither passes nor breaks, it waits.
 */

/** One arm's metrics over one window. */
export type ArmMetrics = {
  requests: number;
  errors: number;
  /** p99 latency over the window, ms; null without samples. */
  p99LatencyMs: number | null;
  /** Predicted-class counts. */
  classMix: readonly number[];
  /** Requests whose labels have arrived, and how many of those were right. */
  labelled: number;
  correct: number;
};

/** Both arms over one window ending at `atMs` (simulated). */
export type CanaryWindow = { atMs: number; champion: ArmMetrics; challenger: ArmMetrics };

/** Counts accumulated over a step. */
export type ArmTotals = Omit<ArmMetrics, 'p99LatencyMs' | 'classMix'> & { classMix: number[] };

export type GuardThresholds = {
  /** Challenger error rate minus champion error rate (fractions) above this breaks. */
  maxErrorRateIncrease: number;
  /** Challenger p99 above this multiple of the champion's p99 breaks. */
  maxP99Ratio: number;
  /** Challenger p99 above this many ms breaks (optional absolute cap). */
  maxP99Ms?: number;
  /**
   * The ratio breaks only when the challenger's p99 is also at least this many ms above the
   * champion's: at tens of microseconds, a 2x ratio can be scheduling noise, not a slower model.
   * Default 0 (off): the simulator spreads a call's round trip over the rows of its batch, so even
   * a large injected delay shows as a sub-millisecond per-request rise at full speed.
   */
  minP99IncreaseMs?: number;
  /** Total variation distance between the arms' predicted-class mixes above this breaks. */
  maxMixDistance: number;
  /** Champion accuracy minus challenger accuracy, percentage points, above this breaks. */
  maxAccuracyDropPoints: number;
  /** Requests per arm before error rate and mix judge (over the step) and p99 (per window). */
  minRequests: number;
  /** Labelled requests per arm (over the step) before accuracy judges. */
  minLabelled: number;
};

export const DEFAULT_CANARY_POLICY = Object.freeze({
  steps: Object.freeze([1, 5, 25, 100]),
  minRequestsPerStep: 500,
  minStepMs: 10 * 60_000,
  guards: Object.freeze({
    maxErrorRateIncrease: 0.01,
    maxP99Ratio: 1.5,
    minP99IncreaseMs: 0,
    maxMixDistance: 0.15,
    maxAccuracyDropPoints: 3,
    minRequests: 200,
    minLabelled: 200,
  }),
});

export const emptyTotals = (): { champion: ArmTotals; challenger: ArmTotals } => ({
  champion: { requests: 0, errors: 0, classMix: [], labelled: 0, correct: 0 },
  challenger: { requests: 0, errors: 0, classMix: [], labelled: 0, correct: 0 },
});

/** Totals plus one window (a new object). */
export function addArm(t: ArmTotals, w: ArmMetrics): ArmTotals {
  const n = Math.max(t.classMix.length, w.classMix.length);
  return {
    requests: t.requests + w.requests,
    errors: t.errors + w.errors,
    classMix: Array.from({ length: n }, (_, c) => (t.classMix[c] ?? 0) + (w.classMix[c] ?? 0)),
    labelled: t.labelled + w.labelled,
    correct: t.correct + w.correct,
  };
}

/** Total variation distance between two count vectors' shares: 0.5 sum |p - q|, in [0, 1]. */
export function mixDistance(a: readonly number[], b: readonly number[]): number {
  const sa = a.reduce((s, v) => s + v, 0);
  const sb = b.reduce((s, v) => s + v, 0);
  if (sa === 0 || sb === 0) return 0;
  let d = 0;
  for (let c = 0; c < Math.max(a.length, b.length); c++) {
    d += Math.abs((a[c] ?? 0) / sa - (b[c] ?? 0) / sb);
  }
  return d / 2;
}

const f = (v: number, digits = 3): string => String(+v.toFixed(digits));

/** The guards that break, as sentences (empty: all hold or are still waiting for evidence). */
export function breachedGuards(
  totals: { champion: ArmTotals; challenger: ArmTotals },
  window: CanaryWindow,
  g: GuardThresholds,
): string[] {
  const out: string[] = [];
  const [h, c] = [totals.champion, totals.challenger];
  if (h.requests >= g.minRequests && c.requests >= g.minRequests) {
    const rise = c.errors / c.requests - h.errors / h.requests;
    if (rise > g.maxErrorRateIncrease) {
      out.push(
        `error rate +${f(rise * 100, 2)} points over the champion (limit ${f(g.maxErrorRateIncrease * 100, 2)})`,
      );
    }
    const mix = mixDistance(h.classMix, c.classMix);
    if (mix > g.maxMixDistance) {
      out.push(`prediction mix distance ${f(mix)} (limit ${g.maxMixDistance})`);
    }
  }
  const [ph, pc] = [window.champion.p99LatencyMs, window.challenger.p99LatencyMs];
  if (pc !== null && window.challenger.requests >= g.minRequests) {
    if (g.maxP99Ms !== undefined && pc > g.maxP99Ms) {
      out.push(`p99 ${f(pc, 2)} ms (limit ${g.maxP99Ms} ms)`);
    } else if (
      ph !== null &&
      window.champion.requests >= g.minRequests &&
      p99RatioBroken(pc, ph, g)
    ) {
      out.push(
        `p99 ${f(pc, 2)} ms vs champion ${f(ph, 2)} ms (limit x${g.maxP99Ratio}${g.minP99IncreaseMs ? `, and at least +${g.minP99IncreaseMs} ms` : ''})`,
      );
    }
  }
  if (h.labelled >= g.minLabelled && c.labelled >= g.minLabelled) {
    const drop = (h.correct / h.labelled - c.correct / c.labelled) * 100;
    if (drop > g.maxAccuracyDropPoints) {
      out.push(
        `accuracy ${f(drop, 2)} points below the champion (limit ${g.maxAccuracyDropPoints})`,
      );
    }
  }
  return out;
}

/** The p99 ratio guard: over the ratio AND over the absolute slack (ms). */
export function p99RatioBroken(
  challengerMs: number,
  championMs: number,
  g: GuardThresholds,
): boolean {
  return (
    challengerMs > g.maxP99Ratio * championMs &&
    challengerMs - championMs >= (g.minP99IncreaseMs ?? 0)
  );
}
