/**
 * The Operate dashboard's time series, from the monitor's closed windows: one point per window
 * at its end (simulated ms), a sliding view (moving sums of the last N windows), stacked class
 * shares, and time ticks. Pure: no DOM. Rates are fractions in [0, 1]; times are simulated ms.
 */
import type { LabelTally, WindowSummary } from '../core/sim-monitor-types';
import { formatSimTime } from '../core/sim-scenario-types';

/** One point of a time series: x = simulated ms (a window's end), y in the series' unit. */
export type TimePoint = { x: number; y: number };

/**
 * The points of `pick` over the windows, at each window's end; windows where `pick` gives null
 * (no requests, no labels, no drift sample) are left out, so a line skips them.
 */
export function seriesOf(
  windows: readonly WindowSummary[],
  pick: (w: WindowSummary) => number | null | undefined,
): TimePoint[] {
  const out: TimePoint[] = [];
  for (const w of windows) {
    const y = pick(w);
    if (y !== null && y !== undefined && Number.isFinite(y)) out.push({ x: w.endMs, y });
  }
  return out;
}

const sumInto = (into: number[], add: readonly number[]): void => {
  for (let i = 0; i < add.length; i++) into[i] = (into[i] ?? 0) + add[i];
};

const tallyOf = (labels: number, correct: number): LabelTally => ({
  labels,
  correct,
  accuracy: labels > 0 ? correct / labels : null,
});

/**
 * Sliding windows: window i becomes the moving sum of windows i-n+1 .. i (fewer at the start).
 * Counts add up (requests, errors, rejections, class mix, confidence histogram, label tallies);
 * rates are recomputed from the sums (requests per second over the covered span); CBPE is the
 * mean over the predictions, weighted by each window's prediction count. Latency percentiles
 * and drift verdicts cannot be summed from summaries, so they stay those of window i itself.
 * @param n windows per sliding window, an integer >= 1 (1 returns the windows unchanged).
 */
export function slidingWindows(windows: readonly WindowSummary[], n: number): WindowSummary[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`sliding window must be >= 1, got ${n}`);
  if (n === 1) return [...windows];
  return windows.map((w, i) => {
    const span = windows.slice(Math.max(0, i - n + 1), i + 1);
    const classMix: number[] = [];
    const confidenceHistogram: number[] = [];
    let [requests, errors, rejections, labels, correct, ownLabels, ownCorrect] = [
      0, 0, 0, 0, 0, 0, 0,
    ];
    let [cbpeSum, predictions] = [0, 0];
    for (const s of span) {
      requests += s.requests;
      errors += s.errors;
      rejections += s.rejections;
      sumInto(classMix, s.classMix);
      sumInto(confidenceHistogram, s.confidenceHistogram);
      labels += s.accuracy.labels;
      correct += s.accuracy.correct;
      ownLabels += s.ownAccuracy.labels;
      ownCorrect += s.ownAccuracy.correct;
      const k = s.classMix.reduce((a, b) => a + b, 0);
      if (s.cbpe !== null && k > 0)
        [cbpeSum, predictions] = [cbpeSum + s.cbpe * k, predictions + k];
    }
    const seconds = (w.endMs - span[0].startMs) / 1000;
    return {
      ...w,
      startMs: span[0].startMs,
      requests,
      ratePerSecond: seconds > 0 ? requests / seconds : 0,
      errors,
      rejections,
      errorRate: requests > 0 ? errors / requests : null,
      rejectionRate: requests > 0 ? rejections / requests : null,
      classMix,
      confidenceHistogram,
      cbpe: predictions > 0 ? cbpeSum / predictions : null,
      accuracy: tallyOf(labels, correct),
      ownAccuracy: tallyOf(ownLabels, ownCorrect),
    };
  });
}

/** One class's band of the stacked class-mix chart: shares in [0, 1] at each window's end. */
export type ClassBand = { cls: number; points: { x: number; y0: number; y1: number }[] };

/**
 * Predicted-class shares stacked from class 0 up (each window's bands sum to 1); windows without
 * predictions are left out.
 */
export function classMixBands(windows: readonly WindowSummary[], nClasses: number): ClassBand[] {
  const bands: ClassBand[] = Array.from({ length: nClasses }, (_, cls) => ({ cls, points: [] }));
  for (const w of windows) {
    const total = w.classMix.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    let y0 = 0;
    for (let c = 0; c < nClasses; c++) {
      const y1 = y0 + (w.classMix[c] ?? 0) / total;
      bands[c].points.push({ x: w.endMs, y0, y1: c === nClasses - 1 ? 1 : y1 });
      y0 = y1;
    }
  }
  return bands;
}

const TIME_STEPS_MS = [1, 5, 10, 15, 30]
  .map((m) => m * 60_000)
  .concat([1, 2, 3, 6, 12, 24, 48, 168].map((h) => h * 3_600_000));

/**
 * About `count` round simulated-time ticks within [min, max] ms: multiples of 1, 5, 10, 15 or
 * 30 min, or 1, 2, 3, 6, 12, 24, 48 or 168 h, whichever first gives at most `count` ticks.
 */
export function timeTicks(min: number, max: number, count = 5): { step: number; ticks: number[] } {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || max <= min) {
    return { step: 0, ticks: Number.isFinite(min) ? [min] : [] };
  }
  const step =
    TIME_STEPS_MS.find((s) => Math.floor(max / s) - Math.ceil(min / s) + 1 <= count) ??
    TIME_STEPS_MS[TIME_STEPS_MS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return { step, ticks };
}

/** A tick label in two lines: ["day 1", "06:00"] (seconds dropped: ticks are whole minutes). */
export function tickLabel(ms: number): [string, string] {
  const [day, clock] = formatSimTime(ms).split(', ');
  return [day, clock.slice(0, 5)];
}

/** A fraction as a percentage with one decimal ("12.5%"); "n/a" for null. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v)
    ? 'n/a'
    : `${(v * 100).toFixed(digits)}%`;
}

/** The latest window with a drift verdict (the one `monitor.lastDrift` describes), or null. */
export function latestDriftWindow(windows: readonly WindowSummary[]): WindowSummary | null {
  for (let i = windows.length - 1; i >= 0; i--) if (windows[i].drift) return windows[i];
  return null;
}

/** A class's name in legends: "digit 3"; breast cancer 0 = malignant, 1 = benign (CONTRACTS.md). */
export function classLabel(dataset: 'digits' | 'breast-cancer', cls: number): string {
  if (dataset === 'digits') return `digit ${cls}`;
  return cls === 0 ? 'malignant (0)' : cls === 1 ? 'benign (1)' : `class ${cls}`;
}

/**
 * A y domain from 0 to a little above the largest value (rates, latencies and shares start at
 * 0), at least [0, minTop] so that an all-zero series (no errors) sits on the floor.
 */
export function zeroBasedDomain(
  series: readonly { points: readonly TimePoint[] }[],
  minTop: number,
): [number, number] {
  let top = 0;
  for (const s of series) for (const p of s.points) if (p.y > top) top = p.y;
  return [0, Math.max(minTop, top * 1.1)];
}
