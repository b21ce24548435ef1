/**
 * Types of incident drills graded on the learner's actions (`grading: actions` in the ```answer
 * block; format in lessons/README.md, "Drills"). Each required action is checked against what the
 * learner really saved in the app after the attempt started: benchmark runs, alias moves, a
 * widget's outcome. Plain data only, so the build plugin can ship them as JSON.
 */
import type { RuntimeId } from '../protocol/serve';
import type { ModelVariant } from '../storage/registry-records';

/** The checks an action can name, each graded from one part of the saved state. */
export const ACTION_CHECKS = ['benchmark-pair', 'alias-rollback', 'fallback-session'] as const;
export type ActionCheckName = (typeof ACTION_CHECKS)[number];

/**
 * A saved benchmark run (benchmarks store) created after the attempt started that measured a
 * version of each of the two variants, of one model, at `batch` on `runtime`, without a fallback.
 */
export interface BenchmarkPairAction {
  check: 'benchmark-pair';
  /** The rubric item (its title's slug) that this action earns. */
  rubric: string;
  /** Two distinct variants, e.g. ['fp32', 'int8-weight']; the first is the baseline. */
  variants: [ModelVariant, ModelVariant];
  /** Rows per call. */
  batch: number;
  runtime: RuntimeId;
}

/**
 * The learner (not a policy) moved `alias` after the attempt started from a `from`-variant
 * version to a `to`-variant version of the same model, with a non-empty reason, and the alias
 * still points at a `to`-variant version.
 */
export interface AliasRollbackAction {
  check: 'alias-rollback';
  rubric: string;
  alias: string;
  from: ModelVariant;
  to: ModelVariant;
}

/**
 * The fallback lab (`fallback-lab` widget outcome) saved after the attempt started: at least
 * `minRequests` requests, at least `minCrashes` crashes injected, some requests served by a
 * fallback link, none lost and none answered twice.
 */
export interface FallbackSessionAction {
  check: 'fallback-session';
  rubric: string;
  minRequests: number;
  minCrashes: number;
}

export type RequiredAction = BenchmarkPairAction | AliasRollbackAction | FallbackSessionAction;

/** One answer of the findings form's multiple-choice question. */
export interface ActionChoice {
  /** kebab-case, unique in the question; the attempt saves it. */
  id: string;
  label: string;
  correct: boolean;
  /** Markdown-free sentence shown with the grade: why this answer is right or wrong. */
  why: string;
}

/** The findings form's question with one right answer among fixed choices. */
export interface ChoiceFinding {
  rubric: string;
  question: string;
  choices: ActionChoice[];
}

/**
 * The findings form's free text. Graded (when `rubric` is set) by whether it mentions at least
 * one of `mentions` (case-insensitive), a crude test that the message says it is.
 */
export interface TextFinding {
  rubric: string | null;
  question: string;
  /** Lower-case phrases; empty when the text is kept but not graded. */
  mentions: string[];
}

/** What the page can set up for the learner before they act. */
export const ACTION_SETUPS = ['int8-canary'] as const;
export type ActionSetup = (typeof ACTION_SETUPS)[number];

/** The ```answer block of an actions-graded incident drill, validated. */
export interface ActionsAnswer {
  setup: ActionSetup | null;
  actions: RequiredAction[];
  choice: ChoiceFinding;
  text: TextFinding;
  /** Markdown shown with the grade. */
  why: string;
}
