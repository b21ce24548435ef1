/**
 * What drives an Operate simulation, as a learner sets it or an instructor hands it out (a lesson
 * pack, a drill): the data set, the seed, the traffic's rate and length, the monitoring window,
 * the drift scenarios and alert thresholds, and which controls a classroom hides. Parsed from
 * untrusted JSON with messages that name the field; nothing here touches storage or workers.
 */
import { checkThresholds } from '../core/sim-monitor-check';
import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from '../core/sim-monitor-types';
import { checkScenario } from '../core/sim-scenario-check';
import type { Scenario } from '../core/sim-scenario-types';

export type OperateDataset = 'digits' | 'breast-cancer';
export type HideableControl = 'scenarios' | 'thresholds' | 'speed';

export type OperateSpec = {
  dataset: OperateDataset;
  /** Seeds the traffic and every per-request draw: a safe integer. */
  seed: number;
  /** Mean simulated rate, requests per simulated second. */
  requestsPerSecond: number;
  /** Simulated length of the run, seconds. */
  durationSeconds: number;
  /** Monitoring window, simulated minutes. */
  windowMinutes: number;
  /** Drift scenarios (core Scenario), validated against the data set. */
  scenarios: Scenario[];
  thresholds?: Partial<AlertThresholds>;
  /** Controls an instructor hides in a classroom. */
  hiddenControls?: HideableControl[];
};

/** Limits of the spec's numbers (the form's ranges say the same). */
export const SPEC_LIMITS = Object.freeze({
  requestsPerSecond: { min: 0.1, max: 500 },
  durationSeconds: { min: 600, max: 30 * 86_400 },
  windowMinutes: { min: 1, max: 1440 },
  scenarios: 8,
});

/** A day of traffic at 5 requests/s (about 432,000 requests), 30-minute windows, no drift. */
export const DEFAULT_OPERATE_SPEC: Readonly<OperateSpec> = Object.freeze({
  dataset: 'digits',
  seed: 1,
  requestsPerSecond: 5,
  durationSeconds: 86_400,
  windowMinutes: 30,
  scenarios: [],
});

/** Features and classes of each data set, as scenarios see them. */
export const DATASET_SHAPE: Readonly<
  Record<OperateDataset, { features: number; nClasses: number }>
> = Object.freeze({
  digits: { features: 64, nClasses: 10 },
  'breast-cancer': { features: 30, nClasses: 2 },
});

const HIDEABLE: readonly HideableControl[] = ['scenarios', 'thresholds', 'speed'];
const KEYS = new Set([
  'dataset',
  'seed',
  'requestsPerSecond',
  'durationSeconds',
  'windowMinutes',
  'scenarios',
  'thresholds',
  'hiddenControls',
]);

/** "scenario 1 (stuck-at-zero): feature must be ..." -> "scenarios[1].params.feature must be ...". */
function scenarioMessage(raw: string, s: Scenario, index: number): string {
  const m = /^scenario \d+ \([^)]*\): (\w+)(.*)$/s.exec(raw);
  if (!m) return `scenarios[${index}]: ${raw}`;
  const [, word, rest] = m;
  const params = typeof s?.params === 'object' && s.params !== null ? s.params : {};
  if (word in params) return `scenarios[${index}].params.${word}${rest}`;
  if (['startMs', 'rampMs', 'endMs'].includes(word)) return `scenarios[${index}].${word}${rest}`;
  return `scenarios[${index}] (${String(s?.kind)}): ${word}${rest}`;
}

/**
 * Checks a spec from untrusted JSON (a file, a lesson pack, a saved session).
 * @returns the spec (a copy) or the first problem, naming the field.
 */
export function parseOperateSpec(
  json: unknown,
): { ok: true; spec: OperateSpec } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('the spec must be an object');
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) return fail(`unknown field "${k}"`);
  if (o.dataset !== 'digits' && o.dataset !== 'breast-cancer')
    return fail(`dataset must be "digits" or "breast-cancer", got ${JSON.stringify(o.dataset)}`);
  if (!Number.isSafeInteger(o.seed))
    return fail(`seed must be a safe integer, got ${String(o.seed)}`);
  for (const k of ['requestsPerSecond', 'durationSeconds', 'windowMinutes'] as const) {
    const { min, max } = SPEC_LIMITS[k];
    const v = o[k];
    if (typeof v !== 'number' || !(v >= min && v <= max))
      return fail(`${k} must be a number in [${min}, ${max}], got ${String(v)}`);
  }
  if ((o.windowMinutes as number) * 60 > (o.durationSeconds as number))
    return fail('windowMinutes must not be longer than durationSeconds');
  if (!Array.isArray(o.scenarios)) return fail('scenarios must be a list');
  if (o.scenarios.length > SPEC_LIMITS.scenarios)
    return fail(`scenarios must hold at most ${SPEC_LIMITS.scenarios} scenarios`);
  const shape = DATASET_SHAPE[o.dataset];
  const ctx = {
    dataset: o.dataset === 'digits' ? ('digits' as const) : ('tabular' as const),
    ...shape,
  };
  // Every class is in the stratified test split, so every class has pool rows.
  const counts = new Array<number>(shape.nClasses).fill(1);
  const scenarios = o.scenarios as Scenario[];
  for (let i = 0; i < scenarios.length; i++) {
    try {
      checkScenario(scenarios[i], i, ctx, counts);
    } catch (err) {
      return fail(
        scenarioMessage(err instanceof Error ? err.message : String(err), scenarios[i], i),
      );
    }
  }
  let thresholds: Partial<AlertThresholds> | undefined;
  if (o.thresholds !== undefined) {
    if (typeof o.thresholds !== 'object' || o.thresholds === null)
      return fail('thresholds must be an object');
    const t = o.thresholds as Record<string, unknown>;
    for (const k of Object.keys(t))
      if (!(k in DEFAULT_ALERT_THRESHOLDS)) return fail(`thresholds.${k} is not a threshold`);
    try {
      checkThresholds(t as Partial<AlertThresholds>);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return fail(msg.replace(/^monitor: threshold (\w+)/, 'thresholds.$1'));
    }
    thresholds = { ...(t as Partial<AlertThresholds>) };
  }
  let hidden: HideableControl[] | undefined;
  if (o.hiddenControls !== undefined) {
    if (!Array.isArray(o.hiddenControls)) return fail('hiddenControls must be a list');
    for (const [i, c] of o.hiddenControls.entries())
      if (!HIDEABLE.includes(c as HideableControl))
        return fail(`hiddenControls[${i}] must be one of ${HIDEABLE.join(', ')}`);
    hidden = [...new Set(o.hiddenControls as HideableControl[])];
  }
  return {
    ok: true,
    spec: {
      dataset: o.dataset,
      seed: o.seed as number,
      requestsPerSecond: o.requestsPerSecond as number,
      durationSeconds: o.durationSeconds as number,
      windowMinutes: o.windowMinutes as number,
      scenarios: structuredClone(scenarios),
      ...(thresholds ? { thresholds } : {}),
      ...(hidden ? { hiddenControls: hidden } : {}),
    },
  };
}
