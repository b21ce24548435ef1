import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATE_SPEC, parseOperateSpec } from './operate-spec';

const base = { ...DEFAULT_OPERATE_SPEC, scenarios: [] };
const err = (patch: Record<string, unknown>) => {
  const r = parseOperateSpec({ ...base, ...patch });
  return r.ok ? 'ok' : r.error;
};

describe('parseOperateSpec', () => {
  it('accepts the default and a full spec, and returns a copy', () => {
    expect(parseOperateSpec(base)).toEqual({ ok: true, spec: base });
    const scenarios = [
      { kind: 'brightness', params: { factor: 0.6 }, startMs: 7_200_000, rampMs: 0 },
      { kind: 'stuck-at-zero', params: { feature: 36 }, startMs: 0, rampMs: 600_000, endMs: 9e6 },
    ];
    const full = {
      ...base,
      scenarios,
      thresholds: { driftShare: 0.4 },
      hiddenControls: ['speed', 'speed'],
    };
    const r = parseOperateSpec(full);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.hiddenControls).toEqual(['speed']);
    expect(r.spec.scenarios).toEqual(scenarios);
    expect(r.spec.scenarios[0]).not.toBe(scenarios[0]);
  });

  it('names the field that is wrong', () => {
    expect(parseOperateSpec(null)).toEqual({ ok: false, error: 'the spec must be an object' });
    expect(err({ dataset: 'iris' })).toMatch(/^dataset must be/);
    expect(err({ seed: 1.5 })).toMatch(/^seed must be a safe integer/);
    expect(err({ requestsPerSecond: 0 })).toMatch(/^requestsPerSecond must be a number in/);
    expect(err({ durationSeconds: Infinity })).toMatch(/^durationSeconds/);
    expect(err({ windowMinutes: 1440, durationSeconds: 3600 })).toMatch(/^windowMinutes must not/);
    expect(err({ extra: 1 })).toBe('unknown field "extra"');
    expect(err({ scenarios: {} })).toBe('scenarios must be a list');
    expect(err({ thresholds: { driftShare: 2 } })).toMatch(/^thresholds\.driftShare must be in/);
    expect(err({ thresholds: { loud: 1 } })).toBe('thresholds.loud is not a threshold');
    expect(err({ hiddenControls: ['everything'] })).toMatch(/^hiddenControls\[0\] must be/);
  });

  it('names the scenario and its parameter', () => {
    const s = (x: Record<string, unknown>) => ({ startMs: 0, rampMs: 0, ...x });
    expect(
      err({
        scenarios: [
          s({ kind: 'brightness', params: { factor: 2 } }),
          s({ kind: 'stuck-at-zero', params: { feature: 64 } }),
        ],
      }),
    ).toBe('scenarios[1].params.feature must be an integer in [0, 64), got 64');
    expect(err({ scenarios: [s({ kind: 'brightness', params: { factor: 2 }, rampMs: -1 })] })).toBe(
      'scenarios[0].rampMs must be >= 0, got -1',
    );
    expect(
      err({
        dataset: 'breast-cancer',
        scenarios: [s({ kind: 'rotation', params: { degrees: 9 } })],
      }),
    ).toBe('scenarios[0] (rotation): image transforms need the 8 x 8 digits data set');
    expect(err({ scenarios: [s({ kind: 'melt', params: {} })] })).toMatch(/unknown scenario kind/);
    expect(
      err({ scenarios: Array.from({ length: 9 }, () => s({ kind: 'noise', params: { std: 1 } })) }),
    ).toMatch(/at most 8/);
  });
});
