import { checkRegistryStores } from './backup-registry';
import {
  BACKUP_SECTIONS,
  BACKUP_STORES,
  FIRST_BACKUP_SCHEMA_VERSION,
  OLDER_BACKUP_SECTIONS,
  decodeSection,
  encodeValue,
  type BackupStore,
  type BackupStores,
  type SectionsAt,
} from './backup-schema';
import { upgradeBackupStores } from './backup-upgrade';
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
 * Checks `app.schemaVersion`: backups exist since schema v2 (`FIRST_BACKUP_SCHEMA_VERSION`);
 * one from a newer app asks the learner to update. An OLDER backup is accepted and goes
 * through the same migrations as the database (backup-upgrade.ts), never a second,
 * hand-written upgrade path.
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
  if (v < FIRST_BACKUP_SCHEMA_VERSION || (v < SCHEMA_VERSION && !(v in OLDER_BACKUP_SECTIONS))) {
    throw new ImportError(
      `this backup claims data version ${v}, but Pocket MLOps has written backups only since data version ${FIRST_BACKUP_SCHEMA_VERSION}; this app restores data versions ${FIRST_BACKUP_SCHEMA_VERSION} to ${SCHEMA_VERSION}`,
      'app.schemaVersion',
    );
  }
  return v;
}

/** The sections a backup of schema `version` has (checked by `schemaVersion` first). */
function sectionsAt(version: number): SectionsAt {
  return version === SCHEMA_VERSION ? BACKUP_SECTIONS : OLDER_BACKUP_SECTIONS[version];
}

/**
 * Parses and strictly validates the text of a backup file. The size is checked before
 * parsing, so a huge file is refused without being parsed.
 * @param opts.maxBytes largest accepted file in bytes of UTF-8; default 200 MB.
 * A backup of an older schema version (>= 2) is checked as that version wrote it, then
 * upgraded by the database's own migrations in a scratch database (see backup-upgrade.ts);
 * the result is a current backup with a checksum recomputed over what it now holds.
 * Registry records are also checked against each other (versions belong to a model, aliases
 * point at versions in the file, every `sha256` matches its bytes).
 * @returns a backup at the current `SCHEMA_VERSION`, ready for `restoreWorkspace`.
 * @throws ImportError saying what is wrong and, for shape errors, where (a JSON path such as
 *   `stores.runs[2].createdAt`); StorageError when upgrading an older backup cannot write
 *   its scratch database (e.g. a full disk).
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
  const sections = sectionsAt(version);
  const names = Object.keys(sections) as BackupStore[];
  for (const name of Object.keys(root.stores)) {
    if (!(names as string[]).includes(name)) {
      const has = version === SCHEMA_VERSION ? 'this app has' : `data version ${version} had`;
      throw new ImportError(`unknown store (${has} ${names.join(', ')})`, `stores.${name}`);
    }
  }
  const decoded: Partial<Record<BackupStore, unknown[]>> = {};
  for (const name of names) {
    if (!(name in root.stores)) throw new ImportError('missing', `stores.${name}`);
    decoded[name] = decodeSection(name, root.stores[name], sections[name] as never);
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
  if (version === SCHEMA_VERSION) {
    const stores = decoded as BackupStores;
    await checkRegistryStores(stores);
    return {
      format: BACKUP_FILE_FORMAT,
      version: 1,
      exportedAt,
      app: { schemaVersion: version },
      stores,
      checksum,
    };
  }
  const stores = await upgradeBackupStores(version, decoded);
  await checkRegistryStores(stores);
  // The upgraded backup is a current one: its checksum covers what it now holds.
  const body: Omit<WorkspaceBackup, 'checksum'> = {
    format: BACKUP_FILE_FORMAT,
    version: 1,
    exportedAt,
    app: { schemaVersion: SCHEMA_VERSION },
    stores,
  };
  return { ...body, checksum: await backupChecksum(forFile(body)) };
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
