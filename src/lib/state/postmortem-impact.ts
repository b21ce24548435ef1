/**
 * The generated figures of a post-mortem, computed from a session's windows and alerts (all in
 * SIMULATED time): when the incident started (the injected scenario's onset, the ground truth,
 * or the first alert when nothing was injected), when it was detected (the first alert), when it
 * ended (every alert resolved) and what it cost (requests in the affected windows, accuracy and
 * CBPE before against the worst window, the worst p99).
 */
import type { AlertEvent, WindowSummary } from '../core/sim-monitor-types';
import type { Scenario } from '../core/sim-scenario-types';

export type Impact = {
  /** Simulated ms: the scenario's onset, or the first alert without one. */
  startMs: number;
  /** The first alert: when and which. */
  detectedMs: number;
  firstAlert: AlertEvent;
  /** Onset of the earliest scenario that started at or before detection, if one did. */
  onsetMs: number | null;
  /** When every alert was resolved; null while one was still firing at the end of the run. */
  resolvedMs: number | null;
  /** End of the incident: `resolvedMs`, or the simulated time the run reached. */
  endMs: number;
  durationMs: number;
  /** Detection delay from the onset (null without a scenario). */
  timeToDetectMs: number | null;
  /** Requests of the windows that overlap [startMs, endMs). */
  requestsAffected: number;
  windowsAffected: number;
  /** Accuracy on the labels that arrived before the incident, pooled; fraction or null. */
  accuracyBefore: number | null;
  /** The lowest window accuracy during the incident (windows with at least `minLabels`). */
  accuracyWorst: number | null;
  cbpeBefore: number | null;
  cbpeWorst: number | null;
  p99Worst: number | null;
  /** Distinct rules that fired, in the order they first fired. */
  rules: string[];
};

/** Windows with fewer labels than this do not count as the "worst accuracy" (noise). */
export const MIN_LABELS_FOR_WORST = 20;

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const minOf = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
const fin = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v);

/** When every alert had resolved after the last firing one; null when one is still firing. */
function resolvedAt(alerts: readonly AlertEvent[]): number | null {
  const firing = new Set<string>();
  let last = null as number | null;
  for (const a of [...alerts].sort((x, y) => x.atMs - y.atMs)) {
    if (a.state === 'firing') firing.add(a.rule);
    else firing.delete(a.rule);
    last = firing.size === 0 ? a.atMs : null;
  }
  return last;
}

/**
 * The impact of the incident in a session, or null when no alert fired.
 * @param simTimeMs how far the run got (simulated ms): the end of an unresolved incident.
 */
export function computeImpact(s: {
  windows: readonly WindowSummary[];
  alerts: readonly AlertEvent[];
  scenarios: readonly Scenario[];
  simTimeMs: number;
}): Impact | null {
  const fired = s.alerts.filter((a) => a.state === 'firing').sort((a, b) => a.atMs - b.atMs);
  const firstAlert = fired[0];
  if (!firstAlert) return null;
  const detectedMs = firstAlert.atMs;
  const onsets = s.scenarios.map((sc) => sc.startMs).filter((t) => t <= detectedMs);
  const onsetMs = onsets.length ? Math.min(...onsets) : null;
  const startMs = onsetMs ?? detectedMs;
  const resolvedMs = resolvedAt(s.alerts);
  const endMs = resolvedMs ?? Math.max(s.simTimeMs, detectedMs);
  const before = s.windows.filter((w) => w.endMs <= startMs);
  const during = s.windows.filter((w) => w.endMs > startMs && w.startMs < endMs);
  const labelsBefore = before.reduce((n, w) => n + (w.accuracy?.labels ?? 0), 0);
  const correctBefore = before.reduce((n, w) => n + (w.accuracy?.correct ?? 0), 0);
  return {
    startMs,
    detectedMs,
    firstAlert,
    onsetMs,
    resolvedMs,
    endMs,
    durationMs: endMs - startMs,
    timeToDetectMs: onsetMs === null ? null : detectedMs - onsetMs,
    requestsAffected: during.reduce((n, w) => n + w.requests, 0),
    windowsAffected: during.length,
    accuracyBefore: labelsBefore > 0 ? correctBefore / labelsBefore : null,
    accuracyWorst: minOf(
      during
        .filter((w) => (w.accuracy?.labels ?? 0) >= MIN_LABELS_FOR_WORST)
        .map((w) => w.accuracy.accuracy)
        .filter(fin),
    ),
    cbpeBefore: mean(before.map((w) => w.cbpe).filter(fin)),
    cbpeWorst: minOf(during.map((w) => w.cbpe).filter(fin)),
    p99Worst: maxOf(during.map((w) => w.latency?.p99).filter(fin)),
    rules: [...new Set(fired.map((a) => a.rule))],
  };
}
