import type { IDBPTransaction, StoreNames } from 'idb';
import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { AppSchema } from './schema';

type Stores = StoreNames<AppSchema>[];

/** A read-write transaction over `S`. */
export type WriteTx<S extends Stores> = IDBPTransaction<AppSchema, S, 'readwrite'>;

/**
 * Runs `body` in ONE read-write transaction over `stores`: either every write commits or
 * none does. Errors (including a quota error that only shows at commit) become `StorageError`s.
 * `body` may only await IndexedDB requests of `tx`; awaiting anything else lets the
 * transaction auto-commit early.
 * @param action what is being done, phrased to follow "could not", e.g. "import the progress file".
 */
export function writeTx<S extends Stores, T>(
  db: AppDb,
  stores: S,
  action: string,
  body: (tx: WriteTx<S>) => Promise<T>,
): Promise<T> {
  return withStorageErrors(action, async () => {
    const tx = db.transaction(stores, 'readwrite');
    try {
      const result = await body(tx);
      await tx.done;
      return result;
    } catch (error) {
      // The body's error explains the failure; the abort's own rejection would only repeat it.
      tx.done.catch(() => {});
      try {
        tx.abort();
      } catch {
        // Already aborted (a failed request aborts its transaction) or already finished.
      }
      throw error;
    }
  });
}
