import { describe, expect, it } from 'vitest';
import {
  badRequest,
  burstRows,
  cellValue,
  clampInt,
  clampNumber,
  countsSince,
  crossedMultiple,
  defaultVersionId,
  describeTolerance,
  formatLatency,
  histogramBars,
  percentile,
  perSecond,
  pushBounded,
  servableVersions,
  summarizeLatency,
  threadChoices,
  Throttle,
  versionLabel,
  type ModelFacts,
  type VersionFacts,
} from './serving-ops';

const v = (
  modelName: string,
  version: number,
  createdAt: number,
  variant = 'fp32',
): VersionFacts => ({
  id: `${modelName}@v${version}`,
  modelName,
  version,
  createdAt,
  variant,
  datasetId: 'digits',
});

describe('percentile (numpy linear method)', () => {
  // numpy.percentile([15, 20, 35, 40, 50], [40, 50, 95, 99]) = [29, 35, 48, 49.6]
  it('matches numpy on five values', () => {
    const x = [50, 15, 40, 20, 35];
    expect(percentile(x, 0.4)).toBeCloseTo(29, 12);
    expect(percentile(x, 0.5)).toBeCloseTo(35, 12);
    expect(percentile(x, 0.95)).toBeCloseTo(48, 12);
    expect(percentile(x, 0.99)).toBeCloseTo(49.6, 12);
  });
  // numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [50, 95, 99, 0, 100]) = [3.5, 7.95, 8.79, 1, 9]
  it('matches numpy on eight values with ties, and the ends', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(percentile(x, 0.5)).toBeCloseTo(3.5, 12);
    expect(percentile(x, 0.95)).toBeCloseTo(7.95, 12);
    expect(percentile(x, 0.99)).toBeCloseTo(8.79, 12);
    expect(percentile(x, 0)).toBe(1);
    expect(percentile(x, 1)).toBe(9);
  });
  it('one value is every percentile; no values give NaN; q outside [0, 1] throws', () => {
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 1.5)).toThrow(/q must be in/);
  });
  it('does not reorder its input', () => {
    const x = [3, 1, 2];
    percentile(x, 0.5);
    expect(x).toEqual([3, 1, 2]);
  });
  it('summarizeLatency gives n, p50, p95, p99 and max', () => {
    expect(summarizeLatency([])).toBeNull();
    const s = summarizeLatency([50, 15, 40, 20, 35]);
    expect(s?.n).toBe(5);
    expect(s?.p50).toBeCloseTo(35, 12);
    expect(s?.p95).toBeCloseTo(48, 12);
    expect(s?.p99).toBeCloseTo(49.6, 12);
    expect(s?.max).toBe(50);
  });
});

describe('versions', () => {
  const models: ModelFacts[] = [
    { name: 'digits-classifier', aliases: { champion: 1, challenger: 2 } },
    { name: 'cancer', aliases: {} },
  ];
  const versions = [
    v('digits-classifier', 1, 10),
    v('cancer', 1, 5),
    v('digits-classifier', 2, 20),
  ];

  it('labels a version with its aliases and non-fp32 variant', () => {
    expect(versionLabel(v('digits-classifier', 2, 0), ['champion'])).toBe(
      'digits-classifier v2 (champion)',
    );
    expect(versionLabel(v('m', 3, 0), [])).toBe('m v3');
    expect(versionLabel(v('m', 3, 0, 'int8-static'), ['challenger'])).toBe(
      'm v3 (int8-static, challenger)',
    );
  });

  it('lists models A to Z, versions newest first, with aliases', () => {
    const list = servableVersions(models, versions);
    expect(list.map((x) => x.label)).toEqual([
      'cancer v1',
      'digits-classifier v2 (challenger)',
      'digits-classifier v1 (champion)',
    ]);
  });

  it('defaults to the champion of the most recently registered model, else its newest', () => {
    expect(defaultVersionId(servableVersions(models, versions))).toBe('digits-classifier@v1');
    const noAlias: ModelFacts[] = [{ name: 'digits-classifier', aliases: {} }, models[1]];
    expect(defaultVersionId(servableVersions(noAlias, versions))).toBe('digits-classifier@v2');
    const newerCancer = [...versions, v('cancer', 2, 30)];
    expect(defaultVersionId(servableVersions(models, newerCancer))).toBe('cancer@v2');
    expect(defaultVersionId([])).toBeNull();
  });
});

describe('bad requests and table cells', () => {
  const row = [0, 1, 2, 3, 4];
  it('builds each malformed request from a valid row, leaving the row alone', () => {
    expect(badRequest('wrong-length', row)).toEqual([0, 1, 2, 3]);
    expect(badRequest('nan', row)[3]).toBeNaN();
    expect(badRequest('infinity', row)[3]).toBe(Infinity);
    expect(badRequest('string', row)).toEqual(['0', 1, 2, 3, 4]);
    expect(badRequest('nan', [1, 2])[1]).toBeNaN();
    expect(row).toEqual([0, 1, 2, 3, 4]);
  });
  it('reads a cell as a number when it is one, else keeps the text', () => {
    expect(cellValue(' 12.5 ')).toBe(12.5);
    expect(cellValue('1e3')).toBe(1000);
    expect(cellValue('NaN')).toBeNaN();
    expect(cellValue('Infinity')).toBe(Infinity);
    expect(cellValue('abc')).toBe('abc');
    expect(cellValue('')).toBe('');
  });
});

describe('figures', () => {
  it('formats latency in µs below 1 ms, else ms', () => {
    expect(formatLatency(0.045)).toBe('45 µs');
    expect(formatLatency(1.234)).toBe('1.23 ms');
    expect(formatLatency(250.4)).toBe('250 ms');
    expect(formatLatency(NaN)).toBe('–');
  });
  it('states a tolerance in words', () => {
    expect(describeTolerance({ maxAbsDiff: 1e-4, minTop1: 1 })).toBe(
      'max |Δp| ≤ 0.0001 and top-1 agreement ≥ 100%',
    );
    expect(describeTolerance({ minTop1: 0.98 })).toBe('top-1 agreement ≥ 98%');
    expect(describeTolerance({})).toBe('none');
  });
  it('histogram bars ascend by size and drop zeros; countsSince subtracts', () => {
    expect(histogramBars({ 32: 4, 1: 2, 7: 0 })).toEqual([
      { size: 1, count: 2 },
      { size: 32, count: 4 },
    ]);
    expect(countsSince({ 1: 2, 32: 1 }, { 1: 2, 32: 5, 8: 1 })).toEqual({ 32: 4, 8: 1 });
  });
  it('burst rows cycle through the test split; perSecond is count over wall time', () => {
    expect(burstRows([5, 6, 7], 7)).toEqual([5, 6, 7, 5, 6, 7, 5]);
    expect(burstRows([], 3)).toEqual([]);
    expect(perSecond(2000, 40)).toBe(50_000);
    expect(perSecond(10, 0)).toBe(0);
  });
  it('threads: 1..cores only when cross-origin isolated', () => {
    expect(threadChoices(true, 4)).toEqual([1, 2, 3, 4]);
    expect(threadChoices(false, 8)).toEqual([1]);
    expect(threadChoices(true, 0)).toEqual([1]);
  });
  it('clamps numbers and refuses non-numbers', () => {
    expect(clampInt(300, 1, 256)).toBe(256);
    expect(clampInt(0, 1, 256)).toBe(1);
    expect(clampInt(3.6, 1, 256)).toBe(4);
    expect(clampInt(null, 1, 256)).toBeNull();
    expect(clampInt(NaN, 1, 256)).toBeNull();
    expect(clampNumber(2.5, 0, 50)).toBe(2.5);
    expect(clampNumber(-1, 0, 50)).toBe(0);
    expect(clampNumber('3', 0, 50)).toBeNull();
  });
  it('keeps the last items of a bounded log', () => {
    let log: number[] = [];
    for (let i = 0; i < 60; i++) log = pushBounded(log, i, 50);
    expect(log.length).toBe(50);
    expect(log[0]).toBe(10);
    expect(log.at(-1)).toBe(59);
  });
  it('notices when a count crosses a multiple', () => {
    expect(crossedMultiple(99, 100, 100)).toBe(true);
    expect(crossedMultiple(100, 199, 100)).toBe(false);
    expect(crossedMultiple(150, 2150, 100)).toBe(true);
  });
});

describe('Throttle', () => {
  function fakeTimers() {
    let now = 0;
    const queue: { at: number; fn: () => void; id: number }[] = [];
    let nextId = 1;
    return {
      timers: {
        now: () => now,
        setTimeout: (fn: () => void, ms: number) => {
          const id = nextId++;
          queue.push({ at: now + ms, fn, id });
          return id;
        },
        clearTimeout: (h: unknown) => {
          const i = queue.findIndex((t) => t.id === h);
          if (i >= 0) queue.splice(i, 1);
        },
      },
      advance(ms: number) {
        now += ms;
        for (const t of queue.filter((t) => t.at <= now)) {
          queue.splice(queue.indexOf(t), 1);
          t.fn();
        }
      },
      pending: () => queue.length,
    };
  }

  it('runs at once, then at most once per interval, merging requests', () => {
    const clock = fakeTimers();
    let calls = 0;
    const t = new Throttle(() => calls++, 250, clock.timers);
    t.request();
    expect(calls).toBe(1);
    t.request();
    t.request();
    t.request();
    expect(calls).toBe(1);
    expect(clock.pending()).toBe(1);
    clock.advance(249);
    expect(calls).toBe(1);
    clock.advance(1);
    expect(calls).toBe(2);
    clock.advance(1000);
    t.request();
    expect(calls).toBe(3);
  });

  it('cancel drops the pending call', () => {
    const clock = fakeTimers();
    let calls = 0;
    const t = new Throttle(() => calls++, 250, clock.timers);
    t.request();
    t.request();
    t.cancel();
    clock.advance(500);
    expect(calls).toBe(1);
  });
});
