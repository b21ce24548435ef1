import type { AppDb } from './db';
import { withStorageErrors } from './errors';

/**
 * User settings: free-form keys owned by the features that use them. Values must be
 * structured-cloneable (plain data, no functions or class instances).
 */

/** Reads a setting, or `fallback` when it was never set. */
export function getSetting<T>(db: AppDb, key: string, fallback: T): Promise<T> {
  return withStorageErrors('read your settings', async () => {
    const record = await db.get('settings', key);
    return record ? (record.value as T) : fallback;
  });
}

/** Writes a setting. */
export function setSetting<T>(db: AppDb, key: string, value: T): Promise<void> {
  return withStorageErrors('save your settings', async () => {
    await db.put('settings', { key, value });
  });
}
