import { describe, expect, it } from 'vitest';
import { sampleSizePerArm } from '../core/abtest';
import { canaryCompatible } from '../core/canary-compat';
import type { WindowSummary } from '../core/sim-monitor-types';
import {
  abSummary,
  agreementShare,
  DEFAULT_ROLLOUT_FORM,
  planFromForm,
  readSavedRollout,
} from './rollout-ops';

const win = (labels: number, correct: number) =>
  ({ accuracy: { labels, correct, accuracy: labels ? correct / labels : null } }) as WindowSummary;

describe('roll-out form', () => {
  it('turns the default form into core policy units (ms, fractions)', () => {
    const r = planFromForm(DEFAULT_ROLLOUT_FORM);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.policy.steps).toEqual([1, 5, 25, 100]);
    expect(r.plan.policy.minStepMs).toBe(600_000);
    expect(r.plan.policy.guards.maxErrorRateIncrease).toBeCloseTo(0.01);
    expect(r.plan.windowMs).toBe(300_000);
    expect(r.plan.mde).toBeCloseTo(0.02);
  });

  it('names the field that is wrong', () => {
    const bad = (patch: object) => planFromForm({ ...DEFAULT_ROLLOUT_FORM, ...patch });
    expect(bad({ steps: '5, 1, 100' })).toMatchObject({ ok: false, error: /ascending/ });
    expect(bad({ steps: '1, 5, 50' })).toMatchObject({ ok: false, error: /ending at 100/ });
    expect(bad({ maxP99Ratio: 0.5 })).toMatchObject({ ok: false, error: /p99 ratio limit/ });
    expect(bad({ percentB: 100 })).toMatchObject({ ok: false, error: /Users in B/ });
    expect(bad({ windowMinutes: Number.NaN })).toMatchObject({ ok: false, error: /Window/ });
  });
});

describe('A/B summary', () => {
  it('sums labels per arm, tests B against A and stays provisional below the plan', () => {
    const s = abSummary([win(500, 450), win(500, 460)], [win(400, 390), win(600, 580)], 0.9, 0.02);
    expect(s.a).toEqual({ labels: 1000, correct: 910 });
    expect(s.b).toEqual({ labels: 1000, correct: 970 });
    expect(s.test?.diff).toBeCloseTo(0.06);
    expect(s.test?.pValue).toBeLessThan(1e-6);
    // (1.96 sqrt(2 * 0.91 * 0.09) + 0.8416 sqrt(0.09 + 0.0736))^2 / 0.02^2 = 3212.9, rounded up
    expect(s.planned).toBe(3213);
    expect(s.progress).toBeCloseTo(1000 / 3213);
    expect(s.provisional).toBe(true);
    const done = abSummary([win(4000, 3600)], [win(4000, 3640)], 0.9, 0.02);
    expect(done.provisional).toBe(false);
  });

  it('explains a plan it cannot make (a baseline of 100%)', () => {
    const s = abSummary([], [], 1, 0.02);
    expect(s.planned).toBeNull();
    expect(s.planError).toMatch(/baseline accuracy is 100\.0%.*no variance/);
    expect(s.test).toBeNull();
  });

  it('sizes a 99% baseline for a drop (a rise of 1 point would pass 100%)', () => {
    const s = abSummary([], [], 0.99, 0.01);
    expect(s.plannedFor).toBe('drop');
    expect(s.planned).toBe(sampleSizePerArm(0.99, -0.01, 0.05, 0.8));
    expect(abSummary([], [], 0.9, 0.02).plannedFor).toBe('rise');
  });

  it('agreement is null before any comparison', () => {
    expect(agreementShare([], [])).toBeNull();
    expect(agreementShare([10, 10], [9, 10])).toBeCloseTo(0.95);
  });
});

describe('saved roll-out', () => {
  const good = {
    modelName: 'digits-classifier',
    mode: 'canary',
    champion: 'digits-classifier@v1',
    challenger: 'digits-classifier@v2',
    savedAt: 1,
    ledger: '10 of 10 requests answered, 0 lost, 0 answered twice',
    events: [{ simMs: 0, at: 1, kind: 'start', text: 'Canary started' }],
  };
  it('reads a good record and refuses a damaged one', () => {
    expect(readSavedRollout(good)?.events).toHaveLength(1);
    expect(readSavedRollout(null)).toBeNull();
    expect(readSavedRollout({ ...good, mode: 'blue-green' })).toBeNull();
    expect(readSavedRollout({ ...good, events: [{ simMs: 0, kind: 'start' }] })).toBeNull();
  });
});

describe('schema refusal', () => {
  // Aliases belong to one model, whose versions share a data set, so the screen cannot pick a
  // breast-cancer challenger for a digits champion; the refusal it would show is core's reason.
  const schema = (features: number, nClasses: number) => ({
    features,
    nClasses,
    featureNames: Array.from({ length: features }, (_, i) => `f${i}`),
    classNames: Array.from({ length: nClasses }, (_, i) => `c${i}`),
    min: new Array<number>(features).fill(0),
    max: new Array<number>(features).fill(1),
  });
  it('refuses a 30-feature challenger for a 64-feature champion, with the reason', () => {
    const c = canaryCompatible({ inputSchema: schema(64, 10) }, { inputSchema: schema(30, 2) });
    expect(c).toMatchObject({ ok: false, reason: 'challenger expects 30 features, champion 64' });
  });
});
