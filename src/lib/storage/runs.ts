import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { RunRecord } from './records';

/** Saves a run, replacing any run with the same id (a running run is saved again when it finishes). */
export function saveRun(db: AppDb, run: RunRecord): Promise<void> {
  return withStorageErrors('save the run', async () => {
    await db.put('runs', run);
  });
}

/** One run by id, or undefined. */
export function getRun(db: AppDb, id: string): Promise<RunRecord | undefined> {
  return withStorageErrors('read the run', () => db.get('runs', id));
}

/** Runs, newest first (by `createdAt`, then id), optionally only those of one data set. */
export function listRuns(db: AppDb, filter: { datasetId?: string } = {}): Promise<RunRecord[]> {
  return withStorageErrors('read the runs', async () => {
    const runs =
      filter.datasetId === undefined
        ? await db.getAll('runs')
        : await db.getAllFromIndex('runs', 'byDataset', filter.datasetId);
    return runs.sort(
      (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  });
}

/** Deletes a run; deleting a missing id is not an error. */
export function deleteRun(db: AppDb, id: string): Promise<void> {
  return withStorageErrors('delete the run', () => db.delete('runs', id));
}
