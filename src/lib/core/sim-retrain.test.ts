import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './monitor';
import { DEFAULT_RETRAIN_POLICY, shouldRetrain } from './rollout-policy';

describe('shouldRetrain', () => {
  const H = 3_600_000;
  const ev = (rule: AlertEvent['rule'], state: AlertEvent['state'], atMs: number): AlertEvent => ({
    atMs,
    rule,
    state,
    value: 0.6,
    threshold: 0.5,
    message: `${rule} ${state}`,
    window: 0,
  });
  const policy = { ...DEFAULT_RETRAIN_POLICY, cooldownMs: 6 * H };

  it('retrains when a triggering alert is firing, naming it', () => {
    const d = shouldRetrain([ev('data-drift', 'firing', 2 * H)], null, 3 * H, policy);
    expect(d).toMatchObject({ retrain: true, alert: { rule: 'data-drift' } });
    expect(d.reason).toMatch(/^retrain: data-drift firing since 2 h/);
  });

  it('does not retrain without a firing trigger: none, resolved, not a trigger, or not yet', () => {
    expect(shouldRetrain([], null, H, policy)).toMatchObject({
      retrain: false,
      reason: 'no triggering alert is firing',
    });
    const resolved = [ev('data-drift', 'firing', H), ev('data-drift', 'resolved', 2 * H)];
    expect(shouldRetrain(resolved, null, 3 * H, policy).retrain).toBe(false);
    expect(shouldRetrain([ev('p99-latency', 'firing', H)], null, 3 * H, policy).retrain).toBe(
      false,
    );
    expect(shouldRetrain([ev('data-drift', 'firing', 5 * H)], null, 3 * H, policy).retrain).toBe(
      false,
    );
  });

  it('respects the cooldown, then retrains again if the alert still fires', () => {
    const alerts = [ev('accuracy-drop', 'firing', H)];
    const cool = shouldRetrain(alerts, 2 * H, 5 * H, policy);
    expect(cool.retrain).toBe(false);
    expect(cool.reason).toMatch(/^cooldown: the last retrain was 3 h ago, next allowed in 3 h/);
    expect(shouldRetrain(alerts, 2 * H, 8 * H, policy).retrain).toBe(true);
  });

  it('picks the earliest firing trigger, and says what it would do when switched off', () => {
    const alerts = [ev('cbpe-drop', 'firing', H), ev('data-drift', 'firing', 2 * H)];
    expect(shouldRetrain(alerts, null, 3 * H, policy).alert?.rule).toBe('cbpe-drop');
    const off = shouldRetrain(alerts, null, 3 * H, { ...policy, enabled: false });
    expect(off.retrain).toBe(false);
    expect(off.reason).toMatch(/^automatic retraining is off \(cbpe-drop firing/);
  });
});
