import {
  clearWorkspace,
  exportWorkspace,
  parseBackupFile,
  restoreWorkspace,
  stringifyBackup,
  type AppDb,
  type BackupCounts,
} from '../storage';

/** The data changed as asked, but the app's views could not re-read it: reload the page. */
export class ReloadNeededError extends Error {
  override readonly name = 'ReloadNeededError';
}

/**
 * Whole-workspace actions: a full backup file, restoring one, and resetting the app.
 * After a restore or reset, `onChanged` lets the app re-read every view from storage.
 *
 * Errors: a bad file rejects with `ImportError` and a failed write with `StorageError`; in both
 * cases nothing saved changed. If the data changed but the views could not reload, the
 * rejection is a `ReloadNeededError` saying so (reloading the page shows the new data).
 */
export class WorkspaceActions {
  readonly #db: AppDb;
  readonly #onChanged: () => Promise<void>;

  constructor(db: AppDb, onChanged: () => Promise<void>) {
    this.#db = db;
    this.#onChanged = onChanged;
  }

  /** Builds the backup: `pocket-mlops-backup-YYYY-MM-DD.json` (UTC date) and its JSON text. */
  async backupFile(): Promise<{ fileName: string; text: string }> {
    const backup = await exportWorkspace(this.#db);
    const day = backup.exportedAt.slice(0, 10);
    return { fileName: `pocket-mlops-backup-${day}.json`, text: stringifyBackup(backup) };
  }

  /**
   * Validates the text of a backup file, then replaces everything saved with it (all or nothing).
   * @returns how many records of each store were restored.
   */
  async restore(text: string): Promise<BackupCounts> {
    const backup = await parseBackupFile(text);
    const counts = await restoreWorkspace(this.#db, backup);
    await this.#reload('restored');
    return counts;
  }

  /** Deletes everything saved in this browser (the UI asks for confirmation first). */
  async reset(): Promise<void> {
    await clearWorkspace(this.#db);
    await this.#reload('deleted');
  }

  async #reload(what: string): Promise<void> {
    try {
      await this.#onChanged();
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ReloadNeededError(
        `Your data was ${what}, but the app could not show it yet (${detail}); reload the page.`,
        { cause: err },
      );
    }
  }
}
