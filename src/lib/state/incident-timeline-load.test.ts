import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { addRegistry, REGISTRY_T0 } from '../../../tests/fixtures/storage/registry';
import { saveRun, setSetting, type AppDb, type RunRecord } from '../storage';
import { saveSimSession } from '../storage/sim-sessions';
import { sessionInput, WINDOW_MS } from './incident-timeline.fixture';
import { loadOperational, loadSessions, modelOf, ROLLOUT_LOG_KEY } from './incident-timeline-load';
import { RETRAIN_LOG_KEY } from './incident-timeline-retrain';
import { EMPTY_SNAPSHOT, sessionRecord } from './operate-session';
import { DEFAULT_OPERATE_SPEC } from './operate-spec';
import { saveWidgetOutcome } from './widget-outcomes';

const T = REGISTRY_T0;

function run(
  id: string,
  createdAt: number,
  hyperparameters: Record<string, unknown> = {},
): RunRecord {
  return {
    id,
    createdAt,
    datasetId: 'digits',
    seed: 1,
    splitSeed: 0,
    hyperparameters,
    fingerprint: 'f',
    backend: 'wasm',
    durationMs: 1,
    curves: [],
    status: 'completed',
  };
}

async function seeded(): Promise<AppDb> {
  const db = await openTestDb();
  const s = sessionInput();
  const spec = { ...DEFAULT_OPERATE_SPEC, durationSeconds: 5 * 3600, scenarios: [...s.scenarios] };
  const snapshot = {
    ...EMPTY_SNAPSHOT,
    simTimeMs: s.simTimeMs,
    served: 9000,
    windows: s.windows,
    alerts: s.alerts,
  };
  const record = sessionRecord(
    { id: s.id, createdAt: T - 10_000, versionId: s.versionId, spec },
    snapshot,
    T + 10_000,
  );
  await saveSimSession(db, record);
  await saveSimSession(db, {
    ...record,
    id: 'damaged',
    updatedAt: T + 20_000,
    spec: { dataset: 'sand' },
  });
  return db;
}

describe('incident timeline: reading storage', () => {
  it('lists the readable sessions and names the damaged ones', async () => {
    const db = await seeded();
    const { sessions, unreadable } = await loadSessions(db);
    expect(
      sessions.map((s) => [s.id, s.dataset, s.modelName, s.windows.length, s.alerts.length]),
    ).toEqual([['sim-1-a', 'digits', 'digits-classifier', 9, 4]]);
    expect(sessions[0].scenarios[0]).toMatchObject({ kind: 'brightness', startMs: 3 * WINDOW_MS });
    expect(unreadable).toEqual([expect.stringMatching(/^damaged: its settings are invalid/)]);
    expect(modelOf('a-b@v12')).toBe('a-b');
  });

  it('gathers alias moves, runs, the fallback lab, the roll-out log and the retrain log', async () => {
    const db = await seeded();
    await addRegistry(db);
    await saveRun(db, run('run-a', T - 60_000));
    await saveRun(db, run('run-b', T + 30_000));
    await saveRun(db, run('run-c', T + 40_000, { productionRows: 800 }));
    await saveWidgetOutcome(
      db,
      'fallback-lab',
      { requests: 40, servedByFallback: 10, faultsInjected: 'crash' },
      () => T + 50_000,
    );
    await setSetting(db, ROLLOUT_LOG_KEY, {
      modelName: 'digits-classifier',
      mode: 'canary',
      champion: 'digits-classifier@v2',
      challenger: 'digits-classifier@v3',
      savedAt: T + 70_000,
      ledger: '0 lost',
      events: [{ simMs: 5, at: T + 60_000, kind: 'rollback', text: 'p99 guard broke' }],
    });
    await setSetting(db, RETRAIN_LOG_KEY, [
      {
        at: T + 30_000,
        reason: 'retrained after data drift',
        sessionId: 'sim-1-a',
        simMs: 4 * WINDOW_MS,
        runId: 'run-b',
      },
    ]);
    const [session] = (await loadSessions(db)).sessions;
    const events = await loadOperational(db, session);
    const kinds = (source: string) => events.filter((e) => e.source === source).map((e) => e.kind);
    expect(kinds('simulation')).toEqual(['note', 'note']);
    expect(kinds('alias history')).toEqual(['deploy', 'deploy', 'alias-move']);
    expect(kinds('runs')).toEqual(['retrain', 'retrain', 'note']); // newest first from storage
    expect(events.find((e) => e.what.includes('run-b'))?.why).toBe('retrained after data drift');
    expect(events.find((e) => e.what.includes('run-c'))?.why).toBe('productionRows: 800');
    expect(kinds('fallback lab')).toEqual(['fallback']);
    expect(kinds('roll-out log')).toEqual(['rollback']);
    expect(
      events.filter((e) => e.source === 'retrain log').map((e) => [e.clock, e.timeMs]),
    ).toEqual([['sim', 4 * WINDOW_MS]]);
  });

  it('leaves out another model roll-out log and works with empty stores', async () => {
    const db = await seeded();
    await setSetting(db, ROLLOUT_LOG_KEY, {
      modelName: 'other',
      mode: 'ab',
      champion: 'a',
      challenger: 'b',
      savedAt: 1,
      ledger: '',
      events: [{ simMs: 0, at: 1, kind: 'start', text: 's' }],
    });
    await setSetting(db, RETRAIN_LOG_KEY, 'garbage');
    const [session] = (await loadSessions(db)).sessions;
    const events = await loadOperational(db, session);
    expect(events.map((e) => e.source)).toEqual(['simulation', 'simulation']);
  });
});
