import { describe, expect, it } from 'vitest';
import { buildCiWorld, CI_SEQUENCE, DRIFT_PERIOD } from './teach-ci';
import {
  configProblems,
  defaultGateConfig,
  runCiPipeline,
  runGates,
  type GateConfig,
  type GateId,
} from './teach-ci-gates';

/** A configuration that separates good from bad candidates for every seed tried below. */
function goodConfig(): GateConfig {
  const c = defaultGateConfig();
  const on: GateId[] = ['schema', 'ranges', 'leakage', 'onnx', 'slices', 'latency'];
  for (const g of on) c.enabled[g] = true;
  c.limits.regression = 1.5;
  c.limits.slices = 8;
  return c;
}
const ids = (ms: { id: string }[]) => ms.map((m) => m.id);

describe('the CI world', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = buildCiWorld(7);
    expect(buildCiWorld(7)).toEqual(a);
    expect(buildCiWorld(8).candidates[0].holdoutAccuracy).not.toBe(a.candidates[0].holdoutAccuracy);
    expect(a.candidates.map((c) => c.kind)).toEqual(CI_SEQUENCE.map((s) => s.kind));
  });

  it('makes each defect visible only to the gate that should catch it', () => {
    const { champion, candidates } = buildCiWorld(1);
    const by = (k: string) => candidates.find((c) => c.kind === k)!;
    expect(by('schema-rename').schemaIssues).toContain('missing column pixel_3_4');
    expect(by('label-leak').singleFeatureAccuracy).toBeGreaterThan(0.97);
    expect(by('weekly-retrain').singleFeatureAccuracy).toBeLessThan(0.3);
    expect(by('label-leak').holdoutAccuracy).toBeGreaterThan(by('weekly-retrain').holdoutAccuracy);
    expect(by('unit-bug').outOfRange).toBeGreaterThan(0.3);
    expect(by('fresh-data').outOfRange).toBe(0);
    expect(by('big-model').p95Ms).toBeGreaterThan(15);
    expect(by('big-model').sizeBytes).toBeGreaterThan(1_000_000);
    expect(by('wider-model').p95Ms).toBeLessThan(5);
    expect(by('broken-export').onnxValid).toBe(false);
    // Silent in offline tests, costly in production.
    for (const k of ['schema-rename', 'label-leak', 'unit-bug'])
      expect(by(k).prodAccuracy[0]).toBeLessThan(champion.prodAccuracy[0]);
    expect(by('slice-regression').prodAccuracy[0]).toBeLessThan(by('wider-model').prodAccuracy[0]);
    // Fresh data wins after the drift, where pre-drift models lose accuracy.
    expect(by('fresh-data').prodAccuracy[1]).toBeGreaterThan(by('wider-model').prodAccuracy[1]);
    expect(DRIFT_PERIOD).toBe(5);
  });
});

describe('the pipeline', () => {
  it('with only "min accuracy" and "no regression", ships the leak, which then blocks every honest model', () => {
    const run = runCiPipeline(1, defaultGateConfig());
    const leak = run.steps.find((s) => s.candidate.kind === 'label-leak')!;
    expect(leak.decision).toBe('shipped');
    expect(ids(run.badShipped)).toContain(leak.candidate.id);
    expect(ids(run.goodBlocked.map((g) => g.model))).toEqual(['c4', 'c6', 'c10']);
    expect(run.goodBlocked.every((g) => g.gate === 'regression')).toBe(true);
    expect(run.trafficAccuracy).toBeLessThan(run.idealAccuracy - 0.05);
  });

  it('a separating configuration ships every good candidate and no bad one, for many seeds', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const run = runCiPipeline(seed, goodConfig());
      expect(run.badShipped, `seed ${seed}`).toEqual([]);
      expect(run.goodBlocked, `seed ${seed}`).toEqual([]);
      expect(run.trafficAccuracy).toBe(run.idealAccuracy);
    }
  });

  it('too strict a slice limit blocks a good model on holdout noise', () => {
    const strict = goodConfig();
    strict.limits.slices = 0.5;
    const run = runCiPipeline(1, strict);
    expect(run.goodBlocked.length).toBeGreaterThan(0);
    expect(run.goodBlocked[0].gate).toBe('slices');
  });

  it('a drift gate at PSI 0.2 blocks the retrain on fresh data (drift is a reason to retrain)', () => {
    const c = goodConfig();
    c.enabled.drift = true;
    const run = runCiPipeline(1, c);
    const fresh = run.steps.find((s) => s.candidate.kind === 'fresh-data')!;
    expect(fresh.decision).toBe('blocked');
    expect(fresh.gates.find((g) => g.gate === 'drift')!.detail).toMatch(
      /PSI 0\.\d\d \(limit 0\.2\)/,
    );
  });

  it('a canary rolls back the slow and the unloadable model, but not the silent failures', () => {
    const c = defaultGateConfig();
    c.enabled.regression = false;
    c.canary = true;
    const run = runCiPipeline(3, c);
    expect(ids(run.canaryCatches)).toEqual(['c7', 'c9']);
    expect(ids(run.badShipped)).toEqual(expect.arrayContaining(['c2', 'c3', 'c5', 'c8']));
    const caught = run.steps[8];
    expect(caught.decision).toBe('rolled-back');
    // 5% of the period failed before the rollback.
    expect(caught.trafficAccuracy).toBeLessThan(0.96);
  });

  it('runs only enabled gates, and compares against the current champion', () => {
    const { champion, candidates } = buildCiWorld(2);
    const none = defaultGateConfig();
    none.enabled['min-accuracy'] = false;
    none.enabled.regression = false;
    expect(runGates(candidates[0], champion, none)).toEqual([]);
    const g = runGates(candidates[2], champion, goodConfig());
    expect(g.find((r) => r.gate === 'leakage')).toMatchObject({ passed: false });
    expect(g.find((r) => r.gate === 'schema')).toMatchObject({ passed: true });
  });

  it('reports limits that are not numbers or out of range', () => {
    const c = defaultGateConfig();
    c.limits['min-accuracy'] = Number.NaN;
    c.limits.regression = 120;
    expect(configProblems(c)).toEqual([
      'Minimum holdout accuracy: enter a number.',
      'No regression vs champion: the limit must be between 0 and 100 points.',
    ]);
    c.enabled.regression = false;
    expect(configProblems(c)).toHaveLength(1);
    expect(configProblems(defaultGateConfig())).toEqual([]);
  });
});
