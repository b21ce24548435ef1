import { afterEach, describe, expect, it, vi } from 'vitest';
import { fillV5Stores } from '../../../tests/fixtures/storage/v5-records';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { learnerDb, T0 } from '../../../tests/fixtures/storage/learner';
import { addRegistry } from '../../../tests/fixtures/storage/registry';
import { BACKUP_STORES } from './backup-schema';
import {
  backupCounts,
  exportWorkspace,
  parseBackupFile,
  restoreWorkspace,
  stringifyBackup,
  type WorkspaceBackup,
} from './backup';
import { canonicalJson, sha256Hex } from './canonical';
import type { AppDb } from './db';
import { ImportError, StorageError } from './errors';
import { setMeta, incrementMeta } from './meta';
import type { RunRecord } from './records';
import { getRun, saveRun } from './runs';
import { SCHEMA_VERSION } from './schema';
import { setSetting } from './settings';

afterEach(() => {
  vi.restoreAllMocks();
});

const WEIGHTS = [0.5, -1.25, 3, Math.PI, -0];

function run(id: string, createdAt: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    createdAt,
    finishedAt: createdAt + 1500,
    datasetId: 'digits',
    seed: 1,
    splitSeed: 2,
    hyperparameters: { hidden: [64], lr: 0.01 },
    fingerprint: 'abc123',
    backend: 'wasm',
    durationMs: 1500,
    curves: [
      { epoch: 1, loss: 1.2, valLoss: 1.3, acc: 0.6, valAcc: 0.55 },
      { epoch: 2, loss: 0.4, valLoss: 0.5, acc: 0.9, valAcc: 0.88 },
    ],
    metrics: {
      testAccuracy: 0.97,
      validationAccuracy: 0.96,
      bestEpoch: 2,
      epochsRun: 2,
      stoppedEarly: false,
    },
    weights: new Float32Array(WEIGHTS).buffer,
    evaluation: {
      nClasses: 2,
      testIndices: new Int32Array([4, 1]),
      testLabels: new Int32Array([0, 1]),
      testProbabilities: new Float32Array([0.9, 0.1, 0.2, 0.8]),
      validationLabels: new Int32Array([1]),
      validationProbabilities: new Float32Array([0.3, 0.7]),
    },
    threshold: 0.42,
    status: 'completed',
    ...extra,
  };
}

/** A learner's workspace: progress and events (learnerDb), settings, meta, three runs, a registry. */
async function workspaceDb(): Promise<AppDb> {
  const db = await learnerDb();
  await setSetting(db, 'theme', 'dark');
  await setSetting(db, 'serving', { maxBatch: 32, runtimes: ['wasm', 'ts'] });
  await incrementMeta(db, 'progressExports', 3);
  await setMeta(db, 'persistence', { answer: 'granted', at: T0 });
  await saveRun(db, run('r1', T0 + 10));
  await saveRun(db, run('r2', T0 + 20, { weights: new Uint8Array([0, 1, 254, 255]).buffer }));
  await saveRun(
    db,
    run('r3', T0 + 30, {
      status: 'failed',
      failureReason: 'NaN loss',
      weights: undefined,
      finishedAt: undefined,
      curves: [{ epoch: 1, loss: NaN, valLoss: Infinity, acc: 0.1, valAcc: -Infinity }],
    }),
  );
  await addRegistry(db);
  await fillV5Stores(db);
  return db;
}

/** Every record of every store, read straight from the database (binary made comparable). */
async function dump(db: AppDb): Promise<unknown> {
  const out: Record<string, unknown[]> = {};
  for (const name of BACKUP_STORES) out[name] = await db.getAll(name);
  return plain(out);
}

const NOW = () => T0 + 86_400_000;

/** Export and parse back, as a real download and upload would. */
async function roundTrip(db: AppDb): Promise<WorkspaceBackup> {
  return parseBackupFile(stringifyBackup(await exportWorkspace(db, NOW)));
}

/** The file's JSON value, to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
async function fileJson(): Promise<Record<string, any>> {
  return JSON.parse(stringifyBackup(await exportWorkspace(await workspaceDb(), NOW)));
}

/** Text of `file` with its checksum recomputed, so only the intended fault remains. */
async function resigned(file: Record<string, unknown>): Promise<string> {
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

async function importError(text: string, opts?: { maxBytes?: number }): Promise<ImportError> {
  const error = await parseBackupFile(text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
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

describe('parseBackupFile refuses a bad file', () => {
  it('an empty file', async () => {
    expect((await importError('')).message).toBe('the file is empty');
    expect((await importError(' \n ')).message).toMatch(/empty/);
  });

  it('a file over the size limit, without parsing it', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(
      (await importError('x'.repeat(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 })).message,
    ).toBe('file is 3.0 MB; the limit is 2 MB');
    expect(parse).not.toHaveBeenCalled();
  });

  it('a file that is not JSON, or was cut off', async () => {
    expect((await importError('hello')).message).toMatch(/^the file is not valid JSON/);
    const text = stringifyBackup(await exportWorkspace(await workspaceDb(), NOW));
    expect((await importError(text.slice(0, text.length / 2))).message).toMatch(
      /^the file looks truncated/,
    );
  });

  it('another kind of file', async () => {
    expect((await importError('[1, 2]')).message).toMatch(/not a Pocket MLOps backup/);
    expect((await importError('{"a": 1}')).message).toBe(
      'format: this is not a Pocket MLOps backup (no "format" field; expected "pocket-mlops-backup")',
    );
    const progress = await importError('{"format": "pocket-mlops-progress", "version": 1}');
    expect(progress.message).toMatch(/it is a progress file: use "Import a progress file"/);
  });

  it('an unsupported format version', async () => {
    const file = await fileJson();
    const error = await importError(await resigned({ ...file, version: 2 }));
    expect(error.path).toBe('version');
    expect(error.message).toMatch(/unsupported backup version 2.*update the app/);
  });

  it('a backup from a newer schema version, telling to update the app', async () => {
    const file = await fileJson();
    const error = await importError(
      await resigned({ ...file, app: { schemaVersion: SCHEMA_VERSION + 1 } }),
    );
    expect(error.path).toBe('app.schemaVersion');
    expect(error.message).toMatch(/newer version of Pocket MLOps.*update the app/);
  });

  it('a backup from an older schema version than backups exist for', async () => {
    const file = await fileJson();
    const error = await importError(await resigned({ ...file, app: { schemaVersion: 1 } }));
    expect(error.message).toBe(
      `app.schemaVersion: this backup claims data version 1, but Pocket MLOps has written backups only since data version 2; this app restores data versions 2 to ${SCHEMA_VERSION}`,
    );
  });

  it('an unknown or a missing store', async () => {
    const file = await fileJson();
    const unknown = await importError(
      await resigned({ ...file, stores: { ...file.stores, predictions: [] } }),
    );
    expect(unknown.message).toMatch(
      /^stores\.predictions: unknown store \(this app has lessonProgress, .*, aliasEvents, benchmarks, simSessions, drillAttempts, lessonPacks, classReports\)$/,
    );
    const { runs: _runs, ...noRuns } = file.stores;
    expect((await importError(await resigned({ ...file, stores: noRuns }))).message).toBe(
      'stores.runs: missing',
    );
  });

  it('a record of the wrong shape, naming its path', async () => {
    const file = await fileJson();
    file.stores.runs[2].createdAt = 'yesterday';
    expect((await importError(await resigned(file))).message).toBe(
      'stores.runs[2].createdAt: expected a number',
    );
    const file2 = await fileJson();
    file2.stores.lessonProgress[1].status = 'done';
    expect((await importError(await resigned(file2))).path).toBe('stores.lessonProgress[1].status');
    const file3 = await fileJson();
    file3.stores.runs[0].weights = [1, 2, 3];
    expect((await importError(await resigned(file3))).path).toBe('stores.runs[0].weights');
  });

  it('two records with one key', async () => {
    const file = await fileJson();
    file.stores.exerciseEvents[2].seq = file.stores.exerciseEvents[0].seq;
    expect((await importError(await resigned(file))).message).toBe(
      'stores.exerciseEvents[2].seq: duplicate 1 (also at stores.exerciseEvents[0])',
    );
  });

  it('broken binary or number markers', async () => {
    const file = await fileJson();
    file.stores.runs[0].weights.$bytes = 'abc!';
    expect((await importError(await resigned(file))).path).toBe('stores.runs[0].weights.$bytes');
    const file2 = await fileJson();
    file2.stores.runs[0].weights.$type = 'Blob';
    expect((await importError(await resigned(file2))).message).toMatch(
      /^stores\.runs\[0\]\.weights: expected "\$type"/,
    );
    const file3 = await fileJson();
    file3.stores.runs[2].curves[0].loss = { $number: 'lots' };
    expect((await importError(await resigned(file3))).path).toBe(
      'stores.runs[2].curves[0].loss.$number',
    );
    const file4 = await fileJson();
    file4.stores.settings[0].value = { $date: 0 };
    expect((await importError(await resigned(file4))).message).toBe(
      'stores.settings[0].value: unknown marker "$date"',
    );
  });

  it('a file changed after export (checksum mismatch)', async () => {
    const file = await fileJson();
    file.stores.lessonProgress[0].attempts = 99;
    const error = await importError(JSON.stringify(file));
    expect(error.path).toBe('checksum');
    expect(error.message).toMatch(/checksum mismatch/);
    expect((await importError(JSON.stringify({ ...file, checksum: 'abc' }))).path).toBe('checksum');
  });

  it('an unexpected top-level field', async () => {
    const file = await fileJson();
    expect((await importError(await resigned({ ...file, extra: 1 }))).message).toBe(
      'extra: unexpected field',
    );
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
