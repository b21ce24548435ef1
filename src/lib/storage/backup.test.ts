/**
 * Workspace backup round trip and failed restores; refusals of a bad file are in
 * backup-refuse.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { NOW, run, WEIGHTS, workspaceDb } from '../../../tests/fixtures/storage/workspace';
import { BACKUP_STORES } from './backup-schema';
import {
  backupCounts,
  exportWorkspace,
  parseBackupFile,
  restoreWorkspace,
  stringifyBackup,
  type WorkspaceBackup,
} from './backup';
import type { AppDb } from './db';
import { StorageError } from './errors';
import { getRun, saveRun } from './runs';
import { SCHEMA_VERSION } from './schema';
import { setSetting } from './settings';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every record of every store, read straight from the database (binary made comparable). */
async function dump(db: AppDb): Promise<unknown> {
  const out: Record<string, unknown[]> = {};
  for (const name of BACKUP_STORES) out[name] = await db.getAll(name);
  return plain(out);
}

/** Export and parse back, as a real download and upload would. */
async function roundTrip(db: AppDb): Promise<WorkspaceBackup> {
  return parseBackupFile(stringifyBackup(await exportWorkspace(db, NOW)));
}

describe('workspace backup round trip', () => {
  it('restores every store exactly, weights bytes included, into another browser', async () => {
    const source = await workspaceDb();
    const backup = await roundTrip(source);
    expect(backup).toMatchObject({
      format: 'pocket-mlops-backup',
      version: 1,
      exportedAt: '2024-05-02T08:00:00.000Z',
      app: { schemaVersion: SCHEMA_VERSION },
    });
    expect(backupCounts(backup)).toEqual({
      lessonProgress: 2,
      exerciseEvents: 3,
      settings: 2,
      meta: 2,
      runs: 3,
      models: 2,
      modelVersions: 4,
      aliasEvents: 3,
      benchmarks: 0,
      simSessions: 1,
      drillAttempts: 1,
      lessonPacks: 1,
      classReports: 1,
    });

    const target = await openTestDb();
    await saveRun(target, run('other', 5)); // replaced, not merged
    await setSetting(target, 'theme', 'light');
    expect(await restoreWorkspace(target, backup)).toEqual(backupCounts(backup));
    expect(await dump(target)).toEqual(await dump(source));

    const r1 = await getRun(target, 'r1');
    expect(Object.prototype.toString.call(r1!.weights)).toBe('[object ArrayBuffer]');
    expect(Array.from(new Float32Array(r1!.weights!))).toEqual(
      Array.from(new Float32Array(WEIGHTS)),
    );
    expect(Object.is(new Float32Array(r1!.weights!)[4], -0)).toBe(true);
    expect(Array.from(new Uint8Array((await getRun(target, 'r2'))!.weights!))).toEqual([
      0, 1, 254, 255,
    ]);
    const r3 = await getRun(target, 'r3');
    expect(r3!.curves[0]).toEqual({
      epoch: 1,
      loss: NaN,
      valLoss: Infinity,
      acc: 0.1,
      valAcc: -Infinity,
    });
    expect(r3).not.toHaveProperty('weights');
    const evaluation = r1!.evaluation!;
    expect(evaluation.testIndices).toBeInstanceOf(Int32Array);
    expect(Array.from(evaluation.testIndices)).toEqual([4, 1]);
    expect(evaluation.testProbabilities).toBeInstanceOf(Float32Array);
    expect(Array.from(evaluation.testProbabilities)).toEqual(
      Array.from(new Float32Array([0.9, 0.1, 0.2, 0.8])),
    );
  });

  it('writes binary data as base64 with a type marker, and the file parses back to equal JSON', async () => {
    const text = stringifyBackup(await exportWorkspace(await workspaceDb(), NOW));
    const file = JSON.parse(text);
    expect(file.stores.runs[1].weights).toEqual({ $bytes: 'AAH+/w==', $type: 'ArrayBuffer' });
    expect(file.stores.runs[2].curves[0].loss).toEqual({ $number: 'NaN' });
    expect(stringifyBackup(await parseBackupFile(text))).toBe(text);
  });

  it('keeps typed arrays, "$" keys and nested binary in free-form values', async () => {
    const db = await openTestDb();
    const model = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4); // a view into a larger buffer
    const odd = { $bytes: 'not a marker', plain: [1, { $x: null }] };
    await setSetting(db, 'odd', odd);
    await setSetting(db, 'model', { bytes: model, scales: new Float32Array([0.5, 2]) });
    const target = await openTestDb();
    await restoreWorkspace(target, await roundTrip(db));
    expect((await target.get('settings', 'odd'))!.value).toEqual(odd);
    const back = (await target.get('settings', 'model'))!.value as Record<string, unknown>;
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.bytes as Uint8Array)).toEqual([8, 7, 6]);
    expect(back.scales).toBeInstanceOf(Float32Array);
    expect(Array.from(back.scales as Float32Array)).toEqual([0.5, 2]);
  });

  it('refuses to export a value JSON cannot carry, naming where it is', async () => {
    const db = await openTestDb();
    await setSetting(db, 'when', { at: new Date(0) });
    const error = await exportWorkspace(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      'Could not back up your workspace: stores.settings[0].value.at holds a Date, which a backup cannot hold',
    );
  });

  it('backs up an empty workspace', async () => {
    const backup = await roundTrip(await openTestDb());
    expect(Object.values(backupCounts(backup))).toEqual(BACKUP_STORES.map(() => 0));
  });

  it('has a section for every object store of the database', async () => {
    const db = await openTestDb();
    expect([...BACKUP_STORES].sort()).toEqual(Array.from(db.objectStoreNames).sort());
  });
});

describe('a failed restore changes nothing', () => {
  /** Lets `okWrites` puts through, then fails the next with a quota error. */
  function failAfter(okWrites: number) {
    let writes = 0;
    const original = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      if (++writes > okWrites) throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    });
  }

  it('a put failing midway (after stores were cleared) rolls back every store', async () => {
    const db = await workspaceDb();
    const before = await dump(db);
    const backup = await roundTrip(
      await openTestDb().then(async (other) => {
        await saveRun(other, run('new', 1));
        await setSetting(other, 'theme', 'light');
        return other;
      }),
    );
    failAfter(1); // the first store's record goes in, then the disk is "full"
    const error = await restoreWorkspace(db, backup).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      kind: 'quota',
      message: /^Storage is full: could not restore the backup/,
    });
    expect(await dump(db)).toEqual(before);
  });

  it('a record the database rejects (no key) rolls back the cleared stores', async () => {
    const db = await workspaceDb();
    const before = await dump(db);
    const backup = await roundTrip(db);
    const broken = {
      ...backup,
      stores: {
        ...backup.stores,
        runs: [backup.stores.runs[0], { ...backup.stores.runs[1], id: undefined }],
      },
    } as unknown as WorkspaceBackup;
    const error = await restoreWorkspace(db, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(await dump(db)).toEqual(before);
  });
});
