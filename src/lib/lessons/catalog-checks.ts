/** The checks a `check` exercise may name (see catalog.ts for how to add one). */
import type { CheckSpec } from './catalog-schema';

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
