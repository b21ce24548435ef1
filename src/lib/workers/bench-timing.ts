/**
 * The benchmark harness's timing method, with the clock and the event-loop yield injected so
 * that it runs under vitest with a fake clock. For one batch size:
 * 1. warm-up: untimed calls for `warmupMs` (JIT and wasm tier-up, caches, lazy allocations);
 * 2. pilot: single calls timed with the clock; their p50 decides the method: below
 *    `groupTicks` timer ticks a single reading is mostly quantisation, so calls are then timed
 *    `groupSize` at a time and each sample is a group's mean ("percentile of group means"); a
 *    few trial groups then size the group so that one lasts at least `groupTicks` ticks;
 * 3. timing: samples until `targetSamples` or `targetMs` (whichever first), but at least
 *    `minSamples` unless `capMs` has passed;
 * 4. overhead: the same loop around an empty call, the harness's own cost per call.
 * The loop yields to the event loop about every `yieldEveryMs` (outside any timed region), so
 * that progress can be posted and a cancel request can arrive.
 */
import { summarize } from '../core/latency';
import type { BenchPhase, BenchSettings } from '../protocol/bench';

/** Milliseconds from some origin (`performance.now`). */
export type Clock = () => number;

export type TimingHooks = {
  now: Clock;
  /** Lets other tasks run (message events); resolves soon after. */
  yieldNow: () => Promise<void>;
  /** True once the request was cancelled; checked after each yield. */
  cancelled: () => boolean;
  onProgress?: (phase: BenchPhase, fraction: number, samples: number) => void;
  /** Yield at most this often (default 50 ms). */
  yieldEveryMs?: number;
};

/** Thrown out of the timing loop when `cancelled()` turned true. */
export class TimingCancelled extends Error {
  override readonly name = 'TimingCancelled';
  constructor() {
    super('The benchmark was cancelled.');
  }
}

export type TimingResult = {
  timing: 'per-call' | 'group-means';
  groupSize: number;
  /** One sample per call, or per group (the group's mean), ms. */
  samplesMs: number[];
  /** Calls timed (samples x group size). */
  calls: number;
  /** Wall time of the timing phase, ms. */
  elapsedMs: number;
  /** The p50 of the pilot's single calls, ms. */
  pilotP50Ms: number;
};

/** Pilot: at most this many single calls... */
const PILOT_CALLS = 100;
/** ...or this long, ms (at least 5 calls). */
const PILOT_MS = 250;
/** Groups timed to calibrate the group size. */
const CALIBRATION_GROUPS = 5;
/** Empty calls per repeat of the overhead loop. */
const LOOP_CALLS = 2000;
/** The largest group (a call as short as a few ns would otherwise ask for millions). */
export const MAX_GROUP_SIZE = 100_000;

/**
 * The clock's step: the smallest positive difference between successive readings over about
 * `spanMs`. Chromium coarsens `performance.now()` to 5 µs when cross-origin isolated and to
 * 100 µs otherwise; a call shorter than the step often reads as 0.
 * @returns ms; Infinity if the clock never moved (a broken or frozen clock).
 */
export function timerResolutionMs(now: Clock, spanMs = 20, maxReadings = 10_000_000): number {
  const start = now();
  let last = start;
  let step = Infinity;
  for (let i = 0, t = start; t - start < spanMs && i < maxReadings; i++, t = now()) {
    if (t > last) {
      step = Math.min(step, t - last);
      last = t;
    }
  }
  return step;
}

/**
 * Calls per group so that a group lasts about `groupTicks` ticks, from the mean call time.
 * @returns 1 when the p50 of a single call already spans `groupTicks` ticks (no grouping).
 */
export function groupSizeFor(
  pilotP50Ms: number,
  meanCallMs: number,
  tickMs: number,
  groupTicks: number,
): number {
  const span = groupTicks * tickMs;
  if (pilotP50Ms >= span) return 1;
  const perCall = Math.max(meanCallMs, 1e-6);
  return Math.min(MAX_GROUP_SIZE, Math.max(2, Math.ceil(span / perCall)));
}

/** Runs the timing loop over `call` (see the file comment). `call(i)` runs call number i. */
export async function timeCalls(
  call: (i: number) => Promise<unknown>,
  settings: BenchSettings,
  tickMs: number,
  hooks: TimingHooks,
): Promise<TimingResult> {
  const { now } = hooks;
  const every = hooks.yieldEveryMs ?? 50;
  let i = 0;
  let lastYield = now();
  const pause = async (phase: BenchPhase, fraction: number, samples: number) => {
    if (now() - lastYield < every) return;
    hooks.onProgress?.(phase, fraction, samples);
    await hooks.yieldNow();
    if (hooks.cancelled()) throw new TimingCancelled();
    lastYield = now();
  };

  // 1. Warm-up.
  const w0 = now();
  while (i < settings.warmupMinCalls || now() - w0 < settings.warmupMs) {
    await call(i++);
    await pause('warmup', 0, 0);
  }

  // 2. Pilot: single calls decide the method.
  const pilot: number[] = [];
  const p0 = now();
  while (pilot.length < PILOT_CALLS && (pilot.length < 5 || now() - p0 < PILOT_MS)) {
    const t = now();
    await call(i++);
    pilot.push(now() - t);
    await pause('pilot', 0, 0);
  }
  const pilotElapsed = now() - p0;
  const pilotP50Ms = summarize(pilot).p50;
  // A typical call: the pilot's median when the clock resolved it, else the pilot's mean
  // (which rare slow calls inflate, so it is only the fallback).
  const typicalMs = pilotP50Ms > 0 ? pilotP50Ms : pilotElapsed / pilot.length;
  let groupSize = groupSizeFor(pilotP50Ms, typicalMs, tickMs, settings.groupTicks);
  if (groupSize > 1) {
    // Single readings round to whole ticks and carry the clock's own cost, so the pilot's
    // figure is rough: time a few groups, and grow the group until it spans `groupTicks` ticks.
    const perCall: number[] = [];
    for (let g = 0; g < CALIBRATION_GROUPS; g++) {
      const t = now();
      for (let k = 0; k < groupSize; k++) await call(i++);
      perCall.push((now() - t) / groupSize);
      await pause('pilot', 0, 0);
    }
    const calibrated = groupSizeFor(0, summarize(perCall).p50, tickMs, settings.groupTicks);
    groupSize = Math.max(groupSize, calibrated);
  }

  // 3. Timing.
  const samplesMs: number[] = [];
  const start = now();
  let elapsedMs: number;
  for (;;) {
    const t = now();
    for (let k = 0; k < groupSize; k++) await call(i++);
    samplesMs.push((now() - t) / groupSize);
    elapsedMs = now() - start;
    const enough = samplesMs.length >= settings.targetSamples || elapsedMs >= settings.targetMs;
    const sure = samplesMs.length >= settings.minSamples;
    if ((enough && sure) || elapsedMs >= settings.capMs) break;
    const fraction = Math.min(
      1,
      Math.max(samplesMs.length / settings.targetSamples, elapsedMs / settings.targetMs),
    );
    await pause('timing', fraction, samplesMs.length);
  }
  return {
    timing: groupSize > 1 ? 'group-means' : 'per-call',
    groupSize,
    samplesMs,
    calls: samplesMs.length * groupSize,
    elapsedMs,
    pilotP50Ms,
  };
}

/**
 * The harness's own cost per call: the timing loop of `result`'s method (per call, or groups of
 * `result.groupSize`) run around an empty async call (an `await` of a resolved promise, as a
 * runtime call is awaited). A single empty call is far below the clock's step, so the loop runs
 * `LOOP_CALLS` empty calls at a time and its wall time is divided by them; repeated for about
 * 200 ms (at least 5 times).
 * @returns the median per-call cost over the repeats, ms.
 */
export async function timeOverhead(
  result: Pick<TimingResult, 'groupSize'>,
  hooks: TimingHooks,
): Promise<number> {
  const { now } = hooks;
  const empty = async (): Promise<void> => {};
  const g = result.groupSize;
  const groups = Math.max(1, Math.round(LOOP_CALLS / g));
  const perCall: number[] = [];
  const sink: number[] = [];
  const start = now();
  let lastYield = start;
  while (perCall.length < 5 || (now() - start < 200 && perCall.length < 200)) {
    sink.length = 0;
    const t0 = now();
    for (let j = 0; j < groups; j++) {
      const t = now();
      for (let k = 0; k < g; k++) await empty();
      sink.push((now() - t) / g);
    }
    perCall.push((now() - t0) / (groups * g));
    if (now() - lastYield >= (hooks.yieldEveryMs ?? 50)) {
      hooks.onProgress?.('overhead', 1, perCall.length);
      await hooks.yieldNow();
      if (hooks.cancelled()) throw new TimingCancelled();
      lastYield = now();
    }
  }
  return summarize(perCall).p50;
}
