import { describe, expect, it } from 'vitest';
import { sampleSizePerArm } from './abtest';
import {
  AbSimulation,
  abDesignProblems,
  MAX_PER_ARM,
  peekingExperiment,
  plannedPerArm,
  verdictOf,
  type AbDesign,
} from './teach-abtest';

const design: AbDesign = { rateA: 0.9, rateB: 0.93, mde: 0.02, alpha: 0.05, power: 0.8, seed: 7 };

describe('the A/B design', () => {
  it('plans with core sampleSizePerArm', () => {
    expect(plannedPerArm(design)).toBe(sampleSizePerArm(0.9, 0.02, 0.05, 0.8));
    expect(abDesignProblems(design)).toEqual([]);
  });
  it('names every bad field, and refuses a plan too large to run', () => {
    const bad = abDesignProblems({ ...design, rateA: 1, mde: 0, alpha: 0.7, power: 0.2 });
    expect(bad.join('; ')).toMatch(/true rate of A .*detectable effect.*Alpha.*Power/);
    const tiny = abDesignProblems({ ...design, rateA: 0.5, mde: 0.001 });
    expect(tiny[0]).toMatch(/users per arm, more than this simulation runs \(200,000\)/);
    expect(plannedPerArm({ ...design, rateA: 0.5, mde: 0.001 })).toBeGreaterThan(MAX_PER_ARM);
    expect(() => new AbSimulation({ ...design, rateB: 0 })).toThrow(/true rate of B/);
  });
});

describe('AbSimulation', () => {
  it('is reproducible from its seed and splits users about evenly by hash', () => {
    const a = new AbSimulation(design);
    const b = new AbSimulation(design);
    a.advance(10_000);
    b.advance(4_000);
    b.advance(6_000);
    expect(a.counts).toEqual(b.counts);
    const { nA, nB } = a.counts;
    expect(nA + nB).toBe(10_000);
    expect(Math.abs(nA - nB)).toBeLessThan(400); // 4 standard deviations of 50/50 is 200
    const other = new AbSimulation({ ...design, seed: 8 });
    other.advance(10_000);
    expect(other.counts).not.toEqual(a.counts);
  });
  it('stops at the plan when asked, and finds a real 3-point lift there', () => {
    const sim = new AbSimulation(design);
    expect(sim.test()).toBeNull();
    sim.advance(10 * sim.planned, true);
    expect(sim.reachedPlan).toBe(true);
    const { nA, nB } = sim.counts;
    expect(Math.min(nA, nB)).toBe(sim.planned);
    const test = sim.test()!;
    expect(test.pA).toBeCloseTo(0.9, 1);
    expect(test.pB).toBeCloseTo(0.93, 1);
    expect(verdictOf(test, 0.05)).toBe('ship-b');
  });
  it('verdicts follow alpha and the sign of the difference', () => {
    const t = {
      z: -3,
      pValue: 0.003,
      diff: -0.02,
      ci95: [-0.03, -0.01] as [number, number],
      pA: 0.9,
      pB: 0.88,
    };
    expect(verdictOf(t, 0.05)).toBe('keep-a');
    expect(verdictOf(t, 0.001)).toBe('no-difference');
  });
});

describe('peeking', () => {
  it('an A/A test read once is a false positive about alpha of the time; peeking far more', () => {
    const r = peekingExperiment({
      rate: 0.5,
      perArm: 1000,
      alpha: 0.05,
      looks: 20,
      experiments: 400,
      seed: 3,
    });
    expect(r.looks).toBe(20);
    const end = r.falseAtEnd / r.experiments;
    const peek = r.falseWithPeeking / r.experiments;
    expect(end).toBeGreaterThan(0.02);
    expect(end).toBeLessThan(0.09);
    expect(r.falseWithPeeking).toBeGreaterThanOrEqual(r.falseAtEnd);
    expect(peek).toBeGreaterThan(0.14); // about 0.25 with 20 looks
    expect(
      peekingExperiment({
        rate: 0.5,
        perArm: 1000,
        alpha: 0.05,
        looks: 20,
        experiments: 400,
        seed: 3,
      }),
    ).toEqual(r);
  });
  it('looks at most the number of times asked, the last at the planned size', () => {
    const r = peekingExperiment({
      rate: 0.3,
      perArm: 3213,
      alpha: 0.05,
      looks: 20,
      experiments: 5,
      seed: 1,
    });
    expect(r.looks).toBe(20);
  });
  it('refuses bad arguments', () => {
    expect(() =>
      peekingExperiment({ rate: 0, perArm: 10, alpha: 0.05, looks: 2, experiments: 2, seed: 1 }),
    ).toThrow(/rate/);
    expect(() =>
      peekingExperiment({ rate: 0.5, perArm: 10, alpha: 0.05, looks: 0, experiments: 2, seed: 1 }),
    ).toThrow(/looks/);
  });
});
