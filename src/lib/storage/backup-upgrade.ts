/**
 * Upgrading a backup of an older schema version through the SAME migrations as a database
 * (never a second, hand-written upgrade path): its records go into a scratch database at the
 * backup's version, the scratch database is reopened at `SCHEMA_VERSION` (which runs
 * `migrations[v + 1 ..]`), and every store is read back.
 */
import { deleteDB, type IDBPDatabase } from 'idb';
import { BACKUP_STORES, type BackupStore, type BackupStores } from './backup-schema';
import { openVersionedDb } from './db';
import { ImportError, StorageError, withStorageErrors } from './errors';
import { DB_NAME, SCHEMA_VERSION, migrations, type AppSchema } from './schema';

/** Prefix of scratch database names; each upgrade adds a random suffix. */
export const SCRATCH_DB_PREFIX = `${DB_NAME}-backup-upgrade-`;

const ACTION = 'upgrade the backup';

/** Puts every record in ONE transaction; a failing put aborts it and rethrows. */
async function putAll(
  db: IDBPDatabase<unknown>,
  stores: Partial<Record<BackupStore, unknown[]>>,
): Promise<void> {
  const names = Object.keys(stores);
  const tx = db.transaction(names, 'readwrite');
  tx.done.catch(() => {}); // a failure is reported by the put that caused it
  try {
    for (const name of names) {
      for (const record of stores[name as BackupStore] ?? [])
        await tx.objectStore(name).put(record);
    }
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already aborted by the failed request.
    }
    throw error;
  }
  await tx.done;
}

/** Opens the scratch database at `SCHEMA_VERSION`, so the real migrations run on the records. */
async function migrate(name: string, from: number): Promise<IDBPDatabase<AppSchema>> {
  try {
    return await openVersionedDb<AppSchema>(name, SCHEMA_VERSION, migrations);
  } catch (error) {
    if (error instanceof StorageError && error.kind === 'version') {
      const detail = error.cause instanceof Error ? error.cause.message : error.message;
      throw new ImportError(
        `this backup of data version ${from} could not be upgraded to data version ${SCHEMA_VERSION} (${detail})`,
        'app.schemaVersion',
      );
    }
    throw error;
  }
}

/**
 * Upgrades the (already checked) records of a backup made at schema `version` to the current
 * schema, through a scratch IndexedDB database that is deleted afterwards, whatever happens.
 * @param stores every store that schema version had, and only those.
 * @returns every current store; stores added since `version` hold what the migrations put
 *   there (usually nothing).
 * @throws ImportError when a migration refuses the records; StorageError when the scratch
 *   database cannot be written (e.g. a full disk).
 */
export async function upgradeBackupStores(
  version: number,
  stores: Partial<Record<BackupStore, unknown[]>>,
): Promise<BackupStores> {
  const name = `${SCRATCH_DB_PREFIX}${globalThis.crypto.randomUUID()}`;
  try {
    const old = await openVersionedDb(name, version, migrations);
    try {
      await withStorageErrors(ACTION, () => putAll(old, stores));
    } finally {
      old.close();
    }
    const db = await migrate(name, version);
    try {
      return await withStorageErrors(ACTION, async () => {
        const tx = db.transaction(BACKUP_STORES, 'readonly');
        const all = await Promise.all(BACKUP_STORES.map((s) => tx.objectStore(s).getAll()));
        return Object.fromEntries(BACKUP_STORES.map((s, i) => [s, all[i]])) as BackupStores;
      });
    } finally {
      db.close();
    }
  } finally {
    await deleteDB(name).catch(() => {});
  }
}
