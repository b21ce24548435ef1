/**
 * The findings form of an incident drill, read from the attempt's saved answers (so a reload
 * shows the same grade): text fields parsed into Findings, or messages that say what to fix.
 */
import { parseFeatureList, parseSimTime } from '../lessons/drills-findings';
import type { Findings } from '../lessons/drills-grade';
import {
  DRIFT_KINDS,
  INCIDENT_ACTIONS,
  type DriftKindFinding,
  type IncidentAction,
  type IncidentDrill,
} from '../lessons/drills-types';
import { DATASET_SHAPE } from './operate-spec';
import { FINDING_KEYS } from './drills-session.svelte';

export type FindingsRead =
  | { ok: true; findings: Findings }
  | { ok: false; errors: Partial<Record<keyof typeof FINDING_KEYS, string>> };

/** Parses the four findings; every field is required before grading. */
export function readFindings(drill: IncidentDrill, answers: Record<string, string>): FindingsRead {
  const errors: Partial<Record<keyof typeof FINDING_KEYS, string>> = {};
  const { dataset } = drill.operate;
  const features = parseFeatureList(
    answers[FINDING_KEYS.features] ?? '',
    dataset,
    DATASET_SHAPE[dataset].features,
  );
  if (!features.ok) errors.features = features.error;
  const kind = answers[FINDING_KEYS.kind] ?? '';
  if (!DRIFT_KINDS.includes(kind as DriftKindFinding)) errors.kind = 'Choose the kind of problem.';
  const onsetText = answers[FINDING_KEYS.onset] ?? '';
  const onset = parseSimTime(onsetText);
  if (!onset.ok) errors.onset = onset.error;
  const action = answers[FINDING_KEYS.action] ?? '';
  if (!INCIDENT_ACTIONS.includes(action as IncidentAction))
    errors.action = 'Choose what you do first.';
  if (!features.ok || !onset.ok || errors.kind || errors.action) return { ok: false, errors };
  return {
    ok: true,
    findings: {
      features: features.value,
      kind: kind as DriftKindFinding,
      onsetMs: onset.value,
      action: action as IncidentAction,
    },
  };
}
