import type { StoreNames } from 'idb';
import type { AppDb } from './db';
import type { AppSchema } from './schema';
import { writeTx } from './tx';

/**
 * Deletes everything saved (the app's "reset"): clears every object store in ONE read-write
 * transaction, so a failure leaves everything as it was. The database itself stays open at
 * its schema version, so the app keeps working without a reload. The UI asks first.
 */
export function clearWorkspace(db: AppDb): Promise<void> {
  // Every store the database has, not a list kept by hand: a new store is cleared too.
  const stores = Array.from(db.objectStoreNames) as StoreNames<AppSchema>[];
  return writeTx(db, stores, 'reset the app', async (tx) => {
    for (const name of stores) await tx.objectStore(name).clear();
  });
}

/**
 * Deletes every experiment run in one transaction.
 * @returns how many runs were deleted.
 */
export function deleteAllRuns(db: AppDb): Promise<number> {
  return writeTx(db, ['runs'], 'delete the runs', async (tx) => {
    const runs = tx.objectStore('runs');
    const count = await runs.count();
    await runs.clear();
    return count;
  });
}
