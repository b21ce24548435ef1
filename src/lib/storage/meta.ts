import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import { writeTx } from './tx';

/** The browser's answer to a persistence request, and when it was asked (ms since epoch). */
export interface PersistenceAnswer {
  answer: 'granted' | 'denied' | 'unsupported';
  at: number;
}

/**
 * The app's bookkeeping values and their types. Add a key here before using it, so every
 * reader and writer agrees on its type.
 */
export interface MetaValues {
  /** How many times progress was exported from this device. */
  progressExports: number;
  /** The latest answer to `navigator.storage.persist()`. */
  persistence: PersistenceAnswer;
  /**
   * The endpoint the learner served last (Serve screen), saved when it stops and every 100
   * requests, so lesson checks can grade "you served the champion" after a reload.
   */
  lastServed: LastServed;
}

/** What the Serve screen's endpoint served: the version, the runtime that ran, request counts. */
export interface LastServed {
  /** Registry version id, e.g. 'digits-classifier@v2'. */
  versionId: string;
  /** The runtime that actually served (after any fallback), e.g. 'ort-wasm'. */
  runtime: string;
  /** Requests answered with a prediction. */
  served: number;
  /** Requests refused by the input schema. */
  rejected: number;
  /** When this was saved, ms since epoch. */
  at: number;
}

/** Keys of `MetaValues` whose value is a number, so they can be counted. */
export type CounterKey = {
  [K in keyof MetaValues]: MetaValues[K] extends number ? K : never;
}[keyof MetaValues];

/** Reads a meta value, or undefined if never set. */
export function getMeta<K extends keyof MetaValues>(
  db: AppDb,
  key: K,
): Promise<MetaValues[K] | undefined> {
  return withStorageErrors(
    'read app data',
    async () => (await db.get('meta', key))?.value as MetaValues[K] | undefined,
  );
}

/** Writes a meta value. */
export function setMeta<K extends keyof MetaValues>(
  db: AppDb,
  key: K,
  value: MetaValues[K],
): Promise<void> {
  return withStorageErrors('save app data', async () => {
    await db.put('meta', { key, value });
  });
}

/**
 * Adds `by` to a counter (missing counts as 0), atomically: read and write share one transaction.
 * @returns the new value.
 */
export function incrementMeta(db: AppDb, key: CounterKey, by = 1): Promise<number> {
  return writeTx(db, ['meta'], 'save app data', async (tx) => {
    const old = (await tx.objectStore('meta').get(key))?.value;
    const next = (typeof old === 'number' ? old : 0) + by;
    await tx.objectStore('meta').put({ key, value: next });
    return next;
  });
}
