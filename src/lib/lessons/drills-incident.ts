/**
 * The two machine-read blocks of an incident drill: ```operate (the Operate simulation as JSON,
 * validated by parseOperateSpec) and ```answer (YAML: the findings the grader expects). The
 * answer is cross-checked against the scenarios, so a drill cannot expect a feature, a kind or
 * an onset that its own simulation does not produce.
 */
import type { Scenario, ScenarioKind } from '../core/sim-scenario-types';
import { DATASET_SHAPE, parseOperateSpec, type OperateSpec } from '../state/operate-spec';
import { isRecord, isText, MATH_HINT, parseYaml, type Report } from './blocks';
import {
  DRIFT_KINDS,
  INCIDENT_ACTIONS,
  type DriftKindFinding,
  type IncidentAction,
  type IncidentAnswer,
} from './drills-types';
import { checkMath } from './render';

/** A fenced block's body and the file line of its opening fence. */
export interface RawBlock {
  body: string;
  line: number;
}

/** 1-based line within `text` of a JSON.parse error (V8 says "at position N"), else 1. */
function jsonErrorLine(text: string, message: string): number {
  const m = /position (\d+)/.exec(message);
  if (!m) return 1;
  return text.slice(0, Number(m[1])).split('\n').length;
}

/** The line of the field an operate-spec error names (`scenarios[0].params.feature` -> feature). */
function fieldLine(block: RawBlock, error: string): number {
  const path = /^([\w[\].]+)/.exec(error)?.[1] ?? '';
  const name = path
    .split(/[.[\]]/)
    .filter((p) => p && !/^\d+$/.test(p))
    .pop();
  if (!name) return block.line;
  const i = block.body.split('\n').findIndex((l) => l.includes(`"${name}"`));
  return i < 0 ? block.line : block.line + 1 + i;
}

/** Parses and validates the ```operate block. */
export function parseOperateBlock(block: RawBlock, report: Report): OperateSpec | null {
  let json: unknown;
  try {
    json = JSON.parse(block.body);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    report(block.line + jsonErrorLine(block.body, msg), `operate block: invalid JSON: ${msg}`);
    return null;
  }
  const parsed = parseOperateSpec(json);
  if (!parsed.ok) {
    report(fieldLine(block, parsed.error), `operate block: ${parsed.error}`);
    return null;
  }
  return parsed.spec;
}

/** The kind of drift a scenario is, in the findings' words. */
export function findingKindOf(kind: ScenarioKind): DriftKindFinding {
  switch (kind) {
    case 'prior-shift':
      return 'prior';
    case 'relabel':
    case 'new-writer':
      return 'concept';
    case 'stuck-at-zero':
    case 'swap-columns':
    case 'unit-change':
      return 'upstream-bug';
    case 'delayed-labels':
      return 'delayed-labels';
    default:
      return 'covariate';
  }
}

/** Features a scenario names, or null when it touches the whole input (an image transform). */
function featuresOf(s: Scenario): number[] | null {
  switch (s.kind) {
    case 'stuck-at-zero':
    case 'unit-change':
    case 'feature-scale':
    case 'feature-offset':
      return [s.params.feature];
    case 'swap-columns':
      return [s.params.a, s.params.b];
    default:
      return null;
  }
}

const ANSWER_KEYS = ['features', 'kind', 'onsetMs', 'action', 'why'];
/** `grading: findings` may be written out (drills-actions-parse.ts reads it). */
const OPTIONAL_KEYS = ['grading'];

/** Parses the ```answer block and checks it against the simulation it belongs to. */
export function parseAnswerBlock(
  block: RawBlock,
  spec: OperateSpec | null,
  report: Report,
): IncidentAnswer | null {
  const y = parseYaml(block.body, block.line + 1, report, 'answer block');
  if (!y) return null;
  const v = y.value;
  if (!isRecord(v)) {
    report(block.line, `answer block must be a mapping of ${ANSWER_KEYS.join(', ')}`);
    return null;
  }
  let ok = true;
  const bad = (key: string, msg: string) => {
    ok = false;
    report(key in v ? y.lineOf([key]) : block.line, `answer block: ${msg}`);
  };
  for (const k of Object.keys(v))
    if (!ANSWER_KEYS.includes(k) && !OPTIONAL_KEYS.includes(k))
      bad(k, `unknown key "${k}" (known: ${ANSWER_KEYS.join(', ')})`);
  for (const k of ANSWER_KEYS) if (!(k in v)) bad(k, `missing key "${k}"`);
  const nFeatures = spec ? DATASET_SHAPE[spec.dataset].features : Infinity;
  const features = v.features;
  const goodFeatures =
    Array.isArray(features) &&
    features.length > 0 &&
    features.every((f) => Number.isInteger(f) && f >= 0 && f < nFeatures) &&
    new Set(features).size === features.length;
  if ('features' in v && !goodFeatures)
    bad(
      'features',
      `features must be a non-empty list of distinct column indices 0..${nFeatures - 1}`,
    );
  if ('kind' in v && !DRIFT_KINDS.includes(v.kind as DriftKindFinding))
    bad('kind', `kind must be one of ${DRIFT_KINDS.join(', ')}, got ${JSON.stringify(v.kind)}`);
  const maxMs = spec ? spec.durationSeconds * 1000 : Infinity;
  if (
    'onsetMs' in v &&
    !(Number.isInteger(v.onsetMs) && (v.onsetMs as number) >= 0 && (v.onsetMs as number) < maxMs)
  )
    bad(
      'onsetMs',
      `onsetMs must be a whole number of simulated ms inside the run (0..${maxMs - 1})`,
    );
  if ('action' in v && !INCIDENT_ACTIONS.includes(v.action as IncidentAction))
    bad(
      'action',
      `action must be one of ${INCIDENT_ACTIONS.join(', ')}, got ${JSON.stringify(v.action)}`,
    );
  if ('why' in v && !isText(v.why)) bad('why', 'why must be a non-empty string (markdown)');
  if (isText(v.why)) for (const p of checkMath(v.why)) bad('why', `math: ${p.message}${MATH_HINT}`);
  if (!ok || !spec) return null;

  const answer: IncidentAnswer = {
    features: [...(features as number[])].sort((a, b) => a - b),
    kind: v.kind as DriftKindFinding,
    onsetMs: v.onsetMs as number,
    toleranceMs: spec.windowMinutes * 60_000,
    action: v.action as IncidentAction,
    why: v.why as string,
  };
  crossCheck(answer, spec, (key, msg) => bad(key, msg));
  return ok ? answer : null;
}

/** The answer must describe the simulation: the scenarios' kind, features and earliest start. */
function crossCheck(
  answer: IncidentAnswer,
  spec: OperateSpec,
  bad: (key: string, msg: string) => void,
): void {
  if (spec.scenarios.length === 0) {
    bad('kind', 'the operate block has no scenario, so there is nothing to find');
    return;
  }
  const kinds = new Set(spec.scenarios.map((s) => findingKindOf(s.kind)));
  if (kinds.size === 1 && !kinds.has(answer.kind))
    bad('kind', `kind is "${answer.kind}" but the scenarios are ${[...kinds][0]}`);
  const onset = Math.min(...spec.scenarios.map((s) => s.startMs));
  if (answer.onsetMs !== onset)
    bad('onsetMs', `onsetMs is ${answer.onsetMs} but the first scenario starts at ${onset}`);
  const named = spec.scenarios.map(featuresOf);
  if (named.every((f) => f !== null)) {
    const expected = [...new Set(named.flat())].sort((a, b) => a - b);
    if (expected.join(',') !== answer.features.join(','))
      bad('features', `features are [${answer.features}] but the scenarios touch [${expected}]`);
  }
}
