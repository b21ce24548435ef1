import { describe, expect, it } from 'vitest';
import type { AliasEvent } from '../storage/registry-records';
import { buildIncidentTimeline, sessionEvents, windowMetrics } from './incident-timeline';
import { sessionInput, WINDOW_MS, win } from './incident-timeline.fixture';
import {
  aliasEvents,
  fallbackEvent,
  phaseOf,
  retrainEvents,
  rolloutEvents,
  runEvents,
  sessionMarks,
} from './incident-timeline-ops';

const T = 1_714_550_400_000;
const move = (
  seq: number,
  alias: string,
  fromVersion: number | null,
  toVersion: number | null,
  reason = '',
  actor: AliasEvent['actor'] = 'learner',
): AliasEvent => ({
  seq,
  modelName: 'digits-classifier',
  alias,
  fromVersion,
  toVersion,
  at: T + seq * 1000,
  reason,
  actor,
});

describe('incident timeline: the simulated clock', () => {
  it('types each alert with the metrics of the window before and of its own window', () => {
    const events = sessionEvents(sessionInput());
    expect(events.map((e) => [e.kind, e.timeMs / WINDOW_MS])).toEqual([
      ['note', 3], // the scenario's onset, 01:30
      ['alert-fired', 4],
      ['alert-fired', 5],
      ['alert-resolved', 8],
      ['alert-resolved', 8],
    ]);
    const fired = events[1];
    expect(fired).toMatchObject({
      clock: 'sim',
      what: 'Alert fired: data drift',
      why: 'Drift in 70% of features (>= 50%)',
      who: 'monitor',
    });
    expect(fired.around?.before).toMatchObject({ index: 2, accuracy: 0.96, driftShare: 0.03 });
    expect(fired.around?.at).toMatchObject({ index: 3, accuracy: 0.9, cbpe: 0.8, p99Ms: 11 });
    expect(events[2].around?.at?.accuracy).toBe(0.6);
  });

  it('leaves a missing window as null and does not show a scenario the run never reached', () => {
    const s = sessionInput({ simTimeMs: WINDOW_MS });
    s.alerts = [{ ...s.alerts[0], window: 0 }];
    const events = sessionEvents(s);
    expect(events.map((e) => e.kind)).toEqual(['alert-fired']);
    expect(events[0].around?.before).toBeNull();
  });

  it('reads saved nulls (no labels, no latency) as null, not as zero', () => {
    const w = { ...win(0, { acc: null, cbpe: 0.9, p99: 5, drift: 0 }), latency: null, cbpe: null };
    expect(windowMetrics(w)).toMatchObject({ accuracy: null, labels: 0, p99Ms: null, cbpe: null });
  });
});

describe('incident timeline: operational events on the wall clock', () => {
  it('tells deploys, rollbacks and other alias moves apart', () => {
    const events = aliasEvents([
      move(4, 'champion', 2, 1, 'p99 doubled'), // undoes move 3: a rollback without the word
      move(1, 'champion', null, 1, 'first release'),
      move(2, 'challenger', null, 2, 'retrained'),
      move(3, 'champion', 1, 2, 'canary passed', 'policy'),
      move(5, 'challenger', 2, null, 'done'),
      move(6, 'champion', 1, 3, 'Rolled back to the safe build'),
    ]);
    expect(events.map((e) => [e.kind, e.what])).toEqual([
      ['deploy', 'digits-classifier champion set to v1'],
      ['alias-move', 'digits-classifier challenger set to v2'],
      ['deploy', 'digits-classifier champion v1 → v2'],
      ['rollback', 'digits-classifier champion v2 → v1'],
      ['alias-move', 'digits-classifier challenger removed (was v2)'],
      ['rollback', 'digits-classifier champion v1 → v3'],
    ]);
    expect(events[2]).toMatchObject({ who: 'policy', why: 'canary passed', clock: 'wall' });
  });

  it('calls a run a retrain only when a record says so', () => {
    const [plain, retrain] = runEvents([
      { id: 'r1', createdAt: T, datasetId: 'digits', status: 'completed', testAccuracy: 0.975 },
      { id: 'r2', createdAt: T + 1, datasetId: 'digits', status: 'completed', retrainOf: 'drift' },
    ]);
    expect(plain).toMatchObject({
      kind: 'note',
      what: 'Training run r1 on digits (completed, test accuracy 97.5%)',
    });
    expect(retrain).toMatchObject({ kind: 'retrain', why: 'drift' });
  });

  it('summarises the fallback lab and rejects an outcome without counts', () => {
    const e = fallbackEvent({
      savedAt: T,
      values: {
        requests: 200,
        servedByFallback: 50,
        faultsInjected: 'crash,latency',
        lost: 0,
        doubled: 0,
        primary: 'a@v2',
        secondary: 'a@v1',
      },
    });
    expect(e).toMatchObject({ kind: 'fallback', timeMs: T });
    expect(e?.what).toBe(
      'Fallback lab (a@v2 → a@v1): 200 requests, 50 served by the fallback (25.0%)',
    );
    expect(e?.why).toBe('faults injected: crash, latency; 0 lost, 0 answered twice');
    expect(fallbackEvent({ savedAt: T, values: { requests: 'many' } })).toBeNull();
  });

  it('keeps roll-out decisions but not canary steps; an automatic rollback is a rollback', () => {
    const events = rolloutEvents({
      modelName: 'm',
      mode: 'canary',
      events: [
        { simMs: 0, at: T, kind: 'start', text: 'canary 1%' },
        { simMs: 10, at: T + 1, kind: 'step', text: '5%' },
        { simMs: 20, at: T + 2, kind: 'rollback', text: 'p99 guard broke: 240 ms > 100 ms' },
      ],
    });
    expect(events.map((e) => e.kind)).toEqual(['note', 'rollback']);
    expect(events[1]).toMatchObject({
      timeMs: T + 2,
      clock: 'wall',
      why: 'p99 guard broke: 240 ms > 100 ms',
    });
  });

  it('puts a retrain log entry on the simulated axis only when it names this session', () => {
    const entries = [
      {
        at: T,
        text: 'after data drift',
        skipped: false,
        sessionId: 'sim-1-a',
        simMs: 4 * WINDOW_MS,
      },
      { at: T + 5, text: 'other run', skipped: false, sessionId: 'sim-2', simMs: 100 },
      { at: T + 9, text: 'cooldown', skipped: true, action: 'skipped' },
    ];
    const events = retrainEvents(entries, 'sim-1-a');
    expect(events.map((e) => [e.clock, e.kind, e.timeMs])).toEqual([
      ['sim', 'retrain', 4 * WINDOW_MS],
      ['wall', 'retrain', T + 5],
      ['wall', 'note', T + 9],
    ]);
    const timeline = buildIncidentTimeline(sessionInput(), [
      ...events,
      ...sessionMarks(sessionInput()),
    ]);
    expect(timeline.incident.map((e) => e.kind)).toEqual([
      'note',
      'alert-fired',
      'retrain', // after the alert at the same simulated time: input order kept
      'alert-fired',
      'alert-resolved',
      'alert-resolved',
    ]);
    expect(timeline.operations.map((e) => e.timeMs)).toEqual([T, T + 5, T + 9, T + 300_000]);
  });

  it('places wall-clock events before, during or after the session', () => {
    const s = sessionInput();
    const at = (timeMs: number) => ({ ...sessionMarks(s)[0], timeMs });
    expect(
      [s.createdAt - 1, s.createdAt, s.updatedAt, s.updatedAt + 1].map((t) => phaseOf(at(t), s)),
    ).toEqual(['before', 'during', 'during', 'after']);
  });
});
