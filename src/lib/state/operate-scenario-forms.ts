/**
 * The scenario injector's forms: for each scenario kind, its name, the group it teaches (covariate
 * shift, prior shift, concept drift, upstream bug, labels), the data sets it applies to, and its
 * parameters with sensible defaults and ranges; `buildScenario` turns the form's values into a
 * core Scenario (validated later by parseOperateSpec, which names any bad field). Pure.
 */
import type { Scenario, ScenarioEffect, ScenarioKind } from '../core/sim-scenario-types';
import type { OperateDataset } from './operate-spec';

/** A numeric field (`list`: a comma-separated list of numbers, e.g. class weights). */
export type ParamField = {
  key: string;
  label: string;
  min?: number;
  max?: number;
  step?: number;
  list?: boolean;
  hint?: string;
};

export type ScenarioForm = {
  kind: ScenarioKind;
  label: string;
  group: 'Covariate shift' | 'Prior shift' | 'Concept drift' | 'Upstream bug' | 'Labels';
  datasets: readonly OperateDataset[];
  fields: readonly ParamField[];
  /** Default values by dataset (strings, as the inputs hold them). */
  defaults: (d: OperateDataset) => Record<string, string>;
  build: (v: Record<string, number | number[]>) => ScenarioEffect;
};

const DIGITS: readonly OperateDataset[] = ['digits'];
const TABULAR: readonly OperateDataset[] = ['breast-cancer'];
const BOTH: readonly OperateDataset[] = ['digits', 'breast-cancer'];
const feature = (d: OperateDataset): ParamField => ({
  key: 'feature',
  label: 'Feature (column index)',
  min: 0,
  max: d === 'digits' ? 63 : 29,
  step: 1,
  hint: d === 'digits' ? 'Pixel 8 x row + column, 0 to 63 (36 is near the centre).' : '0 to 29.',
});
const n = (v: number | number[]): number => (Array.isArray(v) ? NaN : v);
const list = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

/** Every form, in menu order. */
export function scenarioForms(d: OperateDataset): ScenarioForm[] {
  const all: ScenarioForm[] = [
    {
      kind: 'brightness',
      label: 'Brightness (pixels x factor)',
      group: 'Covariate shift',
      datasets: DIGITS,
      fields: [{ key: 'factor', label: 'Factor', min: 0, max: 4, step: 0.05 }],
      defaults: () => ({ factor: '0.6' }),
      build: (v) => ({ kind: 'brightness', params: { factor: n(v.factor) } }),
    },
    {
      kind: 'noise',
      label: 'Noise (Gaussian, pixel units)',
      group: 'Covariate shift',
      datasets: DIGITS,
      fields: [{ key: 'std', label: 'Standard deviation', min: 0, max: 16, step: 0.5 }],
      defaults: () => ({ std: '3' }),
      build: (v) => ({ kind: 'noise', params: { std: n(v.std) } }),
    },
    {
      kind: 'shift',
      label: 'Shift (translate the image)',
      group: 'Covariate shift',
      datasets: DIGITS,
      fields: [
        { key: 'dx', label: 'Right (pixels)', min: -8, max: 8, step: 0.5 },
        { key: 'dy', label: 'Down (pixels)', min: -8, max: 8, step: 0.5 },
      ],
      defaults: () => ({ dx: '1', dy: '0' }),
      build: (v) => ({ kind: 'shift', params: { dx: n(v.dx), dy: n(v.dy) } }),
    },
    {
      kind: 'rotation',
      label: 'Rotation',
      group: 'Covariate shift',
      datasets: DIGITS,
      fields: [{ key: 'degrees', label: 'Degrees (counter-clockwise)', min: -180, max: 180 }],
      defaults: () => ({ degrees: '20' }),
      build: (v) => ({ kind: 'rotation', params: { degrees: n(v.degrees) } }),
    },
    {
      kind: 'thicker',
      label: 'Thicker strokes',
      group: 'Covariate shift',
      datasets: DIGITS,
      fields: [{ key: 'blend', label: 'Blend (0 to 1)', min: 0, max: 1, step: 0.05 }],
      defaults: () => ({ blend: '0.5' }),
      build: (v) => ({ kind: 'thicker', params: { blend: n(v.blend) } }),
    },
    {
      kind: 'feature-scale',
      label: 'Scale a feature',
      group: 'Covariate shift',
      datasets: TABULAR,
      fields: [feature(d), { key: 'factor', label: 'Factor', step: 0.05 }],
      defaults: () => ({ feature: '0', factor: '1.5' }),
      build: (v) => ({
        kind: 'feature-scale',
        params: { feature: n(v.feature), factor: n(v.factor) },
      }),
    },
    {
      kind: 'feature-offset',
      label: 'Offset a feature',
      group: 'Covariate shift',
      datasets: TABULAR,
      fields: [feature(d), { key: 'offset', label: 'Offset (feature units)', step: 0.1 }],
      defaults: () => ({ feature: '0', offset: '5' }),
      build: (v) => ({
        kind: 'feature-offset',
        params: { feature: n(v.feature), offset: n(v.offset) },
      }),
    },
    {
      kind: 'prior-shift',
      label: 'Class mix changes',
      group: 'Prior shift',
      datasets: BOTH,
      fields: [
        {
          key: 'classWeights',
          label: 'Class weights',
          list: true,
          hint: 'One weight per class, comma separated.',
        },
      ],
      defaults: (ds) => ({
        classWeights: ds === 'digits' ? '5, 5, 0, 0, 0, 0, 0, 0, 0, 0' : '4, 1',
      }),
      build: (v) => ({ kind: 'prior-shift', params: { classWeights: list(v.classWeights) } }),
    },
    {
      kind: 'relabel',
      label: 'Relabelled class',
      group: 'Concept drift',
      datasets: BOTH,
      fields: [
        { key: 'from', label: 'Class', min: 0, step: 1 },
        { key: 'to', label: 'Now labelled', min: 0, step: 1 },
        { key: 'share', label: 'Share (0 to 1)', min: 0, max: 1, step: 0.05 },
      ],
      defaults: (ds) =>
        ds === 'digits' ? { from: '3', to: '8', share: '1' } : { from: '1', to: '0', share: '0.3' },
      build: (v) => ({
        kind: 'relabel',
        params: { from: n(v.from), to: n(v.to), share: n(v.share) },
      }),
    },
    {
      kind: 'new-writer',
      label: "A new writer's style (rotated)",
      group: 'Concept drift',
      datasets: DIGITS,
      fields: [
        { key: 'classes', label: 'Classes', list: true, hint: 'Comma separated, e.g. 1, 7.' },
        { key: 'degrees', label: 'Rotation (degrees)', min: -180, max: 180 },
      ],
      defaults: () => ({ classes: '1, 7', degrees: '25' }),
      build: (v) => ({
        kind: 'new-writer',
        params: {
          classes: list(v.classes),
          transform: { kind: 'rotation', params: { degrees: n(v.degrees) } },
        },
      }),
    },
    {
      kind: 'stuck-at-zero',
      label: 'A feature stuck at 0',
      group: 'Upstream bug',
      datasets: BOTH,
      fields: [feature(d)],
      defaults: (ds) => ({ feature: ds === 'digits' ? '36' : '0' }),
      build: (v) => ({ kind: 'stuck-at-zero', params: { feature: n(v.feature) } }),
    },
    {
      kind: 'swap-columns',
      label: 'Two columns swapped',
      group: 'Upstream bug',
      datasets: BOTH,
      fields: [
        { ...feature(d), key: 'a', label: 'Column A' },
        { ...feature(d), key: 'b', label: 'Column B' },
      ],
      defaults: (ds) => (ds === 'digits' ? { a: '27', b: '36' } : { a: '0', b: '1' }),
      build: (v) => ({ kind: 'swap-columns', params: { a: n(v.a), b: n(v.b) } }),
    },
    {
      kind: 'unit-change',
      label: 'A unit change (feature x factor)',
      group: 'Upstream bug',
      datasets: BOTH,
      fields: [feature(d), { key: 'factor', label: 'Factor', step: 0.1 }],
      defaults: (ds) => ({
        feature: ds === 'digits' ? '36' : '0',
        factor: ds === 'digits' ? '0.1' : '1000',
      }),
      build: (v) => ({
        kind: 'unit-change',
        params: { feature: n(v.feature), factor: n(v.factor) },
      }),
    },
    {
      kind: 'delayed-labels',
      label: 'Delayed labels',
      group: 'Labels',
      datasets: BOTH,
      fields: [
        { key: 'delayMinutes', label: 'Delay (simulated minutes)', min: 0, step: 1 },
        {
          key: 'fraction',
          label: 'Share of requests labelled (0 to 1)',
          min: 0,
          max: 1,
          step: 0.05,
        },
      ],
      defaults: () => ({ delayMinutes: '60', fraction: '1' }),
      build: (v) => ({
        kind: 'delayed-labels',
        params: { delaySeconds: n(v.delayMinutes) * 60, fraction: n(v.fraction) },
      }),
    },
  ];
  return all.filter((f) => f.datasets.includes(d));
}

/**
 * A scenario from the form's text values and its timing (simulated hours and minutes).
 * @returns the scenario, or what is wrong with a field (by its label).
 */
export function buildScenario(
  form: ScenarioForm,
  values: Record<string, string>,
  timing: { startHours: string; rampMinutes: string; endHours: string },
): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  const parsed: Record<string, number | number[]> = {};
  for (const f of form.fields) {
    const text = (values[f.key] ?? '').trim();
    const nums = text.split(',').map((s) => Number(s.trim()));
    if (text === '' || nums.some((x) => !Number.isFinite(x)))
      return {
        ok: false,
        error: `${f.label}: enter ${f.list ? 'numbers separated by commas' : 'a number'}.`,
      };
    parsed[f.key] = f.list ? nums : nums[0];
  }
  const start = Number(timing.startHours);
  const ramp = Number(timing.rampMinutes || '0');
  const end = timing.endHours.trim() === '' ? undefined : Number(timing.endHours);
  if (!(start >= 0)) return { ok: false, error: 'Start: enter the simulated hour, 0 or more.' };
  if (!(ramp >= 0)) return { ok: false, error: 'Ramp: enter minutes, 0 for at once.' };
  if (end !== undefined && !(end > start))
    return { ok: false, error: 'End: must be after the start, or empty.' };
  return {
    ok: true,
    scenario: {
      ...form.build(parsed),
      startMs: Math.round(start * 3_600_000),
      rampMs: Math.round(ramp * 60_000),
      ...(end === undefined ? {} : { endMs: Math.round(end * 3_600_000) }),
    } as Scenario,
  };
}
