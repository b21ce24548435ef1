import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchRecord } from '../../../tests/fixtures/storage/benchmark';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { v3Records } from '../../../tests/fixtures/storage/v3-records';
import { V3_KEYS, V3_STORES } from '../../../tests/fixtures/storage/v3-schema';
import { SCRATCH_DB_PREFIX } from './backup-upgrade';
import { backupCounts, parseBackupFile, restoreWorkspace, stringifyBackup } from './backup';
import { listBenchmarks, saveBenchmark } from './benchmarks';
import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
import { resolveAlias } from './registry-aliases';
import { SCHEMA_VERSION } from './schema';

/** A backup file written by the app at schema v3 (commit 0acaf38), from `v3Records()`. */
const V3_BACKUP = readFileSync(
  new URL('../../../tests/fixtures/storage/v3-backup.json', import.meta.url),
  'utf8',
);

/** `v3Records()` as the database returns them: each store in key order. */
function v3InKeyOrder(): Record<string, unknown[]> {
  const records = v3Records() as unknown as Record<string, Record<string, unknown>[]>;
  return Object.fromEntries(
    V3_STORES.map((s) => {
      const k = V3_KEYS[s];
      return [s, [...records[s]].sort((a, b) => (a[k]! < b[k]! ? -1 : a[k]! > b[k]! ? 1 : 0))];
    }),
  );
}

async function scratchDatabases(): Promise<string[]> {
  return (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((n) => n.startsWith(SCRATCH_DB_PREFIX));
}

/** The v3 fixture with `edit` applied and its checksum recomputed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
async function editedV3(edit: (file: Record<string, any>) => void): Promise<string> {
  const file = JSON.parse(V3_BACKUP);
  edit(file);
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

describe('a backup of schema v3', () => {
  it('is upgraded by the migrations and restores with every record intact, benchmarks empty', async () => {
    const backup = await parseBackupFile(V3_BACKUP);
    expect(backup.app.schemaVersion).toBe(SCHEMA_VERSION);
    expect(backup.exportedAt).toBe('2024-05-05T10:00:00.000Z');
    expect(backupCounts(backup)).toEqual({
      lessonProgress: 2,
      exerciseEvents: 4,
      settings: 2,
      meta: 2,
      runs: 2,
      models: 2,
      modelVersions: 4,
      aliasEvents: 3,
      benchmarks: 0,
      simSessions: 0,
      drillAttempts: 0,
      lessonPacks: 0,
      classReports: 0,
    });
    expect(await scratchDatabases()).toEqual([]);

    const db = await openTestDb();
    await saveBenchmark(db, benchRecord()); // replaced by the restore, as every store is
    await restoreWorkspace(db, backup);
    const want = plain(v3InKeyOrder()) as Record<string, unknown>;
    for (const store of V3_STORES)
      expect(plain(await db.getAll(store)), store).toEqual(want[store]);
    expect(await listBenchmarks(db)).toEqual([]);
    const v1 = await db.get('modelVersions', 'digits-classifier@v1');
    expect(v1!.bytes).toBeInstanceOf(Uint8Array);
    expect((await resolveAlias(db, 'digits-classifier', 'champion'))?.version).toBe(2);
    // The restored workspace is a working v4 one.
    await saveBenchmark(db, benchRecord());
    expect((await listBenchmarks(db)).map((b) => b.id)).toEqual([benchRecord().id]);
  });

  it('becomes a current backup whose checksum covers what it now holds', async () => {
    const backup = await parseBackupFile(V3_BACKUP);
    const again = await parseBackupFile(stringifyBackup(backup));
    expect(again.checksum).toBe(backup.checksum);
    expect(plain(again)).toEqual(plain(backup));
  });

  it('is checked as v3 wrote it: the benchmarks store is unknown to it', async () => {
    const error = await parseBackupFile(await editedV3((f) => (f.stores.benchmarks = []))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toBe(
      'stores.benchmarks: unknown store (data version 3 had lessonProgress, exerciseEvents, settings, meta, runs, models, modelVersions, aliasEvents)',
    );
    const badVersion = await parseBackupFile(
      await editedV3((f) => (f.stores.modelVersions[0].sha256 = '0'.repeat(64))),
    ).catch((e: unknown) => e);
    expect((badVersion as ImportError).path).toBe('stores.modelVersions[0].sha256');
    expect(await scratchDatabases()).toEqual([]);
  });
});
