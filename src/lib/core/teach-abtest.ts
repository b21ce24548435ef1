/**
 * A seeded A/B test simulation for lesson 8: users arrive one by one, are assigned to arm A
 * (champion) or B (challenger) by the router's sticky hash of their id (routing.ts), and convert
 * (a success: a correct answer, a click) with their arm's true rate. The test is core abtest.ts's
 * two-proportion z-test; the plan is its `sampleSizePerArm`. A second experiment runs many A/A
 * tests (both arms the same rate) and counts false positives when the test is read once at the
 * planned size, and when it is read at every look and stopped at the first p < alpha (peeking).
 * Randomness only from the seeded rng.
 */
import { sampleSizePerArm, twoProportionZTest, type TwoProportionResult } from './abtest';
import { createRng, type Rng } from './rng';
import { route } from './routing';

/** The learner's experiment. Rates and the MDE are fractions (0.01 = one percentage point). */
export type AbDesign = {
  /** True success rate of arm A (the champion), in (0, 1). */
  rateA: number;
  /** True success rate of arm B (the challenger), in (0, 1). Unknown in real life. */
  rateB: number;
  /** Minimum detectable effect, absolute, > 0. */
  mde: number;
  /** Significance level, in (0, 0.5]. */
  alpha: number;
  /** Power, in [0.5, 1). */
  power: number;
  /** Seed of the users' outcomes. */
  seed: number;
};

/** Largest plan the widget runs, users per arm. */
export const MAX_PER_ARM = 200_000;

/** What is wrong with a design, one sentence each ([] when it is usable). */
export function abDesignProblems(d: AbDesign): string[] {
  const out: string[] = [];
  const rate = (name: string, v: number) => {
    if (!(v > 0 && v < 1)) out.push(`${name} must be a rate strictly between 0% and 100%`);
  };
  rate('The true rate of A', d.rateA);
  rate('The true rate of B', d.rateB);
  if (!(d.mde > 0 && d.rateA + d.mde < 1))
    out.push('The minimum detectable effect must be above 0 and keep A + MDE under 100%');
  if (!(d.alpha > 0 && d.alpha <= 0.5)) out.push('Alpha must be in (0, 0.5]');
  if (!(d.power >= 0.5 && d.power < 1)) out.push('Power must be in [0.5, 1)');
  if (!Number.isSafeInteger(d.seed)) out.push('The seed must be a whole number');
  if (out.length === 0 && plannedPerArm(d) > MAX_PER_ARM)
    out.push(
      `That plan needs ${plannedPerArm(d).toLocaleString('en-US')} users per arm, more than ` +
        `this simulation runs (${MAX_PER_ARM.toLocaleString('en-US')}): choose a larger MDE`,
    );
  return out;
}

/** Users per arm to detect `mde` from `rateA` (core sampleSizePerArm, two-sided). */
export function plannedPerArm(d: Pick<AbDesign, 'rateA' | 'mde' | 'alpha' | 'power'>): number {
  return sampleSizePerArm(d.rateA, d.mde, d.alpha, d.power);
}

/** What the test says at `alpha`: B better, B worse, or no detectable difference. */
export type AbVerdict = 'ship-b' | 'keep-a' | 'no-difference';

export function verdictOf(test: TwoProportionResult, alpha: number): AbVerdict {
  if (test.pValue >= alpha) return 'no-difference';
  return test.diff > 0 ? 'ship-b' : 'keep-a';
}

/** Counts per arm: users and successes. */
export type ArmCounts = { nA: number; sA: number; nB: number; sB: number };

/** One A/B experiment, advanced user by user. */
export class AbSimulation {
  readonly design: Readonly<AbDesign>;
  readonly planned: number;
  #rng: Rng;
  #counts: ArmCounts = { nA: 0, sA: 0, nB: 0, sB: 0 };
  #users = 0;

  /** @throws when the design has a problem (see abDesignProblems). */
  constructor(design: AbDesign) {
    const problems = abDesignProblems(design);
    if (problems.length) throw new Error(problems.join('; '));
    this.design = Object.freeze({ ...design });
    this.planned = plannedPerArm(design);
    this.#rng = createRng(design.seed);
  }

  get users(): number {
    return this.#users;
  }
  get counts(): ArmCounts {
    return { ...this.#counts };
  }
  /** Both arms have their planned users. */
  get reachedPlan(): boolean {
    return Math.min(this.#counts.nA, this.#counts.nB) >= this.planned;
  }

  /** `users` more users arrive (stops adding at the plan when `untilPlan`). */
  advance(users: number, untilPlan = false): void {
    const { rateA, rateB, seed } = this.design;
    const policy = { kind: 'ab', percentB: 50, salt: `experiment-${seed}` } as const;
    const roles = { champion: 'A', challenger: 'B' };
    for (let k = 0; k < users && !(untilPlan && this.reachedPlan); k++) {
      const id = `user-${this.#users++}`;
      const arm = route(id, id, policy, roles).arm;
      const converted = this.#rng.next() < (arm === 'B' ? rateB : rateA);
      if (arm === 'B') {
        this.#counts.nB++;
        if (converted) this.#counts.sB++;
      } else {
        this.#counts.nA++;
        if (converted) this.#counts.sA++;
      }
    }
  }

  /** The z-test now, or null while an arm is empty. */
  test(): TwoProportionResult | null {
    const c = this.#counts;
    return c.nA > 0 && c.nB > 0 ? twoProportionZTest(c.sA, c.nA, c.sB, c.nB) : null;
  }
}

/** What many A/A tests gave. Counts of experiments; rates are fractions. */
export type PeekingResult = {
  experiments: number;
  perArm: number;
  looks: number;
  /** Significant when read once, at the planned size. */
  falseAtEnd: number;
  /** Significant at any look (stopped there): what peeking at every step declares. */
  falseWithPeeking: number;
};

/**
 * Runs `experiments` A/A tests (both arms at `rate`), each with `perArm` users per arm, looked
 * at up to `looks` times at equal steps (the last at the end), and counts how many a test at
 * `alpha` calls significant read once at the end, and at any look. Arms here are exactly equal
 * in size (one draw per arm per step), which keeps the count of draws fixed.
 */
export function peekingExperiment(o: {
  rate: number;
  perArm: number;
  alpha: number;
  looks: number;
  experiments: number;
  seed: number;
}): PeekingResult {
  if (!(o.rate > 0 && o.rate < 1)) throw new Error(`peeking: rate must be in (0, 1)`);
  for (const k of ['perArm', 'looks', 'experiments'] as const)
    if (!(Number.isInteger(o[k]) && o[k] >= 1)) throw new Error(`peeking: ${k} must be >= 1`);
  const rng = createRng(o.seed);
  const step = Math.ceil(o.perArm / o.looks); // at most `looks` looks, the last at the end
  let falseAtEnd = 0;
  let falseWithPeeking = 0;
  for (let e = 0; e < o.experiments; e++) {
    let sA = 0;
    let sB = 0;
    let peeked = false;
    for (let n = 1; n <= o.perArm; n++) {
      if (rng.next() < o.rate) sA++;
      if (rng.next() < o.rate) sB++;
      const look = n === o.perArm || n % step === 0;
      if (look && twoProportionZTest(sA, n, sB, n).pValue < o.alpha) peeked = true;
    }
    if (twoProportionZTest(sA, o.perArm, sB, o.perArm).pValue < o.alpha) falseAtEnd++;
    if (peeked) falseWithPeeking++;
  }
  return {
    experiments: o.experiments,
    perArm: o.perArm,
    looks: Math.ceil(o.perArm / step),
    falseAtEnd,
    falseWithPeeking,
  };
}
