/**
 * Alert rules over closed monitoring windows, with hysteresis: a rule fires once when its
 * condition starts to hold and resolves once when it stops; a window that cannot judge a rule
 * (no requests, too few labels, no drift sample) leaves that rule's state as it was.
 */
import { METHOD_NAMES } from './drift-rules';
import type { AlertEvent, AlertRule, AlertThresholds, WindowSummary } from './sim-monitor-types';

export const ALERT_RULES: readonly AlertRule[] = [
  'data-drift',
  'prediction-drift',
  'accuracy-drop',
  'cbpe-drop',
  'p99-latency',
  'error-rate',
];

/** A rule's reading on one window: value null when the window cannot judge it. */
export type RuleReading = {
  rule: AlertRule;
  value: number | null;
  threshold: number;
  breached: boolean;
  /** What the value means, for the message. */
  detail: string;
};

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * Reads every rule on a window.
 * @param referenceAccuracy the model's accuracy before deployment (fraction).
 * @param featureNames names for the drifted-feature list of the drift message.
 */
export function readRules(
  w: WindowSummary,
  t: AlertThresholds,
  referenceAccuracy: number,
  featureNames: readonly string[],
): RuleReading[] {
  const drift = w.drift;
  const driftedNames = drift
    ? drift.flags
        .map((f, i) => (f ? featureNames[i] : ''))
        .filter((s) => s)
        .slice(0, 8)
    : [];
  const acc = w.accuracy.labels >= t.minLabels ? w.accuracy.accuracy : null;
  const accDrop = acc === null ? null : (referenceAccuracy - acc) * 100;
  const cbpeDrop = w.cbpe === null ? null : (referenceAccuracy - w.cbpe) * 100;
  const p99 = w.latency?.p99 ?? null;
  const pred = w.predictionDrift;
  return [
    {
      rule: 'data-drift',
      value: drift ? drift.driftedShare : null,
      threshold: t.driftShare,
      breached: drift !== null && drift.driftedShare >= t.driftShare,
      detail: drift
        ? `${drift.driftedCount} of ${drift.flags.length} features drifted (${pct(drift.driftedShare)} of ${drift.rows} sampled rows)` +
          (driftedNames.length
            ? `: ${driftedNames.join(', ')}${drift.driftedCount > 8 ? ', ...' : ''}`
            : '')
        : '',
    },
    {
      // The threshold is the test's own (Evidently's), not a learner setting: see AlertRule.
      rule: 'prediction-drift',
      value: pred ? pred.score : null,
      threshold: pred ? pred.threshold : 0,
      breached: pred !== null && pred.drifted,
      detail: pred
        ? `predicted-class mix of ${drift?.rows ?? 'the'} sampled rows against the reference predictions, ${METHOD_NAMES[pred.method]} ${pred.score.toPrecision(3)}`
        : '',
    },
    {
      rule: 'accuracy-drop',
      value: accDrop,
      threshold: t.accuracyDropPoints,
      breached: accDrop !== null && accDrop > t.accuracyDropPoints,
      detail:
        acc === null
          ? ''
          : `accuracy ${pct(acc)} on ${w.accuracy.labels} arrived labels vs ${pct(referenceAccuracy)} reference`,
    },
    {
      rule: 'cbpe-drop',
      value: cbpeDrop,
      threshold: t.cbpeDropPoints,
      breached: cbpeDrop !== null && cbpeDrop > t.cbpeDropPoints,
      detail:
        w.cbpe === null
          ? ''
          : `estimated accuracy (CBPE) ${pct(w.cbpe)} vs ${pct(referenceAccuracy)} reference`,
    },
    {
      rule: 'p99-latency',
      value: p99,
      threshold: t.p99LatencyMs,
      breached: p99 !== null && p99 > t.p99LatencyMs,
      detail: p99 === null ? '' : `p99 latency ${p99.toFixed(2)} ms over ${w.latency?.n} requests`,
    },
    {
      rule: 'error-rate',
      value: w.errorRate,
      threshold: t.errorRate,
      breached: w.errorRate !== null && w.errorRate > t.errorRate,
      detail:
        w.errorRate === null
          ? ''
          : `${w.errors} errors in ${w.requests} requests (${pct(w.errorRate)})`,
    },
  ];
}

const TITLES: Readonly<Record<AlertRule, string>> = {
  'data-drift': 'Data drift',
  'prediction-drift': 'Prediction drift',
  'accuracy-drop': 'Accuracy drop',
  'cbpe-drop': 'Estimated accuracy drop',
  'p99-latency': 'p99 latency',
  'error-rate': 'Error rate',
};

/** Hysteresis over windows: which rules are firing now. */
export class AlertTracker {
  #active = new Set<AlertRule>();

  /** Rules firing after the last window. */
  get active(): AlertRule[] {
    return ALERT_RULES.filter((r) => this.#active.has(r));
  }

  /** Updates the state with a window's readings; returns the fire / resolve events (at its end). */
  update(window: WindowSummary, readings: RuleReading[]): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const r of readings) {
      if (r.value === null) continue;
      const on = this.#active.has(r.rule);
      if (r.breached === on) continue;
      if (r.breached) this.#active.add(r.rule);
      else this.#active.delete(r.rule);
      events.push({
        atMs: window.endMs,
        rule: r.rule,
        state: r.breached ? 'firing' : 'resolved',
        value: r.value,
        threshold: r.threshold,
        message: `${TITLES[r.rule]} ${r.breached ? 'firing' : 'resolved'}: ${r.detail} (threshold ${r.threshold})`,
        window: window.index,
      });
    }
    return events;
  }
}
