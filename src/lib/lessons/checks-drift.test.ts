import { describe, expect, it } from 'vitest';
import { simSummary } from '../state/lab-snapshot';
import type { SimSessionRecord } from '../storage/v5-records';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';
import type { SimSessionSummary } from './checks-drift';

const H = 3_600_000;

/** A saved run: seed 7, 30-minute windows, 12 windows, the given scenarios and alerts. */
function session(
  scenarios: [kind: string, startHours: number][],
  alerts: [rule: string, state: string, hours: number][] = [],
  over: { windows?: number; seed?: number; windowMinutes?: number; driftShare?: number } = {},
): SimSessionSummary {
  return {
    spec: {
      dataset: 'digits',
      seed: over.seed ?? 7,
      requestsPerSecond: 2,
      windowMinutes: over.windowMinutes ?? 30,
      driftShare: over.driftShare ?? 0.5,
      scenarios: scenarios.map(([kind, h]) => ({ kind, startMs: h * H })),
    },
    windows: over.windows ?? 12,
    alerts: alerts.map(([rule, state, h]) => ({ rule, state, timeMs: h * H })),
    ledger: { lost: 0, doubled: 0 },
  };
}
const snap = (...simSessions: SimSessionSummary[]): LabSnapshot => ({
  ...emptySnapshot(),
  simSessions,
});
const drift = (...s: SimSessionSummary[]) => runCheck('drift-alert-fired', {}, snap(...s));
const concept = (...s: SimSessionSummary[]) => runCheck('concept-drift-cbpe', {}, snap(...s));

const BRIGHT_FIRED = session([['brightness', 2]], [['data-drift', 'firing', 2.5]]);
const CONTROL = session([]);

describe('drift-alert-fired', () => {
  it('asks for a run first, then for a covariate scenario', () => {
    expect(runCheck('drift-alert-fired', {}, emptySnapshot()).message).toMatch(
      /No saved simulation yet.*brightness with factor 0\.6/,
    );
    // A snapshot from before this field existed grades the same.
    const { simSessions: _, ...old } = emptySnapshot();
    expect(runCheck('drift-alert-fired', {}, old).passed).toBe(false);
    const r = drift(CONTROL, session([['prior-shift', 2]]));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/None of your 2 saved simulations injects a covariate shift/);
  });

  it('a covariate run without an alert after the start: run longer or shift harder', () => {
    const r = drift(session([['noise', 2]], [], { windows: 5 }));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/noise from hour 2, seed 7\) closed 5 windows and no data-drift/);
    expect(r.message).toMatch(/at least 50% of the features/);
    const early = drift(session([['rotation', 3]], [['data-drift', 'firing', 1]]));
    expect(early.message).toMatch(/one fired at hour 1, before anything was injected/);
  });

  it('drift fired without a control run: asks for one with the same seed', () => {
    for (const other of [[], [session([], [], { seed: 8 })]]) {
      const r = drift(BRIGHT_FIRED, ...other);
      expect(r.passed).toBe(false);
      expect(r.message).toMatch(
        /brightness from hour 2 fired the data-drift alert at hour 2\.5 .*Now the control run: Reset, remove every scenario, keep seed 7/,
      );
    }
    // A run with only delayed labels is not a run without scenarios.
    expect(drift(BRIGHT_FIRED, session([['delayed-labels', 0]])).message).toMatch(
      /Now the control/,
    );
  });

  it('a control with other settings, or a shorter one, is no control', () => {
    const r = drift(BRIGHT_FIRED, session([], [], { windowMinutes: 60 }));
    expect(r.message).toMatch(/differs in more than the drift \(60-minute windows instead of 30\)/);
    const t = drift(BRIGHT_FIRED, session([], [], { driftShare: 0.9 }));
    expect(t.message).toMatch(/drift share threshold of 0\.9 instead of 0\.5/);
    const short = drift(BRIGHT_FIRED, session([], [], { windows: 4 }));
    expect(short.passed).toBe(false);
    expect(short.message).toMatch(/control run closed only 4 windows.*at least 12 windows/);
  });

  it('a control that fired too is a false alarm', () => {
    const r = drift(BRIGHT_FIRED, session([], [['data-drift', 'firing', 3]]));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/fired it too, at hour 3\. With nothing injected that is a false/);
  });

  it('passes with a drift alert after the start and a quiet control as long', () => {
    const r = drift(BRIGHT_FIRED, CONTROL);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(
      /^Brightness from hour 2 fired the data-drift alert at hour 2\.5 \(seed 7, 12 windows\), and the control .* quiet for 12 windows/,
    );
    // Other alerts in the control (latency, say) do not matter; an older fired run may pass.
    const newest = session([['shift', 1]], [['data-drift', 'firing', 1.5]], { seed: 9 });
    const control = session([], [['p99-latency', 'firing', 4]], { windows: 20 });
    expect(drift(newest, BRIGHT_FIRED, control).passed).toBe(true);
  });

  it('refuses params it does not take', () => {
    expect(runCheck('drift-alert-fired', { min: 1 }, snap()).message).toMatch(/unknown param/);
  });
});

describe('concept-drift-cbpe', () => {
  it('asks for a concept-drift run', () => {
    expect(concept().message).toMatch(/No saved simulation yet.*Relabelled class/);
    const r = concept(BRIGHT_FIRED);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/None of your 1 saved simulation injects concept drift/);
  });

  it('no accuracy alert after the start: says that labels must arrive', () => {
    const r = concept(session([['relabel', 2]], [['accuracy-drop', 'firing', 1]], { windows: 6 }));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/relabel from hour 2\) closed 6 windows and the accuracy alert/);
    expect(r.message).toMatch(/at least 50 per window/);
  });

  it('both alerts: the inputs changed, names why', () => {
    const writer = concept(
      session(
        [['new-writer', 2]],
        [
          ['accuracy-drop', 'firing', 2.5],
          ['cbpe-drop', 'firing', 2.5],
        ],
      ),
    );
    expect(writer.passed).toBe(false);
    expect(writer.message).toMatch(/CBPE alert fired too \(at hour 2\.5\).*rotated style/);
    const mixed = concept(
      session(
        [
          ['relabel', 2],
          ['brightness', 2],
        ],
        [
          ['accuracy-drop', 'firing', 3],
          ['cbpe-drop', 'firing', 2.5],
        ],
      ),
    );
    expect(mixed.message).toMatch(/Remove the covariate scenarios/);
  });

  it('passes when accuracy fired after the start and CBPE stayed quiet', () => {
    const r = concept(
      session(
        [
          ['relabel', 2],
          ['delayed-labels', 0],
        ],
        [
          ['accuracy-drop', 'firing', 3.5],
          ['accuracy-drop', 'resolved', 5],
        ],
      ),
    );
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/relabel from hour 2: the accuracy alert fired at hour 3\.5/);
  });
});

describe('simSummary (what the checks see of a saved run)', () => {
  const record = (spec: Record<string, unknown>): SimSessionRecord => ({
    id: 'sim-1',
    createdAt: 1,
    updatedAt: 2,
    versionId: 'digits-classifier@v1',
    spec,
    simTimeMs: 6 * H,
    requests: 100,
    windows: [{}, {}, {}],
    alerts: [
      { atMs: 2.5 * H, rule: 'data-drift', state: 'firing', message: 'm' },
      { atMs: 'bad', rule: 'data-drift', state: 'resolved', message: 'm' },
    ],
    log: [],
    ledger: { recorded: 100, lost: 0, doubled: 1 },
  });
  const SPEC = {
    dataset: 'digits',
    seed: 7,
    requestsPerSecond: 2,
    durationSeconds: 6 * 3600,
    windowMinutes: 30,
    scenarios: [{ kind: 'brightness', params: { factor: 0.6 }, startMs: 2 * H, rampMs: 0 }],
    thresholds: { driftShare: 0.4 },
  };

  it('keeps the spec, counts windows, maps alert times, drops damaged alerts', () => {
    expect(simSummary(record(SPEC))).toEqual([
      {
        spec: {
          dataset: 'digits',
          seed: 7,
          requestsPerSecond: 2,
          windowMinutes: 30,
          driftShare: 0.4,
          scenarios: [{ kind: 'brightness', startMs: 2 * H }],
        },
        windows: 3,
        alerts: [{ rule: 'data-drift', state: 'firing', timeMs: 2.5 * H }],
        ledger: { lost: 0, doubled: 1 },
      },
    ]);
    const { thresholds: _, ...noThresholds } = SPEC;
    expect(simSummary(record(noThresholds))[0].spec.driftShare).toBe(0.5);
  });

  it('leaves out a run whose spec no longer parses', () => {
    expect(simSummary(record({ ...SPEC, seed: 'seven' }))).toEqual([]);
  });
});
