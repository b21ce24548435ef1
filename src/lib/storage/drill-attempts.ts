/**
 * Interview-drill attempts (schema v5 `drillAttempts`): one record per timed attempt, saved
 * while the learner types (autosave) and again when it is scored. Times are ms since the epoch.
 */
import { drillAttempt } from './backup-v5';
import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { DrillAttemptRecord } from './v5-records';

/**
 * Saves an attempt, replacing the record with the same id. A malformed record (a score above
 * the maximum, a negative time) is refused with the field's name and nothing is written.
 */
export function saveDrillAttempt(db: AppDb, record: DrillAttemptRecord): Promise<void> {
  return withStorageErrors('save the drill attempt', async () => {
    drillAttempt(record, 'attempt');
    if (record.score !== undefined && (record.score < 0 || record.score > record.maxScore))
      throw new Error(`attempt.score: ${record.score} is outside 0..${record.maxScore}`);
    if (record.finishedAt !== undefined && record.finishedAt < record.startedAt)
      throw new Error('attempt.finishedAt: before startedAt');
    await db.put('drillAttempts', record);
  });
}

/** One attempt by id, or undefined. */
export function getDrillAttempt(db: AppDb, id: string): Promise<DrillAttemptRecord | undefined> {
  return withStorageErrors('read the drill attempt', () => db.get('drillAttempts', id));
}

/** Every attempt at one drill (or at all drills when `drillId` is omitted), newest first. */
export function listDrillAttempts(db: AppDb, drillId?: string): Promise<DrillAttemptRecord[]> {
  return withStorageErrors('read the drill attempts', async () => {
    const records =
      drillId === undefined
        ? await db.getAll('drillAttempts')
        : await db.getAllFromIndex('drillAttempts', 'byDrill', drillId);
    return records.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
  });
}

/** Deletes an attempt; deleting a missing id is not an error. */
export function deleteDrillAttempt(db: AppDb, id: string): Promise<void> {
  return withStorageErrors('delete the drill attempt', () => db.delete('drillAttempts', id));
}
