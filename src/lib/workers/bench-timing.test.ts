import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_SETTINGS, type BenchSettings } from '../protocol/bench';
import {
  MAX_GROUP_SIZE,
  TimingCancelled,
  groupSizeFor,
  timeCalls,
  timeOverhead,
  timerResolutionMs,
  type TimingHooks,
} from './bench-timing';

/**
 * A fake machine: `t` is the true time in ms; the clock reads it rounded down to `tick` (as
 * Chromium coarsens performance.now()); a call costs `costMs` of true time.
 */
function machine(tick: number, costMs: number | ((i: number) => number)) {
  const m = {
    t: 0,
    calls: 0,
    yields: 0,
    now: () => Math.floor(m.t / tick + 1e-9) * tick,
    call: async (i: number) => {
      m.calls++;
      m.t += typeof costMs === 'number' ? costMs : costMs(i);
    },
  };
  return m;
}

function hooks(m: ReturnType<typeof machine>, extra: Partial<TimingHooks> = {}): TimingHooks {
  return {
    now: m.now,
    yieldNow: async () => {
      m.yields++;
    },
    cancelled: () => false,
    ...extra,
  };
}

const SETTINGS: BenchSettings = { ...DEFAULT_BENCH_SETTINGS };

describe('timerResolutionMs', () => {
  it('finds the smallest step of a coarse clock', () => {
    let t = 0;
    const now = () => {
      t += 0.001;
      return Math.floor(t / 0.1) * 0.1;
    };
    expect(timerResolutionMs(now, 20)).toBeCloseTo(0.1, 9);
  });

  it('is Infinity for a clock that never moves (and does not spin forever)', () => {
    expect(timerResolutionMs(() => 5, 20, 1000)).toBe(Infinity);
  });
});

describe('groupSizeFor', () => {
  it('does not group a call whose p50 spans 20 ticks', () => {
    expect(groupSizeFor(0.1, 0.1, 0.005, 20)).toBe(1);
    expect(groupSizeFor(2.5, 2.4, 0.1, 20)).toBe(1);
  });

  it('groups shorter calls so that a group lasts about 20 ticks', () => {
    expect(groupSizeFor(0.0, 0.004, 0.1, 20)).toBe(500); // 2 ms / 4 µs
    expect(groupSizeFor(0.05, 0.05, 0.005, 20)).toBe(2); // 100 µs / 50 µs
    expect(groupSizeFor(0.099, 0.099, 0.005, 20)).toBe(2); // at least 2
    expect(groupSizeFor(0, 0, 0.1, 20)).toBe(MAX_GROUP_SIZE);
  });
});

describe('timeCalls', () => {
  it('times a 4 µs call on a 100 µs clock in groups, and recovers its duration', async () => {
    const m = machine(0.1, 0.004);
    const r = await timeCalls(m.call, SETTINGS, 0.1, hooks(m));
    expect(r.timing).toBe('group-means');
    expect(r.pilotP50Ms).toBe(0); // single readings are mostly 0 on this clock
    expect(r.groupSize).toBeGreaterThanOrEqual(500);
    expect(r.samplesMs.length).toBeGreaterThanOrEqual(100);
    const mean = r.samplesMs.reduce((a, b) => a + b, 0) / r.samplesMs.length;
    expect(mean).toBeCloseTo(0.004, 4);
    // >= 1,000 samples or >= 2 s, whichever first.
    expect(r.samplesMs.length === 1000 || r.elapsedMs >= 2000).toBe(true);
    expect(r.elapsedMs).toBeLessThan(2000 + r.groupSize * 0.004 + 0.2);
    expect(r.calls).toBe(r.samplesMs.length * r.groupSize);
  });

  it('sizes groups from trial groups, so that a group spans 20 ticks of calls', async () => {
    // A slow clock: each reading costs 10 µs, as much as the call itself. Single readings say
    // 20 µs per call; trial groups show the call costs about 10 µs.
    let t = 0;
    const now = () => {
      t += 0.01;
      return Math.floor(t / 0.005 + 1e-9) * 0.005;
    };
    const call = async () => {
      t += 0.01;
    };
    const h: TimingHooks = { now, yieldNow: async () => {}, cancelled: () => false };
    const r = await timeCalls(call, SETTINGS, 0.005, h);
    expect(r.timing).toBe('group-means');
    expect(r.pilotP50Ms).toBeCloseTo(0.02, 6);
    // The pilot alone would pick 5 (100 µs / 20 µs); a group as timed (its calls and one
    // reading) now spans at least 20 ticks.
    expect(r.groupSize).toBeGreaterThan(5);
    expect(r.groupSize * 0.01 + 0.01).toBeGreaterThanOrEqual(20 * 0.005 - 1e-12);
  });

  it('times a 3 ms call per call and stops at 1,000 calls or 2 s', async () => {
    const m = machine(0.005, 3);
    const r = await timeCalls(m.call, SETTINGS, 0.005, hooks(m));
    expect(r.timing).toBe('per-call');
    expect(r.groupSize).toBe(1);
    expect(r.samplesMs.length).toBe(Math.ceil(2000 / 3)); // 2 s came first
    expect(r.samplesMs.every((s) => Math.abs(s - 3) < 0.006)).toBe(true);
  });

  it('a fast call stops at 1,000 samples', async () => {
    const m = machine(0.005, 0.5);
    const r = await timeCalls(m.call, SETTINGS, 0.005, hooks(m));
    expect(r.timing).toBe('per-call');
    expect(r.samplesMs.length).toBe(1000);
    expect(r.elapsedMs).toBeCloseTo(500, 0);
  });

  it('keeps a slow call going to 100 samples, but never past the 10 s cap', async () => {
    const slow = machine(0.005, 60);
    const r = await timeCalls(slow.call, SETTINGS, 0.005, hooks(slow));
    expect(r.samplesMs.length).toBe(100);
    const slower = machine(0.005, 250);
    const capped = await timeCalls(slower.call, SETTINGS, 0.005, hooks(slower));
    expect(capped.samplesMs.length).toBe(40);
    expect(capped.elapsedMs).toBeCloseTo(10_000, 0);
  });

  it('warms up for 500 ms before timing; the pilot is not part of the samples', async () => {
    // Calls are slow (cold) for the first 400 ms of true time, then fast: the warm-up absorbs them.
    const m = machine(0.005, () => (m.t < 400 ? 50 : 1));
    const r = await timeCalls(m.call, SETTINGS, 0.005, hooks(m));
    expect(Math.max(...r.samplesMs)).toBeLessThan(1.01);
    // A slow call still gets its minimum of warm-up calls.
    const slow = machine(0.005, 400);
    await timeCalls(
      slow.call,
      { ...SETTINGS, minSamples: 1, targetSamples: 1 },
      0.005,
      hooks(slow),
    );
    expect(slow.calls).toBe(3 + 5 + 1); // warm-up (>= 500 ms, >= 3 calls), pilot (>= 5), 1 sample
  });

  it('yields about every 50 ms with progress, and stops when cancelled', async () => {
    const m = machine(0.005, 1);
    const progress: number[] = [];
    let cancel = false;
    const h = hooks(m, {
      cancelled: () => cancel,
      onProgress: (phase, fraction) => {
        if (phase === 'timing') progress.push(fraction);
        if (fraction > 0.25) cancel = true;
      },
    });
    await expect(timeCalls(m.call, SETTINGS, 0.005, h)).rejects.toBeInstanceOf(TimingCancelled);
    expect(m.yields).toBeGreaterThan(3);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
  });
});

describe('timeOverhead', () => {
  it('runs the same loop around an empty call and divides its wall time by the calls', async () => {
    let t = 0;
    const now = () => (t += 0.00001); // every clock reading costs 10 ns of fake time
    const h: TimingHooks = { now, yieldNow: async () => {}, cancelled: () => false };
    // Per call: two readings per call (20 ns) plus the repeat's own two readings, amortised.
    const single = await timeOverhead({ groupSize: 1 }, h);
    expect(single).toBeCloseTo(0.00002, 8);
    // Groups of 100: two readings per group, so about 0.2 ns per call.
    const grouped = await timeOverhead({ groupSize: 100 }, h);
    expect(grouped).toBeGreaterThan(0);
    expect(grouped).toBeLessThan(0.000001);
  });

  it('stops when cancelled', async () => {
    let t = 0;
    const h: TimingHooks = {
      now: () => (t += 0.01),
      yieldNow: async () => {},
      cancelled: () => true,
    };
    await expect(timeOverhead({ groupSize: 1 }, h)).rejects.toBeInstanceOf(TimingCancelled);
  });
});
