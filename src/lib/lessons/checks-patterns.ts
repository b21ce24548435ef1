/**
 * Checks graded on the lesson simulation widgets of serving patterns (`serving-patterns-sim`)
 * and training/serving skew (`skew-sim`): they read the outcome each widget saved (see
 * state/widget-outcomes.ts and the widgets' catalog descriptions for the values and units).
 */
import type { CheckFn, LabSnapshot } from './checks';

const pct = (f: number) => `${(f * 100).toFixed(2)}%`;
const ms = (v: number) => `${v.toFixed(1)} ms`;

type Outcome = LabSnapshot['widgetOutcomes'][string];

const num = (o: Outcome, key: string): number | undefined =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : undefined;

/** One sentence describing the simulated pattern, from its saved settings. */
function describePattern(o: Outcome): string {
  switch (o.pattern) {
    case 'online':
      return 'Online (every request calls the model)';
    case 'batch':
      return `Precomputed by a batch job every ${num(o, 'batchEveryMin') ?? '?'} min`;
    case 'cache':
      return (
        `Cache with TTL ${num(o, 'ttlS') ?? '?'} s and capacity ${num(o, 'capacity') ?? '?'}` +
        (o.versionedKey === true ? ', model version in the key' : ', key without model version')
      );
    default:
      return 'An unknown pattern';
  }
}

/** What to change when p99 is over budget, by pattern. */
function latencyAdvice(o: Outcome): string {
  const util = num(o, 'modelUtilization');
  const busy = util === undefined ? '' : ` (the model server was ${pct(util)} busy)`;
  if (o.pattern === 'online')
    return (
      `requests queue for the model${busy}. Take load off the model: put a cache in front of ` +
      'it so repeated keys are answered without a model call'
    );
  if (o.pattern === 'cache')
    return (
      `too many requests still reach the model and queue there${busy}. Raise the hit rate: ` +
      'a capacity large enough to hold the popular keys, and a TTL long enough that they stay ' +
      'cached between requests'
    );
  return 'run the simulation again and compare the patterns';
}

/** What to change when too many answers are stale, by pattern. */
function staleAdvice(o: Outcome): string {
  if (o.pattern === 'batch')
    return (
      'a table precomputed every few minutes serves answers up to one interval old, and the ' +
      'values here change every few minutes: batch scoring suits slowly changing values. Use a ' +
      'cache with a short TTL instead'
    );
  if (o.pattern === 'cache') {
    const version =
      o.versionedKey === true
        ? ''
        : '; and put the model version in the cache key, so that the deploy halfway through ' +
          'does not keep serving the old model\u2019s answers';
    return `shorten the TTL so cached answers are younger${version}`;
  }
  return 'compare the patterns again';
}

const FIX_NAMES: Record<string, string> = {
  'shared-definition': 'one shared feature definition for both paths',
  'point-in-time-join': 'a point-in-time join and a retrain',
  'train-on-logged': 'retraining on logged served features',
  'retrain-recent': 'retraining on newer data',
};

/** Why the chosen fix left the gap open, by fix. */
function gapAdvice(o: Outcome): string {
  switch (o.fix) {
    case 'retrain-recent':
      return (
        'retraining with the same pipelines learns the same thing and is served the same ' +
        'different feature, so the skew stays. Change how the feature is computed'
      );
    case 'point-in-time-join':
      return (
        'a point-in-time join changes training rows that used values from after the prediction ' +
        'time; here the training side was already right, and the serving side computes the ' +
        'feature differently. Make serving use the training definition'
      );
    case 'shared-definition':
      return 'make the two paths compute the feature the same way';
    default:
      return 'choose a fix that makes both paths compute the feature the same way';
  }
}

export const PATTERN_CHECKS: {
  'serving-pattern-meets-budget': CheckFn<'serving-pattern-meets-budget'>;
  'skew-fixed': CheckFn<'skew-fixed'>;
} = {
  'serving-pattern-meets-budget': (state, params) => {
    const o = state.widgetOutcomes['serving-patterns-sim'];
    const p99 = o && num(o, 'p99Ms');
    const stale = o && num(o, 'staleRate');
    if (!o || p99 === undefined || stale === undefined) {
      return {
        passed: false,
        message:
          'No serving simulation saved yet. In the serving patterns simulator, choose a ' +
          'pattern, press "Run simulation", then check again.',
      };
    }
    const what = describePattern(o);
    const measured = `${what}: p99 ${ms(p99)}, stale answers ${pct(stale)}`;
    const budget = `p99 <= ${ms(params.p99Ms)} and stale <= ${pct(params.maxStaleRate)}`;
    const problems: string[] = [];
    if (p99 > params.p99Ms) problems.push(`p99 is over ${ms(params.p99Ms)}: ${latencyAdvice(o)}`);
    if (stale > params.maxStaleRate)
      problems.push(`stale answers are over ${pct(params.maxStaleRate)}: ${staleAdvice(o)}`);
    if (problems.length === 0) {
      const calls = num(o, 'callsPer1k');
      const cost =
        calls === undefined ? '' : `, ${Math.round(calls)} model calls per 1,000 requests`;
      return { passed: true, message: `${measured}${cost}: within the budget (${budget}).` };
    }
    return { passed: false, message: `${measured}. Not yet: ${problems.join('; ')}.` };
  },

  'skew-fixed': (state, params) => {
    const o = state.widgetOutcomes['skew-sim'];
    const off = o && num(o, 'offlineAfter');
    const on = o && num(o, 'onlineAfter');
    if (!o || off === undefined || on === undefined || typeof o.feature !== 'string') {
      return {
        passed: false,
        message:
          'No skew fix saved yet. In the skew simulator, compare each feature in training and ' +
          'serving, choose the skewed feature and a fix, press "Apply fix", then check again.',
      };
    }
    if (o.feature !== o.skewedFeature) {
      return {
        passed: false,
        message:
          `You named ${o.feature}, but in this case it is computed the same way for training ` +
          'and serving. Compare the two distributions of each feature (the PSI column and the ' +
          'histograms) and name the one that differs.',
      };
    }
    const gap = Math.abs(off - on);
    const fix = FIX_NAMES[String(o.fix)] ?? String(o.fix);
    const accs = `offline ${pct(off)}, online ${pct(on)}`;
    if (o.applicable === false) {
      return {
        passed: false,
        message:
          `Right feature (${o.feature}), but ${fix} cannot be done here: the serving side ` +
          'cannot see values from after the prediction time. Fix the training side instead.',
      };
    }
    if (gap > params.maxGap) {
      return {
        passed: false,
        message:
          `Right feature (${o.feature}), but after ${fix} the gap is still ` +
          `${(gap * 100).toFixed(1)} points (${accs}; allowed ${(params.maxGap * 100).toFixed(1)}): ` +
          `${gapAdvice(o)}.`,
      };
    }
    const before = num(o, 'offlineBefore');
    const inflated =
      before !== undefined && before - off > params.maxGap
        ? ` The offline accuracy fell from ${pct(before)} to ${pct(off)}: the old number was ` +
          'inflated by the skew, and the new one is what production gets.'
        : '';
    return {
      passed: true,
      message:
        `${o.feature} fixed with ${fix}: ${accs}, a gap of ${(gap * 100).toFixed(1)} points ` +
        `(allowed ${(params.maxGap * 100).toFixed(1)}).${inflated}`,
    };
  },
};
