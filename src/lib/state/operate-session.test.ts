import { describe, expect, it } from 'vitest';
import { simSession } from '../storage/backup-v5';
import { restoreSession, sessionRecord, type OperateSnapshot } from './operate-session';
import { DEFAULT_OPERATE_SPEC } from './operate-spec';

const window0 = {
  index: 0,
  startMs: 0,
  endMs: 600_000,
  requests: 10,
  classMix: [5, 5],
  accuracy: { labels: 0, correct: 0, accuracy: null },
  cbpe: Number.NaN, // must not break JSON
};
const snap: OperateSnapshot = {
  simTimeMs: 600_000,
  endMs: 86_400_000,
  served: 10,
  skipped: 0,
  windows: [window0 as never],
  alerts: [
    {
      atMs: 600_000,
      rule: 'data-drift',
      state: 'firing',
      value: 0.6,
      threshold: 0.5,
      message: 'Data drift firing',
      window: 0,
    },
  ],
  log: Array.from({ length: 300 }, (_, i) => ({
    requestId: i,
    timeMs: i,
    versionId: 'm@v1',
    predicted: 1,
    confidence: 0.9,
    latencyMs: 0.1,
  })),
  ledger: { recorded: 10, lost: 0, doubled: 0 },
};
const spec = { ...DEFAULT_OPERATE_SPEC, scenarios: [] };

describe('operate sessions', () => {
  it('saves a record storage accepts, and reads it back', () => {
    const rec = sessionRecord({ id: 'sim-1', createdAt: 1, versionId: 'm@v1', spec }, snap, 5);
    expect(() => simSession(rec, 'session')).not.toThrow();
    expect(rec.log.length).toBe(200); // only the newest entries are kept
    expect(rec.windows[0].cbpe).toBeNull();
    const back = restoreSession(rec);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.session.spec).toEqual(spec);
    expect(back.session.snapshot.alerts).toEqual(snap.alerts);
    expect(back.session.snapshot.log.at(-1)?.requestId).toBe(299);
    expect(back.session.snapshot.endMs).toBe(86_400_000);
  });

  it('says what is wrong with a damaged record', () => {
    const rec = sessionRecord({ id: 'sim-1', createdAt: 1, versionId: 'm@v1', spec }, snap, 5);
    expect(restoreSession({ ...rec, spec: { ...rec.spec, seed: 'x' } })).toEqual({
      ok: false,
      error: 'its settings are invalid: seed must be a safe integer, got x',
    });
    expect(restoreSession({ ...rec, windows: [{ index: 0 }] })).toEqual({
      ok: false,
      error: 'windows[0] is damaged',
    });
    expect(restoreSession({ ...rec, alerts: [{ atMs: 1 }] })).toMatchObject({ ok: false });
    expect(restoreSession({ ...rec, log: [{ requestId: 'a' }] })).toMatchObject({ ok: false });
  });
});
