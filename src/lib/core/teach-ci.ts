/**
 * The world of the CI/CD lesson's simulation (`ci-gates-sim`): a digits classifier in production
 * and a sequence of seeded candidate commits (data and model changes), some good and some bad in
 * the ways real pipelines break. Every number comes from seeded draws here; teach-ci-gates.ts runs
 * the gates and the simulated traffic over them.
 *
 * Assumed constants (the simulation's modelling choices, not measurements) are named and
 * documented; the widget labels them as assumptions.
 */
import { createRng, hashString, type Rng } from './rng';

/** Classes of the simulated digits task; each is one slice of the slice gate. */
export const CI_CLASSES = 10;
/** Rows per class in the pinned (fixed) holdout; 5,000 rows in all. */
export const HOLDOUT_PER_CLASS = 500;
/** Requests of simulated production traffic served after each commit. */
export const TRAFFIC_PER_PERIOD = 2000;
/** Assumption: clients give up after this long (ms); a request past it gets no prediction. */
export const CLIENT_TIMEOUT_MS = 20;
/** Share of one period's traffic a canary gets before it is judged (fraction). */
export const CANARY_SHARE = 0.05;
/** Declared value range of every pixel feature in the pinned schema (sklearn digits: 0..16). */
export const PIXEL_MAX = 16;
/** Rows sampled from each candidate's training data for the data-validation gates. */
const DATA_ROWS = 400;
const PIXELS = 64;

export type CiKind =
  | 'weekly-retrain'
  | 'schema-rename'
  | 'label-leak'
  | 'wider-model'
  | 'slice-regression'
  | 'fresh-data'
  | 'big-model'
  | 'unit-bug'
  | 'broken-export'
  | 'fresh-weekly';

interface KindSpec {
  good: boolean;
  title: string;
  /** What the commit changed, as its author would describe it. */
  change: string;
  /** Hidden layer widths of the MLP (64 inputs, 10 outputs). */
  hidden: number[];
  /** 0: trained on data from before the input drift; 1: after. */
  epoch: 0 | 1;
}

/** The commits, in the order they reach CI. Index 5 is the first trained after the drift. */
export const CI_SEQUENCE: readonly (KindSpec & { kind: CiKind })[] = [
  {
    kind: 'weekly-retrain',
    good: true,
    epoch: 0,
    hidden: [64],
    title: 'Weekly retrain',
    change: 'Same code, one more week of labelled data.',
  },
  {
    kind: 'schema-rename',
    good: false,
    epoch: 0,
    hidden: [64],
    title: 'Upstream column rename',
    change: 'The offline export now names pixel_3_4 "px_3_4"; serving still sends pixel_3_4.',
  },
  {
    kind: 'label-leak',
    good: false,
    epoch: 0,
    hidden: [64],
    title: 'New feature: annotator_label',
    change: 'Adds a column from the labelling tool, filled in after the label is known.',
  },
  {
    kind: 'wider-model',
    good: true,
    epoch: 0,
    hidden: [128],
    title: 'Wider hidden layer',
    change: '128 hidden units instead of 64.',
  },
  {
    kind: 'slice-regression',
    good: false,
    epoch: 0,
    hidden: [128],
    title: 'New augmentation',
    change: 'Random rotations up to 40° during training.',
  },
  {
    kind: 'fresh-data',
    good: true,
    epoch: 1,
    hidden: [128],
    title: 'Retrain on fresh data',
    change: 'Trained on the last 30 days, after a new scanner changed the inputs.',
  },
  {
    kind: 'big-model',
    good: false,
    epoch: 1,
    hidden: [512, 512],
    title: 'Much bigger model',
    change: 'Two hidden layers of 512 units.',
  },
  {
    kind: 'unit-bug',
    good: false,
    epoch: 1,
    hidden: [128],
    title: 'New export pipeline',
    change: 'Offline features read raw 8-bit scans (0..255); serving still sends 0..16.',
  },
  {
    kind: 'broken-export',
    good: false,
    epoch: 1,
    hidden: [128],
    title: 'Exporter upgrade',
    change:
      'A new exporter version writes a graph in which one node reads a tensor that no node produces.',
  },
  {
    kind: 'fresh-weekly',
    good: true,
    epoch: 1,
    hidden: [128],
    title: 'Weekly retrain',
    change: 'Same code, one more week of fresh data.',
  },
];

/** The first traffic period after the input drift (the period of the first post-drift commit). */
export const DRIFT_PERIOD = CI_SEQUENCE.findIndex((s) => s.epoch === 1);

/** One model (the initial champion or a candidate) with what CI can see and the hidden truth. */
export interface CiModel {
  /** -1 for the initial champion, else the index in CI_SEQUENCE. */
  index: number;
  /** 'champion-0' or 'c1'..'c10'. */
  id: string;
  kind: CiKind | 'initial';
  good: boolean;
  title: string;
  change: string;
  epoch: 0 | 1;
  // What the data-validation gates see (on a sample of its training data).
  /** Problems of the training data's columns vs the pinned serving schema ([] when it matches). */
  schemaIssues: string[];
  /** Largest share of missing values in any expected column (fraction). */
  maxMissing: number;
  /** Share of pixel values outside the declared 0..16 (fraction). */
  outOfRange: number;
  /** A summary feature (mean ink per row) of the training sample, for the drift gate (PSI). */
  inkSample: number[];
  /** Accuracy of the best one-column model (a leakage probe), on the holdout (fraction). */
  singleFeatureAccuracy: number;
  // What the model tests see.
  /** Measured accuracy per class on the pinned holdout (fractions). */
  sliceAccuracy: number[];
  /** Measured accuracy on the whole pinned holdout (fraction). */
  holdoutAccuracy: number;
  /** Measured p95 latency of one prediction on the serving hardware (ms, 1,000 calls). */
  p95Ms: number;
  /** Share of requests over CLIENT_TIMEOUT_MS in that measurement (fraction). */
  timeoutShare: number;
  /** Size of the fp32 ONNX file (bytes). */
  sizeBytes: number;
  /** The ONNX checker's verdict, and its message when it fails. */
  onnxValid: boolean;
  onnxError?: string;
  // The hidden truth: accuracy on production traffic (fraction) before and after the drift.
  prodAccuracy: [number, number];
  /** The serving runtime fails to load it: every request errors. */
  loadFails: boolean;
}

const u = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/** Correct answers out of n with probability p each (a binomial draw, one Bernoulli per row). */
export function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}

/** fp32 parameter count of a 64-input, 10-output MLP with these hidden widths. */
function parameters(hidden: number[]): number {
  const widths = [PIXELS, ...hidden, CI_CLASSES];
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += widths[i - 1] * widths[i] + widths[i];
  return n;
}

/** Assumption: 1 ms of fixed cost per call plus 1 ms per 30,000 multiply-adds on the pod's CPU. */
function medianLatencyMs(hidden: number[]): number {
  const widths = [PIXELS, ...hidden, CI_CLASSES];
  let macs = 0;
  for (let i = 1; i < widths.length; i++) macs += widths[i - 1] * widths[i];
  return 1 + macs / 30_000;
}

/** p95 and the share over the timeout of 1,000 lognormal latencies (sigma 0.4) around a median. */
function latency(rng: Rng, median: number): { p95: number; over: number } {
  const xs = Array.from({ length: 1000 }, () => median * Math.exp(0.4 * rng.normal()));
  xs.sort((a, b) => a - b);
  return { p95: xs[949], over: xs.filter((x) => x > CLIENT_TIMEOUT_MS).length / xs.length };
}

interface Truth {
  /** True accuracy per class on the pre-drift distribution (fractions). */
  perClass: number[];
  /** Points of accuracy added in production only (negative: a serving-time failure). */
  prodDelta: number;
  /** Overrides the production accuracy (fraction), e.g. a model that leaned on a leaked column. */
  prodOverride?: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const shift = (xs: number[], points: number) => xs.map((x) => Math.min(0.999, x + points / 100));

/** Builds the initial champion and the candidates of CI_SEQUENCE for one seed. */
export function buildCiWorld(seed: number): { champion: CiModel; candidates: CiModel[] } {
  const world = createRng(hashString(`${seed}:ci-world`));
  const base = Array.from({ length: CI_CLASSES }, () => u(world, 0.94, 0.97));
  const driftPenalty = u(world, 2, 4); // points lost by pre-drift models on post-drift traffic
  const q = {
    weekly: u(world, 0.2, 0.6),
    wider: u(world, 0.9, 1.3),
    freshOld: u(world, -0.4, 0),
    freshNew: u(world, 0.3, 0.6),
    freshWeekly: u(world, 0.2, 0.4),
  };
  const weakClass = world.int(CI_CLASSES);
  const truths: Record<CiKind | 'initial', Truth> = {
    initial: { perClass: base, prodDelta: 0 },
    'weekly-retrain': { perClass: shift(base, q.weekly), prodDelta: 0 },
    'schema-rename': { perClass: shift(base, q.weekly), prodDelta: -u(world, 5, 9) },
    'label-leak': {
      perClass: base.map(() => u(world, 0.99, 0.998)),
      prodDelta: 0,
      prodOverride: mean(base) - u(world, 8, 15) / 100,
    },
    'wider-model': { perClass: shift(base, q.wider), prodDelta: 0 },
    'slice-regression': {
      perClass: shift(base, q.wider + 0.3).map((p, c) =>
        c === weakClass ? p - u(world, 12, 20) / 100 : p,
      ),
      prodDelta: 0,
    },
    'fresh-data': { perClass: shift(base, q.wider + q.freshOld), prodDelta: 0 },
    'big-model': { perClass: shift(base, q.wider + q.freshOld + 0.4), prodDelta: 0 },
    'unit-bug': { perClass: shift(base, q.wider + q.freshOld), prodDelta: -u(world, 35, 55) },
    'broken-export': { perClass: shift(base, q.wider + q.freshOld), prodDelta: 0 },
    'fresh-weekly': { perClass: shift(base, q.wider + q.freshOld + q.freshWeekly), prodDelta: 0 },
  };
  const make = (index: number, spec: Spec) =>
    buildModel(seed, index, spec, truths[spec.kind], driftPenalty, q.freshNew);
  return {
    champion: make(-1, INITIAL),
    candidates: CI_SEQUENCE.map((spec, i) => make(i, spec)),
  };
}

type Spec = KindSpec & { kind: CiKind | 'initial' };
const INITIAL: Spec = {
  kind: 'initial',
  good: true,
  epoch: 0,
  hidden: [64],
  title: 'Current champion',
  change: 'The model in production when the sequence starts.',
};

function buildModel(
  seed: number,
  index: number,
  spec: Spec,
  truth: Truth,
  driftPenalty: number,
  freshGain: number,
): CiModel {
  const rng = createRng(hashString(`${seed}:ci-model:${index}`));
  const kind = spec.kind;
  // Training data sample: the drift gate sees mean ink per row, the range gate every pixel.
  const scale = kind === 'unit-bug' ? 255 / PIXEL_MAX : 1;
  const inkMean = spec.epoch === 1 ? 5.25 : 4.9; // assumption: the new scanner writes darker ink
  const inkSample: number[] = [];
  let outside = 0;
  for (let r = 0; r < DATA_ROWS; r++) {
    let ink = 0;
    for (let p = 0; p < PIXELS; p++) {
      const v =
        rng.next() < 0.5
          ? 0
          : Math.min(PIXEL_MAX, Math.max(0, Math.round(inkMean * 2 + 3 * rng.normal())));
      const x = Math.round(v * scale);
      if (x > PIXEL_MAX || x < 0) outside++;
      ink += x;
    }
    inkSample.push(ink / PIXELS);
  }
  let maxMissing = 0;
  for (let c = 0; c < PIXELS; c++)
    maxMissing = Math.max(maxMissing, binomial(rng, DATA_ROWS, 0.002) / DATA_ROWS);
  const schemaIssues =
    kind === 'schema-rename' ? ['missing column pixel_3_4', 'unexpected column px_3_4'] : [];
  if (kind === 'schema-rename') maxMissing = 1; // pixel_3_4 is absent from every row
  const n = HOLDOUT_PER_CLASS * CI_CLASSES;
  const bestColumn = Math.max(
    ...Array.from({ length: PIXELS }, () => binomial(rng, n, u(rng, 0.12, 0.26)) / n),
  );
  const singleFeatureAccuracy = kind === 'label-leak' ? binomial(rng, n, 0.99) / n : bestColumn;
  const sliceAccuracy = truth.perClass.map(
    (p) => binomial(rng, HOLDOUT_PER_CLASS, p) / HOLDOUT_PER_CLASS,
  );
  const lat = latency(rng, medianLatencyMs(spec.hidden));
  const trueMean = truth.prodOverride ?? mean(truth.perClass) + truth.prodDelta / 100;
  const after = spec.epoch === 1 ? trueMean + freshGain / 100 : trueMean - driftPenalty / 100;
  const clamp = (p: number) => Math.min(0.999, Math.max(0, p * (1 - lat.over)));
  return {
    index,
    id: index < 0 ? 'champion-0' : `c${index + 1}`,
    kind,
    good: spec.good,
    title: spec.title,
    change: spec.change,
    epoch: spec.epoch,
    schemaIssues,
    maxMissing,
    outOfRange: outside / (DATA_ROWS * PIXELS),
    inkSample,
    singleFeatureAccuracy,
    sliceAccuracy,
    holdoutAccuracy: mean(sliceAccuracy),
    p95Ms: lat.p95,
    timeoutShare: lat.over,
    sizeBytes: parameters(spec.hidden) * 4 + 2048, // fp32 weights plus about 2 KB of graph and metadata
    onnxValid: kind !== 'broken-export',
    ...(kind === 'broken-export' && {
      onnxError:
        'onnx.checker: input hidden_1 of node MatMul_2 is not the output of any previous node',
    }),
    prodAccuracy: [clamp(trueMean), clamp(after)],
    loadFails: kind === 'broken-export',
  };
}
