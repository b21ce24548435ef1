/**
 * The incident timeline: what an Operate session's monitoring saw (alerts and the window metrics
 * around them) and what people and policies did to the models (deploys, alias moves, rollbacks,
 * retrains, fallback sessions), as typed events.
 *
 * Two clocks, never mixed. An Operate session runs in SIMULATED time (ms since the simulation's
 * start, compressed: a simulated day can pass in seconds), while the registry, runs and labs
 * record WALL-CLOCK time (ms since the epoch). Placing a wall-clock alias move at a simulated
 * minute would invent a causal order that never existed, so the model keeps two lists: the
 * incident (simulated axis) and the operations (wall-clock axis). An operational record moves
 * onto the simulated axis only when it names the session and a simulated time itself (a retrain
 * log entry does: "retrained after the alert at day 0, 05:00"); see incident-timeline-ops.ts.
 */
import type { AlertEvent, WindowSummary } from '../core/sim-monitor-types';
import type { Scenario } from '../core/sim-scenario-types';

/** What happened. `deploy`: `champion` pointed at a new version (not a rollback). */
export type IncidentEventKind =
  | 'alert-fired'
  | 'alert-resolved'
  | 'deploy'
  | 'alias-move'
  | 'rollback'
  | 'retrain'
  | 'fallback'
  | 'note';

/** A window's headline metrics; fractions in [0, 1], latency in ms; null where not measured. */
export type WindowMetrics = {
  index: number;
  /** Simulated ms. */
  startMs: number;
  endMs: number;
  requests: number;
  /** Accuracy on the labels that arrived in the window. */
  accuracy: number | null;
  labels: number;
  /** CBPE: expected accuracy from calibrated confidence. */
  cbpe: number | null;
  p99Ms: number | null;
  errorRate: number | null;
  /** Share of features whose drift test fired. */
  driftShare: number | null;
};

/** One event on one clock. */
export type IncidentEvent = {
  kind: IncidentEventKind;
  /** 'sim': ms since the simulation's start; 'wall': ms since the epoch. */
  clock: 'sim' | 'wall';
  timeMs: number;
  /** One line: what happened. */
  what: string;
  /** The reason or alert message, as recorded ('' when none). */
  why: string;
  /** Who acted: 'monitor', 'learner', 'policy', ... */
  who: string;
  /** Where it was recorded, for the reader ('alerts', 'alias history', 'runs', ...). */
  source: string;
  /** Sim events: the window before the event's window, and the window that produced it. */
  around?: { before: WindowMetrics | null; at: WindowMetrics | null };
};

/** The part of a saved session the timeline reads (state/operate-session.ts restores it). */
export type SessionInput = {
  id: string;
  /** Wall clock, ms since epoch: when the run started and when it was last saved. */
  createdAt: number;
  updatedAt: number;
  versionId: string;
  simTimeMs: number;
  scenarios: readonly Scenario[];
  windows: readonly WindowSummary[];
  alerts: readonly AlertEvent[];
};

/** The timeline of one session: the incident (sim clock) and the operations (wall clock). */
export type IncidentTimeline = {
  sessionId: string;
  versionId: string;
  /** Simulated events in time order (stable for ties). */
  incident: IncidentEvent[];
  /** Wall-clock events in time order. */
  operations: IncidentEvent[];
};

const fin = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A window's headline metrics (tolerant of nulls from a saved record). */
export function windowMetrics(w: WindowSummary): WindowMetrics {
  return {
    index: w.index,
    startMs: w.startMs,
    endMs: w.endMs,
    requests: w.requests,
    accuracy: fin(w.accuracy?.accuracy),
    labels: w.accuracy?.labels ?? 0,
    cbpe: fin(w.cbpe),
    p99Ms: fin(w.latency?.p99),
    errorRate: fin(w.errorRate),
    driftShare: fin(w.drift?.driftedShare),
  };
}

/** Human names of the alert rules, for the timeline and the post-mortem. */
export const RULE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'data-drift': 'data drift',
  'prediction-drift': 'prediction drift',
  'accuracy-drop': 'accuracy drop',
  'cbpe-drop': 'estimated accuracy (CBPE) drop',
  'p99-latency': 'p99 latency',
  'error-rate': 'error rate',
});

/** The rule's name in words (an unknown rule keeps its id). */
export const ruleName = (rule: string): string => RULE_NAMES[rule] ?? rule;

/**
 * The simulated-time events of a session: each alert (fired / resolved, with the metrics of the
 * window before and of the window that produced it), and each scenario's onset as a note (the
 * ground truth the learner injected: detection time is measured from it).
 */
export function sessionEvents(s: SessionInput): IncidentEvent[] {
  const byIndex = new Map(s.windows.map((w) => [w.index, w]));
  const metricsOf = (i: number) => {
    const w = byIndex.get(i);
    return w ? windowMetrics(w) : null;
  };
  const events: IncidentEvent[] = s.scenarios
    .filter((sc) => sc.startMs <= s.simTimeMs)
    .map((sc) => ({
      kind: 'note' as const,
      clock: 'sim' as const,
      timeMs: sc.startMs,
      what: `Scenario starts: ${sc.kind}`,
      why: 'injected by the learner (the ground truth the alerts should catch)',
      who: 'learner',
      source: 'simulation settings',
    }));
  for (const a of s.alerts) {
    events.push({
      kind: a.state === 'firing' ? 'alert-fired' : 'alert-resolved',
      clock: 'sim',
      timeMs: a.atMs,
      what: `${a.state === 'firing' ? 'Alert fired' : 'Alert resolved'}: ${ruleName(a.rule)}`,
      why: a.message,
      who: 'monitor',
      source: 'alerts',
      around: { before: metricsOf(a.window - 1), at: metricsOf(a.window) },
    });
  }
  return sortEvents(events);
}

/** Events by time; ties keep their input order (Array.prototype.sort is stable). */
export function sortEvents(events: IncidentEvent[]): IncidentEvent[] {
  return events.sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Builds the timeline: the session's own events plus the operational events (already typed by
 * incident-timeline-ops.ts); operational events that name this session and a simulated time
 * join the incident list, the rest stay on the wall clock.
 */
export function buildIncidentTimeline(
  session: SessionInput,
  operational: readonly IncidentEvent[],
): IncidentTimeline {
  const incident = sessionEvents(session);
  const operations: IncidentEvent[] = [];
  for (const e of operational) (e.clock === 'sim' ? incident : operations).push(e);
  return {
    sessionId: session.id,
    versionId: session.versionId,
    incident: sortEvents(incident),
    operations: sortEvents(operations),
  };
}
