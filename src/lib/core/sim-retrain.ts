/**
 * The retraining trigger (re-exported by rollout-policy.ts): retrain when an alert of a chosen
 * rule is firing, at most once per cooldown. Pure: the caller logs the decision and its reason,
 * and records the time of the retrain it starts.
 */
import type { AlertEvent, AlertRule } from './sim-monitor-types';

export type RetrainPolicy = {
  /** Off: decisions say why they would have retrained, and never do. */
  enabled: boolean;
  /** Alert rules that trigger a retrain. */
  triggers: readonly AlertRule[];
  /** Minimum simulated time between two retrains, ms. */
  cooldownMs: number;
};

export const DEFAULT_RETRAIN_POLICY: Readonly<RetrainPolicy> = Object.freeze({
  enabled: true,
  triggers: Object.freeze(['data-drift', 'accuracy-drop', 'cbpe-drop'] as AlertRule[]),
  cooldownMs: 24 * 3_600_000,
});

export type RetrainDecision = {
  retrain: boolean;
  reason: string;
  /** The firing alert behind the decision (the earliest to fire among the triggers). */
  alert: AlertEvent | null;
};

const hours = (ms: number): string => `${+(ms / 3_600_000).toFixed(2)} h`;

/**
 * Decides whether to retrain now. An alert counts when its latest event at or before `nowMs`
 * is 'firing'. While an alert keeps firing past the cooldown, the next call retrains again:
 * the cooldown is the guardrail against a retraining loop.
 * @param alerts the alert timeline, in time order.
 * @param lastRetrainAtMs when the last retrain started, or null if never.
 */
export function shouldRetrain(
  alerts: readonly AlertEvent[],
  lastRetrainAtMs: number | null,
  nowMs: number,
  policy: RetrainPolicy,
): RetrainDecision {
  const firing = new Map<AlertRule, AlertEvent>();
  for (const a of alerts) {
    if (a.atMs > nowMs) break;
    if (a.state === 'firing') firing.set(a.rule, a);
    else firing.delete(a.rule);
  }
  const candidates = [...firing.values()]
    .filter((a) => policy.triggers.includes(a.rule))
    .sort((a, b) => a.atMs - b.atMs);
  const alert = candidates[0] ?? null;
  if (!alert) return { retrain: false, reason: 'no triggering alert is firing', alert };
  const why = `${alert.rule} firing since ${hours(alert.atMs)}: ${alert.message}`;
  if (!policy.enabled)
    return { retrain: false, reason: `automatic retraining is off (${why})`, alert };
  if (lastRetrainAtMs !== null && nowMs - lastRetrainAtMs < policy.cooldownMs) {
    const left = policy.cooldownMs - (nowMs - lastRetrainAtMs);
    return {
      retrain: false,
      reason: `cooldown: the last retrain was ${hours(nowMs - lastRetrainAtMs)} ago, next allowed in ${hours(left)} (${why})`,
      alert,
    };
  }
  return { retrain: true, reason: `retrain: ${why}`, alert };
}
