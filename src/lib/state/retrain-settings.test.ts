import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import type { AlertEvent } from '../core/sim-monitor-types';
import { aliasReason, firingAt, holdoutAccuracy, pct, verdict } from './retrain-eval';
import {
  appendLog,
  DEFAULT_RETRAIN_SETTINGS,
  lastRetrainAt,
  MAX_RETRAIN_LOG,
  parseRetrainSettings,
  policyOf,
  readLog,
  readSettings,
  saveSettings,
  type RetrainLogEntry,
} from './retrain-settings';

const H = 3_600_000;

describe('retrain settings', () => {
  it('accepts the defaults and turns hours into the core policy', () => {
    const p = parseRetrainSettings(DEFAULT_RETRAIN_SETTINGS);
    expect(p.ok).toBe(true);
    expect(policyOf({ ...DEFAULT_RETRAIN_SETTINGS, cooldownHours: 2 }).cooldownMs).toBe(2 * H);
    expect(DEFAULT_RETRAIN_SETTINGS.enabled).toBe(false); // automatic retraining is opt-in
  });

  it('refuses bad values, naming the field', () => {
    const bad = (patch: object) => {
      const r = parseRetrainSettings({ ...DEFAULT_RETRAIN_SETTINGS, ...patch });
      return r.ok ? '' : r.error;
    };
    expect(bad({ holdoutSize: 5 })).toMatch(
      /^Holdout size \(requests\) must be .* 50 to 5000, got 5/,
    );
    expect(bad({ maxProductionRows: 10.5 })).toMatch(
      /^Most production rows must be a whole number/,
    );
    expect(bad({ lookbackHours: NaN })).toMatch(/^Lookback .* got nothing/);
    expect(bad({ cooldownHours: -1 })).toMatch(/^Cooldown/);
    expect(bad({ triggers: ['p99-latency'] })).toMatch(/^triggers must be among/);
    expect(bad({ enabled: 'yes' })).toMatch(/on or off/);
  });

  it('saves and reads back; damaged saved settings fall back to the defaults', async () => {
    const db = await openTestDb();
    expect(await readSettings(db)).toEqual(DEFAULT_RETRAIN_SETTINGS);
    await saveSettings(db, { ...DEFAULT_RETRAIN_SETTINGS, lookbackHours: 3 });
    expect((await readSettings(db)).lookbackHours).toBe(3);
  });

  it('keeps a bounded log, newest first, and finds the last retrain of a session', async () => {
    const db = await openTestDb();
    const entry = (i: number, action: RetrainLogEntry['action']): RetrainLogEntry => ({
      at: i,
      sessionId: i % 2 ? 'a' : 'b',
      simTimeMs: i * H,
      actor: 'policy',
      action,
      reason: `r${i}`,
    });
    for (let i = 0; i < MAX_RETRAIN_LOG + 5; i++)
      await appendLog(db, entry(i, i % 3 ? 'skipped' : 'retrained'));
    const log = await readLog(db);
    expect(log.length).toBe(MAX_RETRAIN_LOG);
    expect(log[0].reason).toBe(`r${MAX_RETRAIN_LOG + 4}`);
    // Newest 'retrained' entries: i = 54 (b), 51 (a).
    expect(lastRetrainAt(log, 'b')).toBe(54 * H);
    expect(lastRetrainAt(log, 'a')).toBe(51 * H);
    expect(lastRetrainAt(log, 'c')).toBeNull();
  });
});

describe('retrain report', () => {
  const ev = (rule: AlertEvent['rule'], state: AlertEvent['state'], atMs: number) =>
    ({ rule, state, atMs, value: 1, threshold: 0.5, message: rule, window: 0 }) as AlertEvent;

  it('lists the alerts firing at a time', () => {
    const alerts = [
      ev('data-drift', 'firing', H),
      ev('accuracy-drop', 'firing', 2 * H),
      ev('data-drift', 'resolved', 3 * H),
      ev('cbpe-drop', 'firing', 5 * H),
    ];
    expect(firingAt(alerts, 2.5 * H).map((a) => a.rule)).toEqual(['data-drift', 'accuracy-drop']);
    expect(firingAt(alerts, 4 * H).map((a) => a.rule)).toEqual(['accuracy-drop']);
  });

  it('computes holdout accuracy with the plain forward pass', () => {
    // One layer, identity weights on 2 features: the larger feature wins.
    const model = {
      inputSize: 2,
      layers: [
        {
          weights: Float32Array.from([1, 0, 0, 1]),
          bias: new Float32Array(2),
          activation: 'softmax' as const,
        },
      ],
    };
    const holdout = {
      x: Float32Array.from([1, 0, 0, 1, 2, 1, 0, 3]),
      y: Int32Array.from([0, 1, 1, 1]),
      rows: 4,
      requestIds: new Float64Array(4),
      windowMs: [0, 1] as [number, number],
    };
    expect(holdoutAccuracy(model, holdout)).toBe(0.75);
  });

  it('writes the verdict and the alias reason with both accuracies', () => {
    expect(verdict(0.9, 0.8, 500)).toBe(
      'The new model is better by 10.0 points on the 500 holdout requests (one request is 0.20 points).',
    );
    expect(verdict(0.7, 0.8, 100)).toMatch(/^The champion is better by 10.0 points/);
    expect(verdict(0.8, 0.8, 100)).toMatch(/^The same accuracy/);
    expect(aliasReason(ev('data-drift', 'firing', 2.5 * H), 6 * H, 0.954, 0.446, true)).toBe(
      'retrained after data-drift at day 0, 02:30:00 (retrain at day 0, 06:00:00): holdout accuracy 95.4% vs champion 44.6%',
    );
    expect(aliasReason(null, H, 0.5, 0.5, false)).toMatch(
      /^retrained by the learner at day 0, 01:00:00 \(no alert firing\): .* vs the served version 50.0%$/,
    );
    expect(pct(0.1234)).toBe('12.3%');
  });
});
