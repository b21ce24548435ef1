import {
  BACKUP_STORES,
  decodeSection,
  encodeValue,
  type BackupStore,
  type BackupStores,
} from './backup-schema';
import { canonicalJson, sha256Hex } from './canonical';
import type { AppDb } from './db';
import { ImportError, StorageError, withStorageErrors } from './errors';
import { readJsonFile } from './json-file';
import type { Clock } from './records';
import { SCHEMA_VERSION } from './schema';
import { writeTx } from './tx';

/** The `format` tag of a workspace backup. */
export const BACKUP_FILE_FORMAT = 'pocket-mlops-backup';
/** Versions of the backup file format this app reads. */
export const SUPPORTED_BACKUP_FILE_VERSIONS: readonly number[] = [1];
/** Default size limit for `parseBackupFile`: 200 MB (200 * 1024 * 1024 bytes). */
export const DEFAULT_MAX_BACKUP_FILE_BYTES = 200 * 1024 * 1024;

/** How many records of each store a backup holds (or a restore wrote). */
export type BackupCounts = Record<BackupStore, number>;

/**
 * Everything saved in this browser, as one JSON file (format version 1): one section per
 * object store, records as stored (binary fields decoded back to ArrayBuffer / typed arrays).
 * In the file, values JSON cannot hold are markers such as `{ "$bytes": "<base64>", ... }`
 * (see backup-schema.ts). `checksum` detects corruption (a truncated download, a bad edit),
 * not dishonesty: anyone can edit the file and recompute it.
 */
export interface WorkspaceBackup {
  format: typeof BACKUP_FILE_FORMAT;
  version: 1;
  /** When it was exported, ISO 8601. */
  exportedAt: string;
  /** The database schema version the records belong to (`SCHEMA_VERSION` when exported). */
  app: { schemaVersion: number };
  stores: BackupStores;
  /** SHA-256 hex of the canonical JSON of every other field, as written in the file. */
  checksum: string;
}

/** Encodes every store for the file; a record JSON cannot carry is a StorageError. */
function encodeStores(stores: BackupStores): Record<BackupStore, unknown[]> {
  try {
    return Object.fromEntries(
      BACKUP_STORES.map((s) => [
        s,
        (stores[s] as unknown[]).map((r, i) => encodeValue(r, `stores.${s}[${i}]`)),
      ]),
    ) as Record<BackupStore, unknown[]>;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StorageError('unknown', `Could not back up your workspace: ${detail}`, {
      cause: error,
    });
  }
}

/** The file's JSON value: the backup with its stores encoded. */
function forFile(backup: WorkspaceBackup | Omit<WorkspaceBackup, 'checksum'>) {
  return { ...backup, stores: encodeStores(backup.stores) };
}

/** Checksum of a file's JSON value (every field but `checksum`). */
function backupChecksum(file: Record<string, unknown>): Promise<string> {
  const { checksum: _ignored, ...rest } = file;
  return sha256Hex(canonicalJson(rest));
}

/** How many records each store of `backup` holds. */
export function backupCounts(backup: WorkspaceBackup): BackupCounts {
  return Object.fromEntries(BACKUP_STORES.map((s) => [s, backup.stores[s].length])) as BackupCounts;
}

/**
 * Reads every store in ONE read-only transaction (a consistent snapshot) into a checksummed
 * backup.
 * @param now clock for `exportedAt`, ms since epoch.
 */
export async function exportWorkspace(db: AppDb, now: Clock = Date.now): Promise<WorkspaceBackup> {
  const stores = await withStorageErrors('read your workspace', async () => {
    const tx = db.transaction(BACKUP_STORES, 'readonly');
    const all = await Promise.all(BACKUP_STORES.map((s) => tx.objectStore(s).getAll()));
    return Object.fromEntries(BACKUP_STORES.map((s, i) => [s, all[i]])) as BackupStores;
  });
  const body: Omit<WorkspaceBackup, 'checksum'> = {
    format: BACKUP_FILE_FORMAT,
    version: 1,
    exportedAt: new Date(now()).toISOString(),
    app: { schemaVersion: SCHEMA_VERSION },
    stores,
  };
  return { ...body, checksum: await backupChecksum(forFile(body)) };
}

/** The backup as JSON text, ready for a download. */
export function stringifyBackup(backup: WorkspaceBackup): string {
  return `${JSON.stringify(forFile(backup), null, 2)}\n`;
}

/* ------------------------------------------------------------------ parsing */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new ImportError('unexpected field', path ? `${path}.${key}` : key);
  }
}

/**
 * Checks `app.schemaVersion`. Backups exist since schema v2, so today only
 * `SCHEMA_VERSION` is accepted; a newer one asks the learner to update the app.
 *
 * When a later schema version ships, an OLDER backup must go through the same migrations as
 * the database (never a second, hand-written upgrade): open a scratch database at the
 * backup's version with `openVersionedDb(scratch, v, migrations)`, put its records (checked
 * with that version's frozen section checks), close it, reopen it at `SCHEMA_VERSION` (which
 * runs `migrations[v + 1 ..]`), read every store back into a current backup, delete the
 * scratch database, and restore that.
 */
function schemaVersion(app: unknown): number {
  if (!isObject(app)) throw new ImportError('expected an object', 'app');
  onlyKeys(app, 'app', ['schemaVersion']);
  const v = app.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ImportError('expected an integer >= 1', 'app.schemaVersion');
  }
  if (v > SCHEMA_VERSION) {
    throw new ImportError(
      `this backup was made by a newer version of Pocket MLOps (data version ${v}; this app has data version ${SCHEMA_VERSION}): update the app (reload it while online), then restore again`,
      'app.schemaVersion',
    );
  }
  if (v < SCHEMA_VERSION) {
    throw new ImportError(
      `this backup holds data version ${v}; this version of Pocket MLOps restores backups of data version ${SCHEMA_VERSION} only`,
      'app.schemaVersion',
    );
  }
  return v;
}

/**
 * Parses and strictly validates the text of a backup file. The size is checked before
 * parsing, so a huge file is refused without being parsed.
 * @param opts.maxBytes largest accepted file in bytes of UTF-8; default 200 MB.
 * @returns a backup at the current `SCHEMA_VERSION`, ready for `restoreWorkspace`.
 * @throws ImportError saying what is wrong and, for shape errors, where (a JSON path such as
 *   `stores.runs[2].createdAt`).
 */
export async function parseBackupFile(
  text: string,
  opts: { maxBytes?: number } = {},
): Promise<WorkspaceBackup> {
  const root = readJsonFile(text, opts.maxBytes ?? DEFAULT_MAX_BACKUP_FILE_BYTES);
  if (!isObject(root)) {
    throw new ImportError('this is not a Pocket MLOps backup (expected a JSON object)');
  }
  if (root.format !== BACKUP_FILE_FORMAT) {
    const found =
      root.format === undefined ? 'no "format" field' : `format ${JSON.stringify(root.format)}`;
    const hint =
      root.format === 'pocket-mlops-progress'
        ? '; it is a progress file: use "Import a progress file" instead'
        : '';
    throw new ImportError(
      `this is not a Pocket MLOps backup (${found}; expected "${BACKUP_FILE_FORMAT}")${hint}`,
      'format',
    );
  }
  if (typeof root.version !== 'number' || !SUPPORTED_BACKUP_FILE_VERSIONS.includes(root.version)) {
    const newer =
      typeof root.version === 'number' &&
      root.version > Math.max(...SUPPORTED_BACKUP_FILE_VERSIONS);
    throw new ImportError(
      `unsupported backup version ${JSON.stringify(root.version)}; this app reads version ${SUPPORTED_BACKUP_FILE_VERSIONS.join(', ')}` +
        (newer ? ' (the file comes from a newer Pocket MLOps: update the app)' : ''),
      'version',
    );
  }
  onlyKeys(root, '', ['format', 'version', 'exportedAt', 'app', 'stores', 'checksum']);
  const exportedAt = root.exportedAt;
  if (typeof exportedAt !== 'string' || Number.isNaN(Date.parse(exportedAt))) {
    throw new ImportError('expected an ISO 8601 date, e.g. 2024-05-01T12:00:00.000Z', 'exportedAt');
  }
  const version = schemaVersion(root.app);
  if (!isObject(root.stores)) throw new ImportError('expected an object', 'stores');
  const names: readonly string[] = BACKUP_STORES;
  for (const name of Object.keys(root.stores)) {
    if (!names.includes(name)) {
      throw new ImportError(
        `unknown store (this app has ${BACKUP_STORES.join(', ')})`,
        `stores.${name}`,
      );
    }
  }
  const stores: Partial<BackupStores> = {};
  for (const name of BACKUP_STORES) {
    if (!(name in root.stores)) throw new ImportError('missing', `stores.${name}`);
    (stores as Record<string, unknown>)[name] = decodeSection(name, root.stores[name]);
  }
  const checksum = root.checksum;
  if (typeof checksum !== 'string' || !/^[0-9a-f]{64}$/.test(checksum)) {
    throw new ImportError('expected 64 lowercase hex digits (a SHA-256)', 'checksum');
  }
  // Hash what was in the file, not our decoded copy, so nothing is normalized away unseen.
  if ((await backupChecksum(root)) !== checksum) {
    throw new ImportError(
      'checksum mismatch: the file was changed or corrupted after export',
      'checksum',
    );
  }
  return {
    format: BACKUP_FILE_FORMAT,
    version: 1,
    exportedAt,
    app: { schemaVersion: version },
    stores: stores as BackupStores,
    checksum,
  };
}

/* ------------------------------------------------------------------ restore */

/**
 * Replaces the content of EVERY store with the backup's, in ONE read-write transaction
 * (each store cleared, then its records put): if any write fails, nothing changes.
 * @param backup from `parseBackupFile` or `exportWorkspace` (current schema version).
 * @returns how many records each store now holds.
 */
export function restoreWorkspace(db: AppDb, backup: WorkspaceBackup): Promise<BackupCounts> {
  return writeTx(db, BACKUP_STORES, 'restore the backup', async (tx) => {
    for (const name of BACKUP_STORES) {
      const store = tx.objectStore(name);
      await store.clear();
      // Awaited one by one: a request left pending when the transaction aborts would reject
      // later with nobody listening.
      for (const record of backup.stores[name]) await store.put(record);
    }
    return backupCounts(backup);
  });
}
