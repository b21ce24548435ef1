import type { AppDb } from './db';
import { setMeta, type PersistenceAnswer } from './meta';
import type { Clock } from './records';

/** The parts of `navigator.storage` used here; injectable for tests. */
export type StorageManagerLike = Partial<
  Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>
>;

/** `navigator.storage` where the browser has it (it needs a secure context), else undefined. */
function defaultStorage(): StorageManagerLike | undefined {
  return (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage;
}

/** How much this origin stores and may store, in bytes, as the browser estimates it. */
export interface StorageEstimateBytes {
  usageBytes: number;
  quotaBytes: number;
}

/**
 * The browser's storage estimate for this origin, or null where the API is missing or fails.
 * Browsers round and pad these numbers on purpose; show them as approximate.
 */
export async function storageEstimate(
  storage = defaultStorage(),
): Promise<StorageEstimateBytes | null> {
  if (!storage?.estimate) return null;
  try {
    const { usage, quota } = await storage.estimate();
    if (typeof usage !== 'number' || typeof quota !== 'number') return null;
    return { usageBytes: usage, quotaBytes: quota };
  } catch {
    return null;
  }
}

/** Options for `requestPersistence`. */
export interface RequestPersistenceOptions {
  storage?: StorageManagerLike;
  /** Clock for the recorded answer, ms since epoch. */
  now?: Clock;
}

/**
 * Asks the browser to keep this origin's data under storage pressure, and records the answer
 * in meta (`persistence`). Checks `persisted()` first so an origin that already has it is
 * not prompted again. Never throws: a missing API is 'unsupported', a failing call 'denied',
 * and a failure to record the answer still returns it (the UI shows it either way).
 */
export async function requestPersistence(
  db: AppDb,
  options: RequestPersistenceOptions = {},
): Promise<PersistenceAnswer['answer']> {
  const storage = 'storage' in options ? options.storage : defaultStorage();
  let answer: PersistenceAnswer['answer'];
  if (!storage?.persist) answer = 'unsupported';
  else {
    try {
      answer =
        (storage.persisted && (await storage.persisted())) || (await storage.persist())
          ? 'granted'
          : 'denied';
    } catch {
      answer = 'denied';
    }
  }
  try {
    await setMeta(db, 'persistence', { answer, at: (options.now ?? Date.now)() });
  } catch {
    // Recording is bookkeeping; the answer matters more to the caller than the record of it.
  }
  return answer;
}
