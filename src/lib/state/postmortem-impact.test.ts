import { describe, expect, it } from 'vitest';
import { sessionInput, WINDOW_MS } from './incident-timeline.fixture';
import { computeImpact } from './postmortem-impact';

describe('post-mortem impact', () => {
  it('measures from the scenario onset to the last resolution', () => {
    const i = computeImpact(sessionInput());
    expect(i).toMatchObject({
      onsetMs: 3 * WINDOW_MS,
      startMs: 3 * WINDOW_MS,
      detectedMs: 4 * WINDOW_MS,
      timeToDetectMs: WINDOW_MS,
      resolvedMs: 8 * WINDOW_MS,
      durationMs: 5 * WINDOW_MS,
      windowsAffected: 5,
      requestsAffected: 5000,
      rules: ['data-drift', 'accuracy-drop'],
      p99Worst: 14,
    });
    expect(i?.accuracyBefore).toBeCloseTo(288 / 300, 12);
    // Window 6 has 10 labels: too few to count as the worst; window 5 (55%) is.
    expect(i?.accuracyWorst).toBe(0.55);
    expect(i?.cbpeBefore).toBeCloseTo(0.96, 12);
    expect(i?.cbpeWorst).toBe(0.68);
    expect(i?.firstAlert.rule).toBe('data-drift');
  });

  it('runs to the end of the run while an alert is still firing, and starts at the alert without a scenario', () => {
    const s = sessionInput({ scenarios: [] });
    s.alerts = s.alerts.filter((a) => !(a.rule === 'accuracy-drop' && a.state === 'resolved'));
    const i = computeImpact(s);
    expect(i).toMatchObject({
      onsetMs: null,
      timeToDetectMs: null,
      startMs: 4 * WINDOW_MS,
      resolvedMs: null,
      endMs: 9 * WINDOW_MS,
      durationMs: 5 * WINDOW_MS,
      windowsAffected: 5, // windows 4..8
    });
  });

  it('ignores a scenario that started after the first alert and reports nothing without alerts', () => {
    const late = sessionInput();
    late.scenarios = [{ ...late.scenarios[0], startMs: 6 * WINDOW_MS }];
    expect(computeImpact(late)?.onsetMs).toBeNull();
    expect(computeImpact(sessionInput({ alerts: [] }))).toBeNull();
  });
});
