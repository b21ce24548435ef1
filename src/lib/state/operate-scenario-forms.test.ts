import { describe, expect, it } from 'vitest';
import { buildScenario, scenarioForms } from './operate-scenario-forms';
import { parseOperateSpec, type OperateDataset } from './operate-spec';

const timing = { startHours: '2', rampMinutes: '30', endHours: '' };

describe('scenario forms', () => {
  it.each(['digits', 'breast-cancer'] as OperateDataset[])(
    'every default on %s builds a scenario the spec accepts',
    (dataset) => {
      const forms = scenarioForms(dataset);
      expect(forms.length).toBeGreaterThan(6);
      for (const form of forms) {
        const built = buildScenario(form, form.defaults(dataset), timing);
        expect(built.ok, form.kind).toBe(true);
        if (!built.ok) continue;
        expect(built.scenario).toMatchObject({
          kind: form.kind,
          startMs: 7_200_000,
          rampMs: 1_800_000,
        });
        const parsed = parseOperateSpec({
          dataset,
          seed: 1,
          requestsPerSecond: 1,
          durationSeconds: 86_400,
          windowMinutes: 30,
          scenarios: [built.scenario],
        });
        expect(parsed.ok ? 'ok' : parsed.error, form.kind).toBe('ok');
      }
    },
  );

  it('offers image transforms for digits only', () => {
    const kinds = (d: OperateDataset) => scenarioForms(d).map((f) => f.kind);
    expect(kinds('digits')).toContain('rotation');
    expect(kinds('breast-cancer')).not.toContain('rotation');
    expect(kinds('breast-cancer')).toContain('feature-scale');
  });

  it('says which field is wrong', () => {
    const [brightness] = scenarioForms('digits');
    expect(buildScenario(brightness, { factor: 'x' }, timing)).toEqual({
      ok: false,
      error: 'Factor: enter a number.',
    });
    expect(
      buildScenario(brightness, { factor: '2' }, { ...timing, startHours: '-1' }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Start/),
    });
    expect(buildScenario(brightness, { factor: '2' }, { ...timing, endHours: '1' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^End/),
    });
    const prior = scenarioForms('digits').find((f) => f.kind === 'prior-shift');
    expect(prior && buildScenario(prior, { classWeights: '1, a' }, timing)).toEqual({
      ok: false,
      error: 'Class weights: enter numbers separated by commas.',
    });
    const delayed = scenarioForms('digits').find((f) => f.kind === 'delayed-labels');
    const d = delayed && buildScenario(delayed, { delayMinutes: '90', fraction: '0.5' }, timing);
    expect(d).toMatchObject({
      ok: true,
      scenario: { params: { delaySeconds: 5400, fraction: 0.5 } },
    });
  });
});
