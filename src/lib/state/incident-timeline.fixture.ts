/**
 * Test data for the incident timeline and post-mortem tests (imported by tests only): a small
 * session of 30-minute windows in which a brightness scenario starts at 01:30, data drift fires
 * at the close of window 3 (02:00), accuracy drops from window 4, and both resolve once the
 * scenario ends (03:30).
 */
import type { AlertEvent, WindowSummary } from '../core/sim-monitor-types';
import type { Scenario } from '../core/sim-scenario-types';
import type { SessionInput } from './incident-timeline';

export const WINDOW_MS = 30 * 60_000;

/** A window with the metrics the timeline reads; the rest empty but well-typed. */
export function win(
  index: number,
  m: { acc: number | null; labels?: number; cbpe: number; p99: number; drift: number },
  requests = 1000,
): WindowSummary {
  const labels = m.acc === null ? 0 : (m.labels ?? 100);
  return {
    index,
    startMs: index * WINDOW_MS,
    endMs: (index + 1) * WINDOW_MS,
    requests,
    ratePerSecond: requests / 1800,
    errors: 0,
    rejections: 0,
    errorRate: 0,
    rejectionRate: 0,
    latency: {
      n: requests,
      mean: m.p99 / 2,
      p50: m.p99 / 3,
      p95: m.p99 * 0.9,
      p99: m.p99,
      max: m.p99 * 1.2,
      min: 1,
    },
    classMix: [],
    confidenceHistogram: [],
    cbpe: m.cbpe,
    accuracy: { labels, correct: Math.round((m.acc ?? 0) * labels), accuracy: m.acc },
    ownAccuracy: { labels: 0, correct: 0, accuracy: null },
    drift: {
      rows: 500,
      driftedCount: Math.round(m.drift * 64),
      driftedShare: m.drift,
      share: 0.5,
      drifted: m.drift >= 0.5,
      methods: [],
      scores: [],
      thresholds: [],
      flags: [],
    },
    predictionDrift: null,
  };
}

export const SCENARIO: Scenario = {
  kind: 'brightness',
  params: { factor: 0.5 },
  startMs: 3 * WINDOW_MS,
  rampMs: 0,
  endMs: 7 * WINDOW_MS,
};

const alert = (
  rule: AlertEvent['rule'],
  state: AlertEvent['state'],
  window: number,
  message: string,
): AlertEvent => ({
  atMs: (window + 1) * WINDOW_MS,
  rule,
  state,
  value: 0,
  threshold: 0,
  message,
  window,
});

/** The session: 9 windows (4.5 simulated hours). */
export function sessionInput(overrides: Partial<SessionInput> = {}): SessionInput {
  const quiet = { cbpe: 0.96, p99: 10, drift: 0.03 };
  const windows = [
    win(0, { acc: 0.97, ...quiet }),
    win(1, { acc: 0.95, ...quiet }),
    win(2, { acc: 0.96, ...quiet }),
    win(3, { acc: 0.9, cbpe: 0.8, p99: 11, drift: 0.7 }),
    win(4, { acc: 0.6, cbpe: 0.7, p99: 12, drift: 0.8 }),
    win(5, { acc: 0.55, cbpe: 0.68, p99: 14, drift: 0.8 }),
    win(6, { acc: 0.58, labels: 10, cbpe: 0.69, p99: 12, drift: 0.75 }),
    win(7, { acc: 0.96, ...quiet }),
    win(8, { acc: 0.97, ...quiet }),
  ];
  return {
    id: 'sim-1-a',
    createdAt: 1_714_550_400_000,
    updatedAt: 1_714_550_700_000,
    versionId: 'digits-classifier@v1',
    simTimeMs: 9 * WINDOW_MS,
    scenarios: [SCENARIO],
    windows,
    alerts: [
      alert('data-drift', 'firing', 3, 'Drift in 70% of features (>= 50%)'),
      alert('accuracy-drop', 'firing', 4, 'Accuracy 60.0% is 37 points below 97.0%'),
      alert('data-drift', 'resolved', 7, 'Drift share back under 50%'),
      alert('accuracy-drop', 'resolved', 7, 'Accuracy back'),
    ],
    ...overrides,
  };
}
