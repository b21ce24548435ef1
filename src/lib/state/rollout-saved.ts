/**
 * Where the Roll out screen keeps the decision log of the last roll-out (one settings key), and
 * what lesson checks see of it (lab-snapshot.ts).
 */
import type { LabSnapshot } from '../lessons/checks';
import { getSetting, type AppDb } from '../storage';
import { readSavedRollout } from './rollout-ops';

/** The settings key of the last roll-out's record (a SavedRollout, rollout-ops.ts). */
export const ROLLOUT_SAVE_KEY = 'rollout:last';

/** The last roll-out as checks see it; null when none is saved or the record does not parse. */
export async function lastRolloutSummary(db: AppDb): Promise<LabSnapshot['lastRollout']> {
  return rolloutForChecks(await getSetting<unknown>(db, ROLLOUT_SAVE_KEY, null));
}

/** A stored record (checked by readSavedRollout) as LabSnapshot.lastRollout; null when invalid. */
export function rolloutForChecks(stored: unknown): LabSnapshot['lastRollout'] {
  const saved = readSavedRollout(stored);
  if (!saved) return null;
  return {
    mode: saved.mode,
    modelName: saved.modelName,
    events: saved.events.map((e) => ({ kind: e.kind, text: e.text })),
  };
}
