import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { StorageError, toStorageError } from './errors';
import { DB_NAME, SCHEMA_VERSION, migrations, type AppSchema, type Migration } from './schema';

/** An open connection to the app database at `SCHEMA_VERSION`. */
export type AppDb = IDBPDatabase<AppSchema>;

/** Options for `openAppDb`. */
export interface OpenAppDbOptions {
  /** Database name; defaults to `DB_NAME`. Tests and e2e use their own to stay isolated. */
  name?: string;
  /**
   * Another tab holds an older version open, so the upgrade waits. The open still resolves
   * once that tab closes; meanwhile the UI should say "close other tabs" (`error.message`).
   */
  onBlocked?: (error: StorageError) => void;
  /**
   * Another tab is upgrading (or deleting) the database. This connection has already been
   * closed so that tab can proceed; the UI should say "reload to continue" (`error.message`).
   */
  onVersionChange?: (error: StorageError) => void;
}

/**
 * Runs `list[oldVersion + 1 .. newVersion]` in order inside the upgrade transaction, so a
 * database at any earlier version (0 = none yet) reaches `newVersion`.
 * Exported for tests, which replay history from frozen copies of old migrations.
 */
export async function runMigrations(
  db: Parameters<Migration>[0],
  tx: Parameters<Migration>[1],
  oldVersion: number,
  newVersion: number,
  list: readonly Migration[],
): Promise<void> {
  for (let v = oldVersion + 1; v <= newVersion; v++) {
    const migrate = list[v];
    if (!migrate) throw new Error(`no migration to schema version ${v}`);
    await migrate(db, tx);
  }
}

/**
 * Opens `name` at `version`, upgrading with `list`. A failed migration aborts the upgrade
 * transaction, so the database stays exactly as it was at its old version.
 * `openAppDb` is the app's entry point; this one exists for tests of old versions.
 */
export async function openVersionedDb<T = unknown>(
  name: string,
  version: number,
  list: readonly Migration[],
  options: Omit<OpenAppDbOptions, 'name'> = {},
): Promise<IDBPDatabase<T>> {
  let migrationError: unknown;
  let fromVersion = 0;
  try {
    return await openDB<T>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        fromVersion = oldVersion;
        const upgradeTx = tx as unknown as Parameters<Migration>[1];
        // idb rejects `done` when we abort; the open promise reports the failure instead.
        upgradeTx.done.catch(() => {});
        runMigrations(
          db as IDBPDatabase<unknown>,
          upgradeTx,
          oldVersion,
          newVersion ?? version,
          list,
        ).catch((error: unknown) => {
          migrationError = error;
          try {
            tx.abort();
          } catch {
            // Already aborting: a failed request aborts its transaction by itself.
          }
        });
      },
      blocked(currentVersion) {
        options.onBlocked?.(
          new StorageError(
            'blocked',
            `Pocket MLOps is open in another tab with an older version (${currentVersion}) of its data; close other tabs to continue`,
          ),
        );
      },
      blocking(_currentVersion, _blockedVersion, event) {
        // Close first: holding the old version open would block the other tab's upgrade.
        (event.target as IDBDatabase).close();
        options.onVersionChange?.(
          new StorageError(
            'version',
            'Pocket MLOps was updated or reset in another tab; reload to continue',
          ),
        );
      },
    });
  } catch (error) {
    if (migrationError !== undefined) {
      const detail =
        migrationError instanceof Error ? migrationError.message : String(migrationError);
      throw new StorageError(
        'version',
        `Could not upgrade your data from version ${fromVersion} to ${version} (${detail}); nothing was changed`,
        { cause: migrationError },
      );
    }
    if ((error as { name?: unknown } | null)?.name === 'VersionError') {
      throw new StorageError(
        'version',
        'Your data was saved by a newer version of Pocket MLOps; reload to get the latest version',
        { cause: error },
      );
    }
    throw toStorageError(error, 'open the database');
  }
}

/** Opens the app database at `SCHEMA_VERSION`, running any pending migrations first. */
export function openAppDb(options: OpenAppDbOptions = {}): Promise<AppDb> {
  return openVersionedDb<AppSchema>(options.name ?? DB_NAME, SCHEMA_VERSION, migrations, options);
}

/**
 * Deletes the whole database (the app's "reset"). Other tabs get a versionchange and close;
 * if one does not, `onBlocked` fires and the deletion waits for it.
 */
export async function deleteAppDb(
  options: Pick<OpenAppDbOptions, 'name' | 'onBlocked'> = {},
): Promise<void> {
  try {
    await deleteDB(options.name ?? DB_NAME, {
      blocked() {
        options.onBlocked?.(
          new StorageError(
            'blocked',
            'Pocket MLOps is open in another tab; close other tabs to finish the reset',
          ),
        );
      },
    });
  } catch (error) {
    throw toStorageError(error, 'delete the database');
  }
}
