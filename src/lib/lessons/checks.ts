/**
 * Grading: `check` exercises are pure functions of a LabSnapshot (a plain object the state layer
 * builds from the app's real state), quizzes are graded by `gradeQuiz`. No DOM, no storage.
 */
import {
  CHECKS,
  isCheckName,
  validateAgainstSchema,
  type CheckName,
  type CheckParams,
} from './catalog';
import { DRIFT_CHECKS } from './checks-drift';
import { GOVERNANCE_CHECKS } from './checks-governance';
import { OPTIMIZE_CHECKS } from './checks-optimize';
import { PATTERN_CHECKS } from './checks-patterns';
import { REGISTRY_CHECKS } from './checks-registry';
import { RELIABILITY_CHECKS, SHIP_SAFELY_CHECKS } from './checks-reliability';
import { ROLLOUT_CHECKS } from './checks-rollout';
import { TRAIN_CHECKS } from './checks-train';
import type { QuizExercise } from './types';

/**
 * What checks can see of the app. A plain, serialisable object; the state layer builds it.
 * Later features add fields (train runs, registry versions, ...): add them here as optional or
 * with a neutral default, and give `emptySnapshot` a value.
 */
export interface LabSnapshot {
  /** How many times the learner exported a progress file (0 if never). */
  progressExports: number;
  /** Answer of navigator.storage.persist(); null while the app has not asked yet. */
  storagePersistAnswer: 'granted' | 'denied' | 'unsupported' | null;
  /** Ids of completed lessons. */
  completedLessons: string[];
  /** Every training run the learner made, newest first (see checks-train.ts). */
  runs: RunSummary[];
  /** The model registry: each model's aliases and versions (see checks-registry.ts). */
  models: {
    name: string;
    aliases: Record<string, number>;
    versions: {
      version: number;
      variant: string;
      sizeBytes: number;
      testAccuracy?: number;
      /** The version this one was derived from (quantized), from `lineage.parentVersionId`. */
      parentVersion?: number;
      /** Lineage (see checks-governance.ts): the run it was exported from, and its data fingerprint. */
      runId?: string;
      fingerprint?: string;
      /** The version's note (its model card text); '' when none. */
      note?: string;
    }[];
    /** Every alias move of this model, newest first (the audit trail). */
    aliasMoves?: { alias: string; toVersion: number | null; reason: string; actor: string }[];
  }[];
  /** The last serving session the app recorded, or null. */
  lastServed: { versionId: string; runtime: string; served: number; rejected: number } | null;
  /** The latest saved benchmark runs (at most 5), newest first (see checks-optimize.ts). */
  benchmarks: {
    cells: {
      versionId: string;
      runtime: string;
      batch: number;
      /** ms */
      p99: number;
      throughputPerSec: number;
    }[];
  }[];
  /**
   * Each lesson simulation widget's latest saved outcome, by widget name (see
   * state/widget-outcomes.ts); a widget documents its values and their units.
   */
  widgetOutcomes: Record<string, Record<string, number | string | boolean>>;
  /**
   * The Roll out screen's last saved decision log (settings key `rollout:last`), or null/absent
   * when none: the mode, the model, and its events in order (kinds: start, step, promote,
   * rollback = automatic on a guard, manual-rollback, fault, end, error; see checks-rollout.ts).
   */
  lastRollout?: {
    mode: 'canary' | 'shadow' | 'ab';
    modelName: string;
    events: { kind: string; text: string }[];
  } | null;
  /**
   * The saved Operate simulations (at most 10), newest first (see checks-drift.ts). Times are
   * simulated ms since the run's start; `windows` counts closed monitoring windows.
   */
  simSessions?: {
    spec: {
      dataset: string;
      seed: number;
      /** Requests per simulated second, window length (simulated minutes), drift share in force. */
      requestsPerSecond?: number;
      windowMinutes?: number;
      driftShare?: number;
      scenarios: { kind: string; startMs: number }[];
    };
    windows: number;
    /** The alert timeline, in time order: rule (core/sim-alerts.ts), 'firing' or 'resolved'. */
    alerts: { rule: string; state: string; timeMs: number }[];
    ledger: { lost: number; doubled: number };
  }[];
}

/** What checks see of one training run. Accuracies, precision and recall are fractions in [0, 1]. */
export interface RunSummary {
  id: string;
  datasetId: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  testAccuracy?: number;
  /** The decision threshold the learner saved for a binary run, on P(positive class). */
  threshold?: number;
  /** Breast cancer: recall and precision of the malignant class at the saved threshold. */
  malignantRecall?: number;
  malignantPrecision?: number;
  /** Hash of the data set and split the run trained on (lineage). */
  fingerprint?: string;
  /** Training seed and split seed, as recorded. */
  seed?: number;
  splitSeed?: number;
}

/** A snapshot of a fresh install: nothing done yet. */
export function emptySnapshot(): LabSnapshot {
  return {
    progressExports: 0,
    storagePersistAnswer: null,
    completedLessons: [],
    runs: [],
    models: [],
    lastServed: null,
    benchmarks: [],
    widgetOutcomes: {},
    simSessions: [],
  };
}

export interface CheckResult {
  passed: boolean;
  /** On failure, says what to do next; on success, says what was found. */
  message: string;
}

export type CheckFn<N extends CheckName> = (
  state: LabSnapshot,
  params: CheckParams<N>,
) => CheckResult;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Every check in CHECKS must have an implementation here (enforced by the type). */
const CHECK_IMPLEMENTATIONS: { [N in CheckName]: CheckFn<N> } = {
  ...TRAIN_CHECKS,
  ...REGISTRY_CHECKS,
  ...OPTIMIZE_CHECKS,
  ...GOVERNANCE_CHECKS,
  ...PATTERN_CHECKS,
  ...DRIFT_CHECKS,
  ...RELIABILITY_CHECKS,
  ...SHIP_SAFELY_CHECKS,
  ...ROLLOUT_CHECKS,
  'progress-exported': (state) =>
    state.progressExports > 0
      ? {
          passed: true,
          message: `You have exported your progress ${plural(state.progressExports, 'time')}. Keep the file somewhere outside this browser.`,
        }
      : {
          passed: false,
          message:
            'No progress file exported yet. Press "Export progress" (in the widget above, or on ' +
            'the Lessons page) and save the file; then run this check again.',
        },

  'storage-persist-asked': (state) => {
    switch (state.storagePersistAnswer) {
      case 'granted':
        return {
          passed: true,
          message:
            "Persistent storage granted: the browser will not evict this app's data under storage pressure.",
        };
      case 'denied':
        return {
          passed: true,
          message:
            'The browser answered "not persistent": data may be evicted under storage pressure. ' +
            'Export your progress regularly (installing the app or bookmarking it can change the answer).',
        };
      case 'unsupported':
        return {
          passed: true,
          message:
            'This browser has no navigator.storage.persist(); export your progress regularly.',
        };
      case null:
        return {
          passed: false,
          message:
            'The app has not asked for persistent storage yet. Press "Ask for persistent storage" ' +
            'in the storage widget, answer the browser if it asks, then run this check again.',
        };
    }
  },

  'lessons-completed': (state, params) => {
    const done = new Set(state.completedLessons).size;
    if (done >= params.count) {
      return {
        passed: true,
        message: `You have completed ${plural(done, 'lesson')} (needed ${params.count}).`,
      };
    }
    const left = params.count - done;
    return {
      passed: false,
      message:
        `You have completed ${plural(done, 'lesson')} of the ${params.count} needed: finish ` +
        `${plural(left, 'more lesson')} (mark a lesson complete by finishing its exercises).`,
    };
  },
};

/**
 * Runs a registered check. Never throws: an unknown check or invalid params (possible with an
 * imported lesson pack) give a failed result whose message says what is wrong.
 */
export function runCheck(name: string, params: unknown, snapshot: LabSnapshot): CheckResult {
  if (!isCheckName(name)) {
    return {
      passed: false,
      message: `Unknown check "${name}" (known: ${Object.keys(CHECKS).join(', ')}). The lesson needs fixing.`,
    };
  }
  const issues = validateAgainstSchema(CHECKS[name].params, params ?? {}, 'param');
  if (issues.length > 0) {
    const list = issues.map((i) => i.message).join('; ');
    return { passed: false, message: `check "${name}": ${list}. The lesson needs fixing.` };
  }
  const impl = CHECK_IMPLEMENTATIONS[name] as CheckFn<CheckName>;
  return impl(snapshot, (params ?? {}) as CheckParams<CheckName>);
}

export interface QuizOptionFeedback {
  index: number;
  chosen: boolean;
  correct: boolean;
  explanation: string;
}

export interface QuizResult extends CheckResult {
  /** One entry per option, in order. Show explanations of chosen options at least. */
  options: QuizOptionFeedback[];
}

/**
 * Grades a quiz: passed when the chosen set equals the set of correct options (order and
 * duplicates ignored). Throws RangeError on an index outside the options (a UI bug).
 */
export function gradeQuiz(exercise: QuizExercise, chosenIndices: readonly number[]): QuizResult {
  const n = exercise.options.length;
  for (const i of chosenIndices) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`quiz "${exercise.id}": option index ${i} outside 0..${n - 1}`);
    }
  }
  const chosen = new Set(chosenIndices);
  const options = exercise.options.map((o, index) => ({
    index,
    chosen: chosen.has(index),
    correct: o.correct,
    explanation: o.explanation,
  }));
  const wrongPicks = options.filter((o) => o.chosen && !o.correct).length;
  const missed = options.filter((o) => !o.chosen && o.correct).length;
  if (chosen.size === 0) {
    const what = exercise.multiple ? 'every answer that applies' : 'an answer';
    return { passed: false, message: `Choose ${what} first.`, options };
  }
  if (wrongPicks === 0 && missed === 0) {
    return { passed: true, message: 'Correct.', options };
  }
  const parts: string[] = [];
  if (wrongPicks > 0)
    parts.push(`${plural(wrongPicks, 'chosen answer is', 'chosen answers are')} wrong`);
  if (missed > 0) parts.push(`${plural(missed, 'correct answer')} not chosen`);
  return {
    passed: false,
    message: `Not yet: ${parts.join(', ')}. Read the explanation${chosen.size > 1 ? 's' : ''} and try again.`,
    options,
  };
}
