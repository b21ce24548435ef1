/**
 * The CI/CD pipeline of the `ci-gates-sim` widget: data-validation gates and model tests over the
 * seeded candidates of teach-ci.ts, promotion of a passing candidate (challenger, optional canary,
 * champion), and the simulated production traffic that shows what a shipped bad model costs.
 */
import { psi } from './drift-distances';
import { createRng, hashString } from './rng';
import {
  buildCiWorld,
  binomial,
  CANARY_SHARE,
  DRIFT_PERIOD,
  TRAFFIC_PER_PERIOD,
  type CiModel,
} from './teach-ci';

export type GateId =
  | 'schema'
  | 'missing'
  | 'ranges'
  | 'drift'
  | 'leakage'
  | 'onnx'
  | 'min-accuracy'
  | 'regression'
  | 'slices'
  | 'latency'
  | 'size';

export interface GateSpec {
  id: GateId;
  stage: 'data' | 'model';
  label: string;
  /** What the limit means, with its unit; null for a pass/fail gate without a limit. */
  limit: null | { label: string; unit: string; min: number; max: number; step: number };
}

/** The gates in the order CI runs them: data validation first, then model tests. */
export const GATES: readonly GateSpec[] = [
  { id: 'schema', stage: 'data', label: 'Schema matches the serving schema', limit: null },
  {
    id: 'missing',
    stage: 'data',
    label: 'Missing values',
    limit: { label: 'Most missing in any column', unit: '%', min: 0, max: 100, step: 0.1 },
  },
  {
    id: 'ranges',
    stage: 'data',
    label: 'Values in declared ranges',
    limit: { label: 'Most values out of range', unit: '%', min: 0, max: 100, step: 0.1 },
  },
  {
    id: 'drift',
    stage: 'data',
    label: 'Drift vs the champion’s training data',
    limit: { label: 'Largest PSI of mean ink', unit: 'PSI', min: 0, max: 100, step: 0.05 },
  },
  {
    id: 'leakage',
    stage: 'data',
    label: 'Leakage probe (one-column model)',
    limit: { label: 'Most accuracy of any one column', unit: '%', min: 0, max: 100, step: 1 },
  },
  { id: 'onnx', stage: 'model', label: 'ONNX checker and load test', limit: null },
  {
    id: 'min-accuracy',
    stage: 'model',
    label: 'Minimum holdout accuracy',
    limit: { label: 'Least holdout accuracy', unit: '%', min: 0, max: 100, step: 0.5 },
  },
  {
    id: 'regression',
    stage: 'model',
    label: 'No regression vs champion',
    limit: { label: 'Largest drop allowed', unit: 'points', min: 0, max: 100, step: 0.1 },
  },
  {
    id: 'slices',
    stage: 'model',
    label: 'No slice (class) regression',
    limit: { label: 'Largest drop in any class', unit: 'points', min: 0, max: 100, step: 0.5 },
  },
  {
    id: 'latency',
    stage: 'model',
    label: 'Latency budget',
    limit: { label: 'Most p95 latency', unit: 'ms', min: 0.1, max: 1000, step: 0.5 },
  },
  {
    id: 'size',
    stage: 'model',
    label: 'Size budget',
    limit: { label: 'Largest model file', unit: 'KB', min: 1, max: 100_000, step: 10 },
  },
];

/** Which gates run, their limits (in each gate's unit above), and whether a canary is used. */
export interface GateConfig {
  enabled: Record<GateId, boolean>;
  limits: Record<GateId, number>;
  /** Send CANARY_SHARE of traffic to a passing candidate first; roll back on errors or slowness. */
  canary: boolean;
}

/** A team's first pipeline: a floor on accuracy and "not worse than the champion", nothing else. */
export function defaultGateConfig(): GateConfig {
  const enabled = Object.fromEntries(GATES.map((g) => [g.id, false])) as Record<GateId, boolean>;
  enabled['min-accuracy'] = true;
  enabled.regression = true;
  return {
    enabled,
    limits: {
      schema: 0,
      missing: 1,
      ranges: 0.1,
      drift: 0.2,
      leakage: 90,
      onnx: 0,
      'min-accuracy': 90,
      regression: 0,
      slices: 2,
      latency: 10,
      size: 500,
    },
    canary: false,
  };
}

/** Problems with a config's limits (empty when every enabled gate's limit is a number in range). */
export function configProblems(config: GateConfig): string[] {
  const out: string[] = [];
  for (const g of GATES) {
    if (!g.limit || !config.enabled[g.id]) continue;
    const v = config.limits[g.id];
    if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${g.label}: enter a number.`);
    else if (v < g.limit.min || v > g.limit.max)
      out.push(
        `${g.label}: the limit must be between ${g.limit.min} and ${g.limit.max} ${g.limit.unit}.`,
      );
  }
  return out;
}

export interface GateResult {
  gate: GateId;
  passed: boolean;
  /** The measured value and the limit, in words with units. */
  detail: string;
}

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

/** Runs every enabled gate on a candidate against the current champion. */
export function runGates(c: CiModel, champion: CiModel, config: GateConfig): GateResult[] {
  const L = config.limits;
  const out: GateResult[] = [];
  const add = (gate: GateId, passed: boolean, detail: string) => {
    if (config.enabled[gate]) out.push({ gate, passed, detail });
  };
  add(
    'schema',
    c.schemaIssues.length === 0,
    c.schemaIssues.join('; ') || 'columns and types match',
  );
  add(
    'missing',
    c.maxMissing * 100 <= L.missing,
    `${pct(c.maxMissing)} missing (limit ${L.missing}%)`,
  );
  add(
    'ranges',
    c.outOfRange * 100 <= L.ranges,
    `${pct(c.outOfRange, 2)} out of 0..16 (limit ${L.ranges}%)`,
  );
  if (config.enabled.drift) {
    const d = psi(champion.inkSample, c.inkSample, 'numerical');
    add('drift', d <= L.drift, `PSI ${d.toFixed(2)} (limit ${L.drift})`);
  }
  add(
    'leakage',
    c.singleFeatureAccuracy * 100 <= L.leakage,
    `best one column ${pct(c.singleFeatureAccuracy)} (limit ${L.leakage}%)`,
  );
  add('onnx', c.onnxValid, c.onnxError ?? 'valid model');
  add(
    'min-accuracy',
    c.holdoutAccuracy * 100 >= L['min-accuracy'],
    `${pct(c.holdoutAccuracy, 2)} (floor ${L['min-accuracy']}%)`,
  );
  const drop = (champion.holdoutAccuracy - c.holdoutAccuracy) * 100;
  add(
    'regression',
    drop <= L.regression,
    `${pct(c.holdoutAccuracy, 2)} vs champion ${pct(champion.holdoutAccuracy, 2)}, ${drop > 0 ? `${drop.toFixed(2)} points lower` : `${(-drop).toFixed(2)} points higher`} (allowed drop ${L.regression})`,
  );
  const drops = c.sliceAccuracy.map((a, k) => (champion.sliceAccuracy[k] - a) * 100);
  const worst = drops.indexOf(Math.max(...drops));
  add(
    'slices',
    drops[worst] <= L.slices,
    `digit ${worst} ${drops[worst] >= 0 ? 'down' : 'up'} ${Math.abs(drops[worst]).toFixed(1)} points (allowed ${L.slices})`,
  );
  add('latency', c.p95Ms <= L.latency, `p95 ${c.p95Ms.toFixed(1)} ms (budget ${L.latency} ms)`);
  add(
    'size',
    c.sizeBytes / 1000 <= L.size,
    `${(c.sizeBytes / 1000).toFixed(0)} KB (budget ${L.size} KB)`,
  );
  return out;
}

export type Decision = 'blocked' | 'rolled-back' | 'shipped';

export interface CiStep {
  candidate: CiModel;
  gates: GateResult[];
  decision: Decision;
  /** Id of the champion after this step. */
  championAfter: string;
  /** Sampled accuracy of the traffic served after this commit (fraction of TRAFFIC_PER_PERIOD). */
  trafficAccuracy: number;
  /** True production accuracy of the candidate minus the champion's it was judged against (points). */
  effectIfShipped: number;
}

export interface CiRun {
  steps: CiStep[];
  /** Accuracy over all simulated traffic (fraction). */
  trafficAccuracy: number;
  /** The same traffic had the pipeline shipped exactly the good candidates (fraction). */
  idealAccuracy: number;
  badShipped: CiModel[];
  goodBlocked: { model: CiModel; gate: GateId | 'canary' }[];
  /** Bad candidates a canary caught after serving CANARY_SHARE of one period. */
  canaryCatches: CiModel[];
}

/** Correct answers of `model` on the first `n` requests of period `period` (seeded per pair). */
function served(seed: number, period: number, model: CiModel, n: number): number {
  if (model.loadFails || n === 0) return 0;
  const rng = createRng(hashString(`${seed}:ci-traffic:${period}:${model.id}`));
  return binomial(rng, n, model.prodAccuracy[period >= DRIFT_PERIOD ? 1 : 0]);
}

/** True production accuracy of a model in a period (fraction; 0 when it cannot load). */
function truthAt(model: CiModel, period: number): number {
  return model.loadFails ? 0 : model.prodAccuracy[period >= DRIFT_PERIOD ? 1 : 0];
}

/**
 * Runs the pipeline over the candidates, one traffic period after each commit, and the same
 * traffic under an ideal gatekeeper (ships exactly the good candidates) for comparison.
 */
export function runCiPipeline(seed: number, config: GateConfig): CiRun {
  const { champion, candidates } = buildCiWorld(seed);
  const mine = walk(seed, champion, candidates, (c, champ) => {
    const gates = runGates(c, champ, config);
    const fail = gates.find((g) => !g.passed);
    if (fail) return { gates, decision: 'blocked', gate: fail.gate };
    if (config.canary && (c.loadFails || c.p95Ms > config.limits.latency || c.timeoutShare > 0.01))
      return { gates, decision: 'rolled-back', gate: 'canary' };
    return { gates, decision: 'shipped' };
  });
  const ideal = walk(seed, champion, candidates, (c) => ({
    gates: [],
    decision: c.good ? 'shipped' : 'blocked',
  }));
  return {
    steps: mine.steps,
    trafficAccuracy: mine.accuracy,
    idealAccuracy: ideal.accuracy,
    badShipped: mine.steps
      .filter((s) => s.decision === 'shipped' && !s.candidate.good)
      .map((s) => s.candidate),
    goodBlocked: mine.steps.flatMap((s, i) =>
      s.decision !== 'shipped' && s.candidate.good
        ? [{ model: s.candidate, gate: mine.blockers[i]! }]
        : [],
    ),
    canaryCatches: mine.steps.filter((s) => s.decision === 'rolled-back').map((s) => s.candidate),
  };
}

type Decide = (
  c: CiModel,
  champion: CiModel,
) => { gates: GateResult[]; decision: Decision; gate?: GateId | 'canary' };

function walk(seed: number, initial: CiModel, candidates: CiModel[], decide: Decide) {
  let champ = initial;
  let correct = 0;
  const steps: CiStep[] = [];
  const blockers: (GateId | 'canary' | undefined)[] = [];
  candidates.forEach((c, period) => {
    const d = decide(c, champ);
    const effectIfShipped = (truthAt(c, period) - truthAt(champ, period)) * 100;
    let right: number;
    if (d.decision === 'rolled-back') {
      const canary = Math.round(TRAFFIC_PER_PERIOD * CANARY_SHARE);
      right =
        served(seed, period, c, canary) + served(seed, period, champ, TRAFFIC_PER_PERIOD - canary);
    } else {
      if (d.decision === 'shipped') champ = c;
      right = served(seed, period, champ, TRAFFIC_PER_PERIOD);
    }
    correct += right;
    blockers.push(d.gate);
    steps.push({
      candidate: c,
      gates: d.gates,
      decision: d.decision,
      championAfter: champ.id,
      trafficAccuracy: right / TRAFFIC_PER_PERIOD,
      effectIfShipped,
    });
  });
  return { steps, blockers, accuracy: correct / (TRAFFIC_PER_PERIOD * candidates.length) };
}
