import { describe, expect, it } from 'vitest';
import { createServingWorld, DEFAULT_SERVING_WORLD } from '../core/teach-serving-world';
import { simulateServing, type ServingPattern } from '../core/teach-serving';
import { applySkewFix, inspectSkew, type SkewFix } from '../core/teach-skew';
import { SKEW_CASES, type SkewCaseId } from '../core/teach-skew-data';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';

type Values = LabSnapshot['widgetOutcomes'][string];
const withOutcome = (name: string, values: Values): LabSnapshot => ({
  ...emptySnapshot(),
  widgetOutcomes: { [name]: values },
});
const BUDGET = { p99Ms: 35, maxStaleRate: 0.01 };

describe('serving-pattern-meets-budget', () => {
  const serving = (values: Values) =>
    runCheck('serving-pattern-meets-budget', BUDGET, withOutcome('serving-patterns-sim', values));

  it('asks for a simulation run first', () => {
    const r = runCheck('serving-pattern-meets-budget', BUDGET, emptySnapshot());
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No serving simulation saved yet/);
    // Another widget's outcome does not count.
    expect(
      runCheck('serving-pattern-meets-budget', BUDGET, withOutcome('skew-sim', {})).passed,
    ).toBe(false);
  });

  it('online over the latency budget: says the model queues and suggests a cache', () => {
    const r = serving({ pattern: 'online', p99Ms: 180, staleRate: 0, modelUtilization: 0.87 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/p99 180\.0 ms/);
    expect(r.message).toMatch(/87\.00% busy/);
    expect(r.message).toMatch(/put a cache in front/);
  });

  it('batch too stale: says batch scoring suits slowly changing values', () => {
    const r = serving({ pattern: 'batch', batchEveryMin: 5, p99Ms: 2, staleRate: 0.25 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/every 5 min/);
    expect(r.message).toMatch(/stale answers are over 1\.00%/);
    expect(r.message).toMatch(/short TTL/);
  });

  it('cache too stale without a versioned key: shorten the TTL and version the key', () => {
    const r = serving({
      pattern: 'cache',
      ttlS: 60,
      capacity: 1000,
      versionedKey: false,
      p99Ms: 24,
      staleRate: 0.05,
    });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/shorten the TTL/);
    expect(r.message).toMatch(/model version in the cache key/);
  });

  it('cache with both problems names both', () => {
    const r = serving({ pattern: 'cache', ttlS: 300, capacity: 50, p99Ms: 53, staleRate: 0.08 });
    expect(r.message).toMatch(/p99 is over .* capacity large enough/);
    expect(r.message).toMatch(/stale answers are over/);
  });

  it('passes within the budget and reports the cost', () => {
    const r = serving({
      pattern: 'cache',
      ttlS: 10,
      capacity: 1000,
      versionedKey: true,
      p99Ms: 32.3,
      staleRate: 0.0077,
      callsPer1k: 424,
    });
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/TTL 10 s .* model version in the key: p99 32\.3 ms/);
    expect(r.message).toMatch(/424 model calls per 1,000 requests/);
  });

  it('grades what the simulator computes: the lesson budget fails online and passes a tuned cache', () => {
    const world = createServingWorld(DEFAULT_SERVING_WORLD);
    const grade = (p: ServingPattern) => {
      const r = simulateServing(world, p);
      return serving({ pattern: p.kind, ...p, p99Ms: r.p99Ms, staleRate: r.staleRate });
    };
    expect(grade({ kind: 'online' }).passed).toBe(false);
    expect(grade({ kind: 'batch', everyMin: 1 }).passed).toBe(false);
    expect(grade({ kind: 'cache', ttlS: 60, capacity: 1000, versionedKey: false }).passed).toBe(
      false,
    );
    expect(grade({ kind: 'cache', ttlS: 10, capacity: 1000, versionedKey: true }).passed).toBe(
      true,
    );
  });
});

describe('skew-fixed', () => {
  const GAP = { maxGap: 0.01 };
  /** The outcome the widget saves, from the real simulation. */
  function outcome(caseId: SkewCaseId, feature: string, fix: SkewFix): Values {
    const before = inspectSkew(caseId).accuracy;
    const after = applySkewFix(caseId, fix);
    const skewedFeature = SKEW_CASES.find((c) => c.id === caseId)!.feature;
    return {
      case: caseId,
      feature,
      skewedFeature,
      fix,
      applicable: after.applicable,
      offlineBefore: before.offline,
      onlineBefore: before.online,
      offlineAfter: after.accuracy.offline,
      onlineAfter: after.accuracy.online,
    };
  }
  const grade = (values: Values) => runCheck('skew-fixed', GAP, withOutcome('skew-sim', values));

  it('asks for a fix first', () => {
    const r = runCheck('skew-fixed', GAP, emptySnapshot());
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No skew fix saved yet/);
  });

  it('fails when the named feature is not the skewed one, without naming the answer', () => {
    const r = grade(outcome('unit', 'spend_7d_avg', 'shared-definition'));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/You named spend_7d_avg, .* computed the same way/);
    expect(r.message).not.toMatch(/days_since_login/);
  });

  it('fails a fix that leaves the gap, saying why', () => {
    const r = grade(outcome('window', 'spend_7d_avg', 'retrain-recent'));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/gap is still \d+\.\d points/);
    expect(r.message).toMatch(/same pipelines/);
    const pit = grade(outcome('missing', 'session_minutes', 'point-in-time-join'));
    expect(pit.passed).toBe(false);
    expect(pit.message).toMatch(/training side was already right/);
  });

  it('fails a serving-side fix for a training-side leak', () => {
    const r = grade(outcome('leak', 'tickets_30d', 'shared-definition'));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/cannot see values from after the prediction time/);
  });

  it('passes the right fixes, and says when the offline number was inflated', () => {
    for (const [c, f] of [
      ['window', 'spend_7d_avg'],
      ['unit', 'days_since_login'],
      ['missing', 'session_minutes'],
    ] as const) {
      expect(grade(outcome(c, f, 'shared-definition')).passed).toBe(true);
      expect(grade(outcome(c, f, 'train-on-logged')).passed).toBe(true);
    }
    const leak = grade(outcome('leak', 'tickets_30d', 'point-in-time-join'));
    expect(leak.passed).toBe(true);
    expect(leak.message).toMatch(/offline accuracy fell from .* inflated/);
  });
});
