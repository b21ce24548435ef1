/**
 * Grades an incident drill's findings against its answer: pure, no DOM. Each finding earns the
 * points of its rubric item (features in proportion to the overlap, the others all or nothing),
 * with a message that says what was right, or what was wrong and why.
 */
import { formatDuration, formatSimTime } from '../core/sim-scenario-types';
import {
  DRIFT_KIND_LABELS,
  FINDING_IDS,
  INCIDENT_ACTION_LABELS,
  type DriftKindFinding,
  type FindingId,
  type IncidentAction,
  type IncidentDrill,
} from './drills-types';

/** What the learner reports after investigating. Empty values are "not answered". */
export interface Findings {
  /** Column indices the learner thinks drifted. */
  features: number[];
  kind: DriftKindFinding | '';
  /** Simulated ms since the start of the run, or null. */
  onsetMs: number | null;
  action: IncidentAction | '';
}

export interface FindingGrade {
  id: FindingId;
  points: number;
  max: number;
  correct: boolean;
  message: string;
}

export interface IncidentGrade {
  findings: FindingGrade[];
  /** Points per rubric item id. */
  scores: Record<string, number>;
  score: number;
  maxScore: number;
}

/** Digits columns are 8 x 8 pixels, row-major: 36 -> px_r4c4 (as the Operate lab names them). */
export function featureName(dataset: string, index: number): string {
  return dataset === 'digits' ? `px_r${Math.floor(index / 8)}c${index % 8}` : `feature ${index}`;
}

const names = (dataset: string, list: number[]) =>
  list.map((f) => featureName(dataset, f)).join(', ');

function gradeFeatures(drill: IncidentDrill, given: number[], max: number): FindingGrade {
  const want = new Set(drill.answer.features);
  const got = new Set(given);
  const hit = [...got].filter((f) => want.has(f));
  const extra = [...got].filter((f) => !want.has(f)).sort((a, b) => a - b);
  const missed = [...want].filter((f) => !got.has(f));
  const union = new Set([...want, ...got]).size;
  // Overlap over union (Jaccard), so naming every feature is not a free win.
  const points = union === 0 ? 0 : Math.round((max * hit.length) / union);
  const ds = drill.operate.dataset;
  if (missed.length === 0 && extra.length === 0)
    return {
      id: 'features',
      points: max,
      max,
      correct: true,
      message: `Right: ${names(ds, hit)}.`,
    };
  const parts: string[] = [];
  if (given.length === 0) parts.push('No feature named.');
  else parts.push(`${hit.length} of the ${want.size} drifted features found.`);
  if (extra.length > 0)
    parts.push(
      `${names(ds, extra)} did not drift: a feature flagged in one window only, or with a tiny score, is noise (64 tests at 5% flag about 3 by chance).`,
    );
  if (missed.length > 0)
    parts.push('Sort the per-feature drift table by score in a window after the alert.');
  return { id: 'features', points, max, correct: false, message: parts.join(' ') };
}

function gradeKind(drill: IncidentDrill, given: Findings['kind'], max: number): FindingGrade {
  const want = drill.answer.kind;
  if (given === want)
    return {
      id: 'kind',
      points: max,
      max,
      correct: true,
      message: `Right: ${DRIFT_KIND_LABELS[want]}.`,
    };
  const why =
    given === ''
      ? 'No kind chosen.'
      : given === 'covariate' && want === 'upstream-bug'
        ? 'The inputs did change, but not because the world did: values pinned at one number, swapped or rescaled columns come from a pipeline, and retraining on them would learn the bug.'
        : given === 'concept'
          ? 'Concept drift changes the relation between inputs and labels; here the inputs themselves changed.'
          : `Not ${given}: look at which distributions moved (inputs, predictions, labels) and how.`;
  return { id: 'kind', points: 0, max, correct: false, message: why };
}

function gradeOnset(drill: IncidentDrill, given: number | null, max: number): FindingGrade {
  const { onsetMs, toleranceMs } = drill.answer;
  const window = formatDuration(toleranceMs);
  if (given === null)
    return { id: 'onset', points: 0, max, correct: false, message: 'No onset given.' };
  const off = given - onsetMs;
  if (Math.abs(off) <= toleranceMs)
    return {
      id: 'onset',
      points: max,
      max,
      correct: true,
      message: `Right: within one window (${window}) of the start.`,
    };
  const hint =
    off > 0
      ? 'That is later than the start: the first alert comes after the first drifted window closes, so look back to the window where the feature first moved.'
      : 'That is before anything changed: find the first window whose drift score crosses the threshold.';
  return {
    id: 'onset',
    points: 0,
    max,
    correct: false,
    message: `You said ${formatSimTime(given)}, more than one window (${window}) away. ${hint}`,
  };
}

function gradeAction(drill: IncidentDrill, given: Findings['action'], max: number): FindingGrade {
  const want = drill.answer.action;
  if (given === want)
    return {
      id: 'action',
      points: max,
      max,
      correct: true,
      message: `Right: ${INCIDENT_ACTION_LABELS[want].toLowerCase()}.`,
    };
  const why: Partial<Record<IncidentAction, string>> = {
    retrain:
      'Retraining on broken inputs teaches the model the bug, and the fix upstream would then break the new model.',
    'roll-back': 'The model did not change; an older version sees the same broken inputs.',
    'no-action': 'Accuracy dropped, so this is not a false alarm.',
    'wait-for-labels':
      'The inputs are visibly wrong now; labels would only confirm the damage later.',
  };
  // The explanations above are about broken inputs; other answers point to the model answer.
  const specific = want === 'fix-upstream' ? why[given as IncidentAction] : undefined;
  const message =
    given === ''
      ? 'No action chosen.'
      : (specific ??
        `Not the best first action here: ${INCIDENT_ACTION_LABELS[want].toLowerCase()} is.`);
  return { id: 'action', points: 0, max, correct: false, message };
}

/** Grades findings against the drill's answer; points come from the drill's rubric. */
export function gradeFindings(drill: IncidentDrill, findings: Findings): IncidentGrade {
  const max = (id: FindingId) => drill.rubric.find((r) => r.id === id)?.points ?? 0;
  const all: Record<FindingId, FindingGrade> = {
    features: gradeFeatures(drill, findings.features, max('features')),
    kind: gradeKind(drill, findings.kind, max('kind')),
    onset: gradeOnset(drill, findings.onsetMs, max('onset')),
    action: gradeAction(drill, findings.action, max('action')),
  };
  const list = FINDING_IDS.map((id) => all[id]);
  return {
    findings: list,
    scores: Object.fromEntries(list.map((g) => [g.id, g.points])),
    score: list.reduce((s, g) => s + g.points, 0),
    maxScore: list.reduce((s, g) => s + g.max, 0),
  };
}
