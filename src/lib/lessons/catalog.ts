/**
 * The registry of what a lesson may embed: widgets (live UI, named, never CSS selectors) and
 * checks (pure functions over a LabSnapshot that grade `check` exercises).
 *
 * To add a widget: add an entry to `WIDGETS` (description + props schema), then map the name to a
 * Svelte component in the lesson UI. To add a check: add an entry to `CHECKS` here, then its
 * implementation in checks.ts (`CHECK_IMPLEMENTATIONS` is typed so a missing one fails `tsc`).
 * The parser validates every block against these schemas, so a lesson cannot name something
 * that does not exist or pass a prop the widget does not understand.
 */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]';

export interface FieldSpec {
  type: FieldType;
  description: string;
  /** Defaults to false. */
  required?: boolean;
  /** Allowed values for `string` / `string[]` fields. */
  enum?: readonly string[];
  /** Inclusive bounds for `number` / `integer` fields. */
  min?: number;
  max?: number;
}

export type Schema = Readonly<Record<string, FieldSpec>>;

export interface WidgetSpec {
  description: string;
  props: Schema;
}

export interface CheckSpec {
  description: string;
  params: Schema;
}

/** Stages of the ML lifecycle, in order, as the `lifecycle-map` widget shows them. */
export const LIFECYCLE_STAGES = [
  {
    id: 'data',
    label: 'Data',
    summary: 'Collect, label, version and split the data; fingerprint it for lineage.',
    labArea: 'Train (data sets, seeded splits, fingerprints)',
    tools: ['DVC', 'Delta Lake', 'Feast (feature store)'],
  },
  {
    id: 'training',
    label: 'Training',
    summary: 'Fit and evaluate models; record every run with its parameters, data and metrics.',
    labArea: 'Train (runs, curves, evaluation)',
    tools: ['MLflow Tracking', 'Weights & Biases', 'Kubeflow / Airflow pipelines'],
  },
  {
    id: 'packaging',
    label: 'Packaging',
    summary: 'Export the model to a portable format with metadata; register a version.',
    labArea: 'Registry (ONNX export, versions, aliases)',
    tools: ['ONNX', 'TorchScript / torch.export', 'MLflow Model Registry', 'SageMaker / Vertex AI'],
  },
  {
    id: 'serving',
    label: 'Serving',
    summary: 'Answer requests within a latency budget; batch, optimise, benchmark, roll out.',
    labArea: 'Serve & Benchmark',
    tools: ['NVIDIA Triton', 'KServe', 'BentoML', 'TorchServe', 'ONNX Runtime'],
  },
  {
    id: 'monitoring',
    label: 'Monitoring',
    summary: 'Watch latency, errors, input drift and (when labels arrive) accuracy; alert.',
    labArea: 'Operate (traffic, drift tests, alerts)',
    tools: ['Evidently', 'WhyLabs', 'Arize', 'Prometheus / Grafana'],
  },
  {
    id: 'retraining',
    label: 'Retraining',
    summary: 'Retrain on fresh data when a trigger fires; promote a challenger only if it wins.',
    labArea: 'Operate (retraining trigger, champion / challenger)',
    tools: ['Airflow', 'Kubeflow Pipelines', 'MLflow aliases'],
  },
] as const;

export type LifecycleStageId = (typeof LIFECYCLE_STAGES)[number]['id'];

const STAGE_IDS: readonly string[] = LIFECYCLE_STAGES.map((s) => s.id);

export const WIDGETS = {
  'lifecycle-map': {
    description:
      'Interactive diagram of the ML lifecycle (data, training, packaging, serving, monitoring, ' +
      'retraining): select a stage to see what happens there, the tools teams use, and where ' +
      'this lab covers it.',
    props: {
      highlight: { type: 'string', enum: STAGE_IDS, description: 'Stage selected at first.' },
      showTools: {
        type: 'boolean',
        description: 'List the industry tools of each stage (default true).',
      },
    },
  },
  'storage-status': {
    description:
      'Shows whether this browser granted persistent storage (navigator.storage.persist), how ' +
      'much the app uses and the quota (navigator.storage.estimate).',
    props: {
      showAsk: {
        type: 'boolean',
        description:
          'Offer an "Ask for persistent storage" button when not yet asked (default true).',
      },
    },
  },
  'progress-transfer': {
    description: 'Buttons to export progress to a file and import a progress file back.',
    props: {
      mode: {
        type: 'string',
        enum: ['both', 'export', 'import'],
        description: 'Which buttons to show (default "both").',
      },
    },
  },
  'offline-status': {
    description:
      'Shows offline readiness (service worker installed, everything precached) and whether the ' +
      'page is cross-origin isolated (needed for threads and fine timers).',
    props: {
      details: {
        type: 'boolean',
        description: 'Show the checklist behind the verdict (default true).',
      },
    },
  },
  'train-lab': {
    description:
      'The Train lab inside the lesson: the training form, live curves and the runs table ' +
      '(the same runs as the Train screen).',
    props: {
      dataset: {
        type: 'string',
        enum: ['digits', 'breast_cancer'],
        description: 'Data set selected in the form at first (default: the last used).',
      },
    },
  },
  'evaluate-latest': {
    description:
      'The Evaluate view of the newest completed run on a data set: report, confusion matrix ' +
      'with examples, ROC/PR and threshold for binary tasks, calibration.',
    props: {
      dataset: {
        type: 'string',
        required: true,
        enum: ['digits', 'breast_cancer'],
        description: 'Data set whose newest completed run is shown.',
      },
    },
  },
  'registry-lab': {
    description:
      'The Registry lab inside the lesson: register runs as ONNX versions, move aliases, ' +
      'compare versions, import and download .onnx files.',
    props: {},
  },
  'serve-lab': {
    description:
      'The Serve lab inside the lesson: start an endpoint on a runtime, send requests and ' +
      'bursts, watch batching and latency, check agreement between runtimes.',
    props: {},
  },
  'quantize-lab': {
    description:
      'The Quantize panel inside the lesson: quantize a registry version to fp16 or int8 ' +
      '(weight-only, dynamic, static), see size, accuracy, agreement, scale and zero-point, and ' +
      'register the result with lineage to its parent.',
    props: {},
  },
  'bench-lab': {
    description:
      'The Benchmark lab inside the lesson: versions x runtimes x batch sizes, measured in a ' +
      'worker with warm-up and percentiles; batching and Pareto charts, an SLO form, history.',
    props: {},
  },
  'serving-patterns-sim': {
    description:
      'A seeded simulation of one request stream (Zipf-like key popularity, values that change, ' +
      'a model deploy halfway) served online, from a batch-precomputed table, or through a ' +
      'TTL + LRU cache; shows p50/p99 latency, model calls per 1,000 requests, hit rate and ' +
      'stale-answer rate. Each run saves its outcome: pattern (online | batch | cache), p50Ms ' +
      'and p99Ms (ms), hitRate, staleRate and modelUtilization (fractions 0..1), callsPer1k, ' +
      'requests, batchEveryMin (min), ttlS (s), capacity (entries), versionedKey (boolean).',
    props: {
      p99Ms: {
        type: 'number',
        min: 0.1,
        max: 60_000,
        description: 'Budget to show beside each run: largest p99, ms (with maxStaleRate).',
      },
      maxStaleRate: {
        type: 'number',
        min: 0,
        max: 1,
        description: 'Budget to show beside each run: largest stale-answer rate, a fraction.',
      },
    },
  },
  'skew-sim': {
    description:
      'A seeded churn problem (four features, a logistic regression trained live) in four ' +
      'cases, each with one feature computed differently for training and serving: compare ' +
      'per-feature distributions (means, PSI, histograms), name the skewed feature, apply a fix ' +
      'and see offline and online accuracy on the same customers. Each applied fix saves: case, ' +
      'feature (named), skewedFeature (true), fix, applicable (boolean), offlineBefore, ' +
      'onlineBefore, offlineAfter, onlineAfter (accuracies, fractions 0..1).',
    props: {
      case: {
        type: 'string',
        enum: ['window', 'unit', 'missing', 'leak'],
        description: 'Case selected at first (default: the first).',
      },
    },
  },
  'ci-gates-sim': {
    description:
      'A CI/CD pipeline simulation: ten seeded candidate commits (schema change, leaked label ' +
      'column, slice regression, latency breach, unit bug, broken export, good retrains) pass ' +
      'through data-validation gates and model tests the learner configures, then the simulated ' +
      'traffic shows what shipped and what it cost. Each run saves its outcome: seed, ' +
      'badShipped, badTotal, goodShipped, goodTotal, canaryCaught (counts), shippedBad (kinds, ' +
      'comma-separated), blockedGood ("kind:gate", comma-separated), trafficAccuracy and ' +
      'idealAccuracy (fractions).',
    props: {
      seed: {
        type: 'integer',
        min: 1,
        max: 1_000_000,
        description: 'Seed of the candidates and the traffic (default 1).',
      },
    },
  },
  'lineage-explorer': {
    description:
      "The learner's real lineage as a tree: data set fingerprint, training runs, registered " +
      'versions, quantized children, aliases and their moves (who, when, why); "Reproduce" ' +
      'retrains a run with its recorded seeds and settings and compares fingerprint, test ' +
      'accuracy and weights. Saves: originalRunId, reproRunId (strings), fingerprintMatch, ' +
      'weightsIdentical (booleans), originalAccuracy, reproAccuracy (fractions), diffPoints ' +
      '(accuracy points).',
    props: {},
  },
  'fallback-lab': {
    description:
      'A live fallback chain: a primary and a secondary endpoint (registry versions served by ' +
      'ONNX Runtime Web in workers) and a nearest-centroid baseline fitted on the training ' +
      'split; test-split traffic in bursts of 200, a fault injector on the primary (crash, ' +
      'latency, corrupt outputs, clear), per link status, share, retries, timeouts, p50/p99 and ' +
      'accuracy, and the verdict of the request ledger. Saves after each burst: requests, lost, ' +
      'doubled, servedByFallback, retried, crashes (counts), faultsInjected (labels, ' +
      'comma-separated, e.g. "crash,latency 400 ms,clear"), primary and secondary (version ids), ' +
      'accuracy (fraction of all answers, vs labels).',
    props: {},
  },
  'ab-test-lab': {
    description:
      'A seeded A/B test simulation: the learner sets the true rates of A and B, the minimum ' +
      'detectable effect, alpha and power; users are routed by the sticky hash of their id; the ' +
      'two-proportion z-test, p-value and 95% interval update as users arrive, beside the planned ' +
      'users per arm (core sampleSizePerArm); a peeking experiment runs many A/A tests and counts ' +
      'false positives read once at the plan and at every look. "Record my decision" saves: ' +
      'plannedPerArm, usersA, usersB (users), stoppedEarly (boolean), pValue, diff, ciLow, ' +
      'ciHigh, alpha, mde, rateA, rateB (fractions), verdict and decision (ship-b | keep-a | ' +
      'no-difference), seed.',
    props: {},
  },
  'operate-lab': {
    description:
      'The Operate lab inside the lesson (the same screen and saved runs as Operate): simulated ' +
      'production traffic through a real endpoint serving a registry version, drift scenarios ' +
      'to inject, per-window drift tests, accuracy once labels arrive, the CBPE estimate, and ' +
      'alerts. Each run is saved as a simulation session, which the drift checks read.',
    props: {},
  },
} as const satisfies Record<string, WidgetSpec>;

export const CHECKS = {
  'progress-exported': {
    description: 'Passes once the learner has exported a progress file at least once.',
    params: {},
  },
  'storage-persist-asked': {
    description:
      'Passes once the app has asked for persistent storage and has an answer ' +
      '(granted, denied, or unsupported by this browser).',
    params: {},
  },
  'lessons-completed': {
    description: 'Passes once at least `count` distinct lessons are completed.',
    params: {
      count: {
        type: 'integer',
        required: true,
        min: 1,
        max: 1000,
        description: 'How many lessons must be completed.',
      },
    },
  },
  'run-accuracy': {
    description:
      'Passes once a completed training run on `dataset` reached at least `min` test accuracy.',
    params: {
      dataset: {
        type: 'string',
        required: true,
        enum: ['digits', 'breast_cancer'],
        description: 'Data set of the run.',
      },
      min: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Minimum test accuracy, as a fraction (0.96 = 96%).',
      },
    },
  },
  'threshold-recall': {
    description:
      'Passes once the learner saved a decision threshold on a breast cancer run at which the ' +
      'recall of the malignant class is at least `minRecall`.',
    params: {
      minRecall: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Minimum recall of malignant, as a fraction.',
      },
    },
  },
  'registry-versions': {
    description: 'Passes once one registered model has at least `min` versions.',
    params: {
      min: { type: 'integer', required: true, min: 1, max: 100, description: 'Versions needed.' },
    },
  },
  'champion-is-best': {
    description:
      "Passes once a model's `champion` alias points at its version with the best test accuracy.",
    params: {},
  },
  'endpoint-served': {
    description:
      'Passes once the last endpoint session served at least `minRequests` requests from the ' +
      'champion version of its model.',
    params: {
      minRequests: {
        type: 'integer',
        required: true,
        min: 1,
        max: 1_000_000,
        description: 'Requests the champion must have served.',
      },
    },
  },
  'quantized-small': {
    description:
      'Passes once a registered non-fp32 version derived from an fp32 version of the same model ' +
      'is at most `maxSizeRatio` of its size and loses at most `maxAccuracyLoss` test accuracy.',
    params: {
      maxSizeRatio: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Largest size of the quantized file relative to its fp32 parent (0.35 = 35%).',
      },
      maxAccuracyLoss: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Largest drop in test accuracy, as a fraction (0.01 = 1 point).',
      },
    },
  },
  'batch-under-slo': {
    description:
      'Passes once the latest saved benchmark measured at least 3 batch sizes for one version ' +
      'on one runtime and some cell has p99 <= `p99Ms`; names the batch size with the highest ' +
      'throughput under that SLO.',
    params: {
      p99Ms: {
        type: 'number',
        required: true,
        min: 0.001,
        max: 60_000,
        description: 'The p99 latency objective, ms.',
      },
    },
  },
  'serving-pattern-meets-budget': {
    description:
      'Passes once the latest run of the serving patterns simulator (serving-patterns-sim) has ' +
      'p99 <= `p99Ms` and a stale-answer rate <= `maxStaleRate`.',
    params: {
      p99Ms: {
        type: 'number',
        required: true,
        min: 0.1,
        max: 60_000,
        description: 'Largest p99 latency, ms.',
      },
      maxStaleRate: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Largest fraction of stale answers (0.01 = 1%).',
      },
    },
  },
  'skew-fixed': {
    description:
      'Passes once the latest fix applied in the skew simulator (skew-sim) names the feature ' +
      'that is computed differently for training and serving, and leaves a gap between offline ' +
      'and online accuracy of at most `maxGap`.',
    params: {
      maxGap: {
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        description: 'Largest |offline - online| accuracy on the same customers, a fraction.',
      },
    },
  },
  'ci-gates-block-bad': {
    description:
      'Passes once the last saved run of the CI gates simulation shipped every good candidate ' +
      'and no bad one (a canary rollback counts as not shipped).',
    params: {},
  },
  'champion-lineage-complete': {
    description:
      "Passes once a model's champion traces back to a training run with the same data " +
      'fingerprint (through quantization parents if any), has a model card note, and an alias ' +
      'move to it records a reason.',
    params: {},
  },
  'run-reproduced': {
    description:
      'Passes once the lineage explorer saved a reproduction: a retrain of a completed run with ' +
      'the same seeds and data fingerprint whose test accuracy is within `maxDiffPoints`.',
    params: {
      maxDiffPoints: {
        type: 'number',
        required: true,
        min: 0,
        max: 100,
        description: 'Largest difference in test accuracy, in points (0.5 = half a point).',
      },
    },
  },
  'fallback-no-loss': {
    description:
      'Passes once the last fallback lab session (fallback-lab) sent at least `minRequests` ' +
      'requests, had a crash of the primary injected, had some requests served by a fallback ' +
      'link, and its ledger shows 0 lost and 0 answered twice.',
    params: {
      minRequests: {
        type: 'integer',
        required: true,
        min: 1,
        max: 1_000_000,
        description: 'Fewest requests in the session.',
      },
    },
  },
  'ab-sample-size': {
    description:
      'Passes once the last decision recorded in the A/B test lab (ab-test-lab) was taken with ' +
      'both arms at the planned users per arm (not stopped early) and matches what the z-test ' +
      'says at alpha (ship B, keep A, or no detectable difference).',
    params: {},
  },
  'canary-guard-rollback': {
    description:
      'Passes once the last roll-out saved by the Roll out screen (#/rollout, settings key ' +
      'rollout:last) was a canary in which latency (or another fault) was injected into the ' +
      'challenger and, after it, the policy rolled the canary back automatically on a broken ' +
      'guard (no promotion first; a manual rollback does not count).',
    params: {},
  },
  'drift-alert-fired': {
    description:
      'Passes once a saved Operate simulation with a covariate scenario (brightness, noise, ' +
      'shift, rotation, thicker, feature-scale or feature-offset) fired the data-drift alert at ' +
      'or after the scenario started, and a saved run with the same seed and settings, no ' +
      'scenario and at least as many windows (the control) fired no data-drift alert.',
    params: {},
  },
  'concept-drift-cbpe': {
    description:
      'Passes once a saved Operate simulation with a concept-drift scenario (relabel or ' +
      'new-writer) fired the accuracy alert at or after the scenario started while the CBPE ' +
      '(estimated accuracy) alert never fired.',
    params: {},
  },
} as const satisfies Record<string, CheckSpec>;

export type WidgetName = keyof typeof WIDGETS;
export type CheckName = keyof typeof CHECKS;

export function isWidgetName(name: string): name is WidgetName {
  return Object.hasOwn(WIDGETS, name);
}

export function isCheckName(name: string): name is CheckName {
  return Object.hasOwn(CHECKS, name);
}

/** The TypeScript type of a value described by a FieldSpec. */
type FieldValue<F extends FieldSpec> = F['type'] extends 'string'
  ? F extends { enum: readonly (infer E)[] }
    ? E
    : string
  : F['type'] extends 'number' | 'integer'
    ? number
    : F['type'] extends 'boolean'
      ? boolean
      : string[];

/** The object type a schema describes: required keys required, the others optional. */
export type ValuesOf<S extends Schema> = {
  -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: FieldValue<S[K]>;
} & {
  -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: FieldValue<S[K]>;
};

export type WidgetProps<N extends WidgetName> = ValuesOf<(typeof WIDGETS)[N]['props']>;
export type CheckParams<N extends CheckName> = ValuesOf<(typeof CHECKS)[N]['params']>;

/** One schema violation; `key` is set when it concerns one key (so the parser can point at it). */
export interface SchemaIssue {
  key?: string;
  message: string;
}

/**
 * Validates a plain object against a schema: unknown keys, missing required keys, types, enums,
 * bounds. `what` names one key in messages (`prop`, `param`). Returns [] when valid.
 */
export function validateAgainstSchema(schema: Schema, value: unknown, what: string): SchemaIssue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ message: `${what}s must be a mapping of key: value` }];
  }
  const issues: SchemaIssue[] = [];
  const record = value as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(schema, key)) {
      const list = known.length ? known.join(', ') : 'none';
      issues.push({ key, message: `unknown ${what} "${key}" (known: ${list})` });
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (!Object.hasOwn(record, key) || record[key] === undefined || record[key] === null) {
      if (spec.required) issues.push({ message: `missing required ${what} "${key}"` });
      continue;
    }
    const problem = checkField(spec, record[key]);
    if (problem) issues.push({ key, message: `${what} "${key}" ${problem}` });
  }
  return issues;
}

function checkField(spec: FieldSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'string':
      if (typeof v !== 'string') return 'must be a string';
      if (spec.enum && !spec.enum.includes(v)) return `must be one of ${spec.enum.join(', ')}`;
      return null;
    case 'string[]':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        return 'must be a list of strings';
      }
      if (spec.enum) {
        const bad = v.find((x) => !spec.enum!.includes(x as string));
        if (bad !== undefined) return `has "${bad}", not one of ${spec.enum.join(', ')}`;
      }
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (spec.type === 'integer' && !Number.isInteger(v)) return 'must be a whole number';
      if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}`;
      if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}`;
      return null;
  }
}
