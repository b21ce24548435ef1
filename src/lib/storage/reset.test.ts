import { afterEach, describe, expect, it, vi } from 'vitest';
import { learnerDb } from '../../../tests/fixtures/storage/learner';
import { benchRecord } from '../../../tests/fixtures/storage/benchmark';
import { fillV5Stores } from '../../../tests/fixtures/storage/v5-records';
import { addRegistry, newVersion } from '../../../tests/fixtures/storage/registry';
import { saveBenchmark } from './benchmarks';
import type { AppDb } from './db';
import { StorageError } from './errors';
import { getMeta, incrementMeta } from './meta';
import { getAllProgress, markLessonVisited } from './progress';
import type { RunRecord } from './records';
import { listModels, registerVersion } from './registry';
import { clearWorkspace, deleteAllRuns } from './reset';
import { listRuns, saveRun } from './runs';
import { getSetting, setSetting } from './settings';

afterEach(() => {
  vi.restoreAllMocks();
});

function run(id: string): RunRecord {
  return {
    id,
    createdAt: 1,
    datasetId: 'digits',
    seed: 1,
    splitSeed: 2,
    hyperparameters: {},
    fingerprint: 'f',
    backend: 'cpu',
    durationMs: 1,
    curves: [],
    weights: new Uint8Array([1, 2, 3]).buffer,
    status: 'completed',
  };
}

/** Progress, events, a setting, a meta counter, two runs, a registry, a benchmark, v5 records. */
async function fullDb(): Promise<AppDb> {
  const db = await learnerDb();
  await setSetting(db, 'theme', 'dark');
  await incrementMeta(db, 'progressExports');
  await saveRun(db, run('a'));
  await saveRun(db, run('b'));
  await addRegistry(db);
  await saveBenchmark(db, benchRecord());
  await fillV5Stores(db);
  return db;
}

async function counts(db: AppDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of Array.from(db.objectStoreNames)) {
    out[name] = await db.count(name as Parameters<AppDb['count']>[0]);
  }
  return out;
}

describe('clearWorkspace', () => {
  it('empties every store, and the app keeps working afterwards', async () => {
    const db = await fullDb();
    expect(Object.values(await counts(db)).every((n) => n > 0)).toBe(true);
    await clearWorkspace(db);
    expect(Object.values(await counts(db))).toEqual(Array.from(db.objectStoreNames).map(() => 0));
    expect(await getSetting(db, 'theme', 'light')).toBe('light');
    expect(await getMeta(db, 'progressExports')).toBeUndefined();
    expect(await listModels(db)).toEqual([]);
    // The alias log restarts cleanly: a new registry works at once.
    expect((await registerVersion(db, newVersion())).version).toBe(1);
    await markLessonVisited(db, 'l1', () => 5);
    expect(await getAllProgress(db)).toHaveLength(1);
  });

  it('a clear failing midway changes nothing', async () => {
    const db = await fullDb();
    const before = await counts(db);
    let clears = 0;
    const original = IDBObjectStore.prototype.clear;
    vi.spyOn(IDBObjectStore.prototype, 'clear').mockImplementation(function (this: IDBObjectStore) {
      if (++clears > 2) throw new DOMException('broken', 'UnknownError');
      return original.call(this);
    });
    const error = await clearWorkspace(db).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^Could not reset the app/);
    expect(await counts(db)).toEqual(before);
  });
});

describe('deleteAllRuns', () => {
  it('deletes every run, says how many, and leaves everything else', async () => {
    const db = await fullDb();
    const before = await counts(db);
    expect(await deleteAllRuns(db)).toBe(2);
    expect(await listRuns(db)).toEqual([]);
    expect(await counts(db)).toEqual({ ...before, runs: 0 });
    expect(await deleteAllRuns(db)).toBe(0);
  });
});
