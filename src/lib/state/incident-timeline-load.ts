/**
 * Reads the timeline's sources from storage: the saved Operate sessions (checked with
 * restoreSession), the session model's alias history, the runs on its data set, the fallback
 * lab's last outcome, the last roll-out's decision log and the retrain log.
 */
import { aliasHistory, getSetting, listRuns, type AppDb, type RunRecord } from '../storage';
import { listSimSessions } from '../storage/sim-sessions';
import { type IncidentEvent, type SessionInput } from './incident-timeline';
import {
  aliasEvents,
  fallbackEvent,
  retrainEvents,
  rolloutEvents,
  runEvents,
  sessionMarks,
  type RunInput,
} from './incident-timeline-ops';
import { readRetrainLog, RETRAIN_LOG_KEY, type RetrainLogEntry } from './incident-timeline-retrain';
import { restoreSession } from './operate-session';
import { readSavedRollout } from './rollout-ops';
import { ROLLOUT_SAVE_KEY } from './rollout-saved';
import { readWidgetOutcomes } from './widget-outcomes';

/** Where the Roll out screen keeps its last decision log. */
export const ROLLOUT_LOG_KEY = ROLLOUT_SAVE_KEY;

/** A saved session the timeline can show: the input plus what the picker and loader need. */
export type SessionChoice = SessionInput & { dataset: string; modelName: string };

/** `digits-classifier@v2` -> `digits-classifier`. */
export const modelOf = (versionId: string): string => versionId.replace(/@v\d+$/, '');

/** The saved sessions, newest first, and a line for each one that could not be read. */
export async function loadSessions(
  db: AppDb,
): Promise<{ sessions: SessionChoice[]; unreadable: string[] }> {
  const { sessions, unreadable } = await listSimSessions(db);
  const out: SessionChoice[] = [];
  for (const r of sessions) {
    const restored = restoreSession(r);
    if (!restored.ok) {
      unreadable.push(`${r.id}: ${restored.error}`);
      continue;
    }
    const { spec, snapshot } = restored.session;
    out.push({
      id: r.id,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      versionId: r.versionId,
      simTimeMs: r.simTimeMs,
      scenarios: spec.scenarios,
      windows: snapshot.windows,
      alerts: snapshot.alerts,
      dataset: spec.dataset,
      modelName: modelOf(r.versionId),
    });
  }
  return { sessions: out, unreadable };
}

/**
 * A run is a retrain when the retrain log names it, or when its hyperparameters record the
 * production rows it was trained on (any key mentioning "production" or "retrain"); the text says
 * what was found.
 */
export function runInput(r: RunRecord, log: readonly RetrainLogEntry[]): RunInput {
  const logged = log.find((e) => e.runId === r.id);
  const key = Object.keys(r.hyperparameters ?? {}).find((k) => /production|retrain/i.test(k));
  const marker = logged
    ? logged.text
    : key !== undefined
      ? `${key}: ${JSON.stringify(r.hyperparameters[key])}`
      : undefined;
  return {
    id: r.id,
    createdAt: r.createdAt,
    datasetId: r.datasetId,
    status: r.status,
    ...(r.metrics && { testAccuracy: r.metrics.testAccuracy }),
    ...(marker !== undefined && { retrainOf: marker }),
  };
}

/** Every operational event for a session (its model, its data set), typed, not yet sorted. */
export async function loadOperational(db: AppDb, s: SessionChoice): Promise<IncidentEvent[]> {
  const [history, runs, outcomes, rollout, retrain] = await Promise.all([
    aliasHistory(db, s.modelName),
    listRuns(db, { datasetId: s.dataset }),
    readWidgetOutcomes(db),
    getSetting<unknown>(db, ROLLOUT_LOG_KEY, null),
    getSetting<unknown>(db, RETRAIN_LOG_KEY, null),
  ]);
  const log = readRetrainLog(retrain);
  const saved = readSavedRollout(rollout);
  const fallback = outcomes['fallback-lab'] ? fallbackEvent(outcomes['fallback-lab']) : null;
  return [
    ...sessionMarks(s),
    ...aliasEvents(history),
    ...runEvents(runs.map((r) => runInput(r, log))),
    ...(fallback ? [fallback] : []),
    ...(saved && saved.modelName === s.modelName ? rolloutEvents(saved) : []),
    ...retrainEvents(log, s.id),
  ];
}
