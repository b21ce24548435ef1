/** The widgets a lesson may embed (see catalog.ts for how to add one). */
import type { WidgetSpec } from './catalog-schema';

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
