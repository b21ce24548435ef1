import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { addRegistry, newVersion } from '../../../tests/fixtures/storage/registry';
import { v2Records } from '../../../tests/fixtures/storage/v2-records';
import { V2_STORES } from '../../../tests/fixtures/storage/v2-schema';
import { BACKUP_STORES } from './backup-schema';
import { SCRATCH_DB_PREFIX } from './backup-upgrade';
import { backupCounts, parseBackupFile, restoreWorkspace, stringifyBackup } from './backup';
import { canonicalJson, sha256Hex } from './canonical';
import type { AppDb } from './db';
import { ImportError, StorageError } from './errors';
import { listVersions, registerVersion } from './registry';
import { SCHEMA_VERSION } from './schema';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A backup file written by the app at schema v2 (commit b70716c), from `v2Records()`. */
const V2_BACKUP = readFileSync(
  new URL('../../../tests/fixtures/storage/v2-backup.json', import.meta.url),
  'utf8',
);

const KEYS = {
  lessonProgress: 'lessonId',
  exerciseEvents: 'seq',
  settings: 'key',
  meta: 'key',
  runs: 'id',
} as const;

/** `v2Records()` as the database returns them: each store in key order. */
function v2InKeyOrder(): Record<string, unknown[]> {
  const records = v2Records() as unknown as Record<string, Record<string, unknown>[]>;
  return Object.fromEntries(
    V2_STORES.map((s) => {
      const k = KEYS[s];
      return [s, [...records[s]].sort((a, b) => (a[k]! < b[k]! ? -1 : a[k]! > b[k]! ? 1 : 0))];
    }),
  );
}

async function dump(db: AppDb): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of BACKUP_STORES) out[name] = plain(await db.getAll(name));
  return out;
}

async function scratchDatabases(): Promise<string[]> {
  return (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(SCRATCH_DB_PREFIX));
}

/** The v2 fixture with `edit` applied and its checksum recomputed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
async function editedV2(edit: (file: Record<string, any>) => void): Promise<string> {
  const file = JSON.parse(V2_BACKUP);
  edit(file);
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

async function importError(text: string): Promise<ImportError> {
  const error = await parseBackupFile(text).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('a backup of schema v2', () => {
  it('is upgraded by the migrations and restores into a v3 database with every record intact', async () => {
    const backup = await parseBackupFile(V2_BACKUP);
    expect(backup.app.schemaVersion).toBe(SCHEMA_VERSION);
    expect(backup.exportedAt).toBe('2024-05-03T09:30:00.000Z');
    expect(backupCounts(backup)).toEqual({
      lessonProgress: 2,
      exerciseEvents: 4,
      settings: 2,
      meta: 2,
      runs: 2,
      models: 0,
      modelVersions: 0,
      aliasEvents: 0,
      benchmarks: 0,
      simSessions: 0,
      drillAttempts: 0,
      lessonPacks: 0,
      classReports: 0,
    });
    expect(await scratchDatabases()).toEqual([]);

    const db = await openTestDb();
    await addRegistry(db); // replaced by the restore, as every store is
    await restoreWorkspace(db, backup);
    expect(await dump(db)).toEqual({
      ...(plain(v2InKeyOrder()) as Record<string, unknown>),
      models: [],
      modelVersions: [],
      aliasEvents: [],
      benchmarks: [],
      simSessions: [],
      drillAttempts: [],
      lessonPacks: [],
      classReports: [],
    });
    const run = await db.get('runs', 'run-1714637000000-a1');
    expect(run!.weights).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(new Float32Array(run!.weights!))).toEqual(
      Array.from(new Float32Array([0.5, -1.25, 3, Math.PI, -0])),
    );
    expect(run!.evaluation!.testIndices).toBeInstanceOf(Int32Array);
    const serving = (await db.get('settings', 'serving'))!.value as Record<string, unknown>;
    expect(serving.$note).toBe('a "$" key');
    expect(serving.scales).toBeInstanceOf(Float32Array);
    // The restored workspace is a working v3 one.
    expect((await registerVersion(db, newVersion())).version).toBe(1);
    expect(await listVersions(db, 'digits-classifier')).toHaveLength(1);
  });

  it('becomes a current backup whose checksum covers what it now holds', async () => {
    const backup = await parseBackupFile(V2_BACKUP);
    const again = await parseBackupFile(stringifyBackup(backup));
    expect(again.checksum).toBe(backup.checksum);
    expect(plain(again)).toEqual(plain(backup));
  });

  it('is checked as v2 wrote it: v3 stores are unknown to it, and bad records are named', async () => {
    const withModels = await importError(await editedV2((f) => (f.stores.models = [])));
    expect(withModels.message).toBe(
      'stores.models: unknown store (data version 2 had lessonProgress, exerciseEvents, settings, meta, runs)',
    );
    const badRun = await importError(await editedV2((f) => (f.stores.runs[1].status = 'exploded')));
    expect(badRun.path).toBe('stores.runs[1].status');
    const noRuns = await importError(await editedV2((f) => delete f.stores.runs));
    expect(noRuns.message).toBe('stores.runs: missing');
    const tampered = JSON.parse(V2_BACKUP);
    tampered.stores.meta[1].value = 99;
    expect((await importError(JSON.stringify(tampered))).path).toBe('checksum');
    expect(await scratchDatabases()).toEqual([]);
  });

  it('a scratch database that cannot be written gives a storage error and is deleted', async () => {
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (++puts > 3) throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    });
    const error = await parseBackupFile(V2_BACKUP).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      kind: 'quota',
      message: /^Storage is full: could not upgrade the backup/,
    });
    expect(await scratchDatabases()).toEqual([]);
  });
});
