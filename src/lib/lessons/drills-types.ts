/**
 * Types of parsed interview drills (lessons/drills/NN-slug.md; format in lessons/README.md,
 * "Drills"). Plain data only, so the build plugin can ship them as JSON in `virtual:course`.
 */
import type { OperateSpec } from '../state/operate-spec';
import type { ActionsAnswer } from './drills-actions-types';
import type { LessonLevel } from './types';

export type DrillKind = 'design' | 'incident';

/** Frontmatter of a drill, validated. */
export interface DrillMeta {
  /** kebab-case, unique among drills, stable: attempts are keyed by it. */
  id: string;
  title: string;
  kind: DrillKind;
  /** The time limit of an attempt, minutes, 5..15. */
  minutes: number;
  level: LessonLevel;
  tags: string[];
}

/** One labelled box of the answer canvas. */
export interface CanvasSection {
  /** kebab-case from the label (`Trade-offs` -> `trade-offs`); answers are keyed by it. */
  id: string;
  label: string;
  /** One line of guidance (markdown, inline). */
  guidance: string;
}

/** One rubric item: what earns its points. */
export interface RubricItem {
  /** kebab-case from the title; rubric scores are keyed by it. */
  id: string;
  title: string;
  /** Whole points, 1..10. */
  points: number;
  /** Markdown: what earns the points. */
  earns: string;
}

/** The drift kinds a learner can name in an incident's findings. */
export const DRIFT_KINDS = [
  'covariate',
  'prior',
  'concept',
  'upstream-bug',
  'delayed-labels',
] as const;
export type DriftKindFinding = (typeof DRIFT_KINDS)[number];

/** Labels for the findings form and for grading messages. */
export const DRIFT_KIND_LABELS: Readonly<Record<DriftKindFinding, string>> = Object.freeze({
  covariate: 'Covariate shift (the inputs changed, the relation to the label did not)',
  prior: 'Prior shift (the class mix changed)',
  concept: 'Concept drift (the relation between inputs and label changed)',
  'upstream-bug': 'Upstream bug (a pipeline delivers wrong values)',
  'delayed-labels': 'Delayed labels (ground truth arrives late; nothing drifted)',
});

/** The actions a learner can choose in an incident's findings. */
export const INCIDENT_ACTIONS = [
  'fix-upstream',
  'retrain',
  'roll-back',
  'fallback',
  'recalibrate',
  'wait-for-labels',
  'no-action',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const INCIDENT_ACTION_LABELS: Readonly<Record<IncidentAction, string>> = Object.freeze({
  'fix-upstream': 'Fix the upstream pipeline (and backfill), keep the model',
  retrain: 'Retrain on recent data and promote through champion/challenger',
  'roll-back': 'Roll back to the previous model version',
  fallback: 'Route traffic to the fallback model until it is understood',
  recalibrate: 'Recalibrate thresholds or priors for the new class mix',
  'wait-for-labels': 'Wait for labels before acting; estimate performance meanwhile',
  'no-action': 'No action: a false alarm',
});

/** The rubric item ids an incident drill must have, one per graded finding. */
export const FINDING_IDS = ['features', 'kind', 'onset', 'action'] as const;
export type FindingId = (typeof FINDING_IDS)[number];

/** What the learner should find in an incident drill's simulation. */
export interface IncidentAnswer {
  /** Indices of the drifted features (0-based columns of the data set), sorted, unique. */
  features: number[];
  kind: DriftKindFinding;
  /** Simulated time at which the problem starts, ms since the start of the run. */
  onsetMs: number;
  /** How far off an onset may be and still count, ms: one monitoring window. */
  toleranceMs: number;
  action: IncidentAction;
  /** Markdown: why this is the answer (shown with the grade). */
  why: string;
}

interface DrillBase {
  meta: DrillMeta;
  /** Path from the project root, e.g. `lessons/drills/01-recs-1m-daily-users.md`. */
  file: string;
  /** Markdown. */
  prompt: string;
  canvas: CanvasSection[];
  rubric: RubricItem[];
  /** Sum of the rubric's points. */
  maxScore: number;
  /** Markdown. */
  modelAnswer: string;
}

export interface DesignDrill extends DrillBase {
  kind: 'design';
}

/** An incident graded on findings about an Operate simulation (`grading: findings`, the default). */
export interface IncidentDrill extends DrillBase {
  kind: 'incident';
  grading: 'findings';
  /** Drives the Operate simulation this drill is run in. */
  operate: OperateSpec;
  answer: IncidentAnswer;
}

/**
 * An incident graded on the learner's actions in the live labs (`grading: actions`): what they
 * saved after the attempt started, plus a short findings form.
 */
export interface ActionsDrill extends DrillBase {
  kind: 'incident';
  grading: 'actions';
  answer: ActionsAnswer;
}

export type Drill = DesignDrill | IncidentDrill | ActionsDrill;
