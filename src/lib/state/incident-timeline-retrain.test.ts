import { describe, expect, it } from 'vitest';
import { readRetrainEntry, readRetrainLog, RETRAIN_LOG_KEY } from './incident-timeline-retrain';
import type { RetrainLogEntry as WrittenEntry } from './retrain-settings';

describe('retrain log adapter', () => {
  it("reads the retraining trigger's own entries (retrain-settings.ts), newest first as written", () => {
    const written: WrittenEntry[] = [
      {
        at: 2000,
        sessionId: 'sim-1',
        simTimeMs: 21_600_000,
        actor: 'learner',
        action: 'failed',
        reason: 'No labelled production rows by the retrain time',
      },
      {
        at: 1000,
        sessionId: 'sim-1',
        simTimeMs: 18_000_000,
        actor: 'policy',
        action: 'retrained',
        reason:
          'retrained after data-drift at day 0, 02:30:00: holdout accuracy 95.4% vs champion 44.6%',
        runId: 'run-7',
        versionId: 'digits-classifier@v2',
        championId: 'digits-classifier@v1',
        newAccuracy: 0.954,
        championAccuracy: 0.446,
        lineage: 'Trained on digits + 800 production rows',
      },
    ];
    expect(RETRAIN_LOG_KEY).toBe('retrainLog');
    const log = readRetrainLog(written);
    expect(log.map((e) => [e.at, e.action, e.skipped, e.simMs, e.actor])).toEqual([
      [1000, 'retrained', false, 18_000_000, 'policy'],
      [2000, 'failed', true, 21_600_000, 'learner'],
    ]);
    expect(log[0]).toMatchObject({
      runId: 'run-7',
      versionId: 'digits-classifier@v2',
      sessionId: 'sim-1',
    });
  });

  it('reads the documented fields and their likely spellings', () => {
    expect(
      readRetrainEntry({
        at: 5,
        reason: 'retrained after data-drift at day 0, 02:00',
        action: 'retrained',
        sessionId: 'sim-1',
        alertAtMs: 7_200_000,
        runId: 'run-9',
        versionId: 'm@v4',
        actor: 'policy',
      }),
    ).toEqual({
      at: 5,
      text: 'retrained after data-drift at day 0, 02:00',
      action: 'retrained',
      skipped: false,
      sessionId: 'sim-1',
      simMs: 7_200_000,
      runId: 'run-9',
      versionId: 'm@v4',
      actor: 'policy',
    });
    expect(
      readRetrainEntry({ atMs: 1, message: 'cooldown: last retrain 2 h ago', decision: 'skip' }),
    ).toEqual({
      at: 1,
      text: 'cooldown: last retrain 2 h ago',
      action: 'skip',
      skipped: true,
    });
    expect(readRetrainEntry({ time: 1, text: 'no', retrained: false })?.skipped).toBe(true);
  });

  it('drops entries without a time or a text instead of guessing', () => {
    expect(readRetrainEntry({ reason: 'when?' })).toBeNull();
    expect(readRetrainEntry({ at: 1 })).toBeNull();
    expect(readRetrainEntry({ at: Number.NaN, reason: 'x' })).toBeNull();
    expect(readRetrainEntry(['at', 1])).toBeNull();
  });

  it('reads a list, or one wrapped in { entries } or { log }, in time order', () => {
    const entries = [{ at: 9, reason: 'b' }, { at: 3, reason: 'a' }, 'junk'];
    const texts = (v: unknown) => readRetrainLog(v).map((e) => e.text);
    expect(texts(entries)).toEqual(['a', 'b']);
    expect(texts({ entries })).toEqual(['a', 'b']);
    expect(texts({ log: entries })).toEqual(['a', 'b']);
    expect(texts(null)).toEqual([]);
    expect(texts({ entries: 'x' })).toEqual([]);
  });
});
