/**
 * Operate simulations kept across reloads (store `simSessions`, schema v5): put, the latest,
 * the list and delete. A record is checked on read with the backup's shape check, so a damaged
 * record is left out (and named) instead of breaking the Operate screen; the simulator's own
 * types (windows, alerts, the spec) are checked again by the state layer that reads them.
 */
import { simSession } from './backup-v5';
import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { SimSessionRecord } from './v5-records';

/** Sessions kept: saving a new one deletes the oldest beyond this. */
export const MAX_SIM_SESSIONS = 10;

/** Sessions read back: the valid ones (newest first) and why others were left out. */
export type SimSessionList = { sessions: SimSessionRecord[]; unreadable: string[] };

/** Saves a session (replacing the one with its id) and keeps only the newest MAX_SIM_SESSIONS. */
export async function saveSimSession(db: AppDb, record: SimSessionRecord): Promise<void> {
  simSession(record, 'session'); // never write what could not be read back
  return await withStorageErrors('save the simulation', async () => {
    const tx = db.transaction('simSessions', 'readwrite');
    await tx.store.put(record);
    const keys = await tx.store.index('byUpdatedAt').getAllKeys();
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_SIM_SESSIONS)))
      await tx.store.delete(key);
    await tx.done;
  });
}

function check(value: unknown, unreadable: string[]): SimSessionRecord | null {
  try {
    return simSession(value, 'session');
  } catch (err) {
    const id = typeof value === 'object' && value && 'id' in value ? String(value.id) : '?';
    unreadable.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** Every readable session, newest first (by `updatedAt`). */
export function listSimSessions(db: AppDb): Promise<SimSessionList> {
  return withStorageErrors('read the saved simulations', async () => {
    const all = await db.getAllFromIndex('simSessions', 'byUpdatedAt');
    const unreadable: string[] = [];
    const sessions = all
      .reverse()
      .map((r) => check(r, unreadable))
      .filter((r): r is SimSessionRecord => r !== null);
    return { sessions, unreadable };
  });
}

/** The most recently updated readable session, or undefined. */
export async function latestSimSession(db: AppDb): Promise<SimSessionRecord | undefined> {
  return (await listSimSessions(db)).sessions[0];
}

/** One session by id when it exists and is readable. */
export function getSimSession(db: AppDb, id: string): Promise<SimSessionRecord | undefined> {
  return withStorageErrors('read the saved simulation', async () => {
    const r = await db.get('simSessions', id);
    return r === undefined ? undefined : (check(r, []) ?? undefined);
  });
}

/** Deletes a session; a missing id is not an error. */
export function deleteSimSession(db: AppDb, id: string): Promise<void> {
  return withStorageErrors('delete the saved simulation', () => db.delete('simSessions', id));
}
