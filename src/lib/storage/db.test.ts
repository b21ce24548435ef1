import { describe, expect, it } from 'vitest';
import { freshName, plain } from '../../../tests/fixtures/storage/helpers';
import { newVersion } from '../../../tests/fixtures/storage/registry';
import { createV1Db, frozenV1, layout, v1Fixture } from '../../../tests/fixtures/storage/v1-schema';
import { v2Records } from '../../../tests/fixtures/storage/v2-records';
import { V2_STORES, createV2Db, frozenUpToV2 } from '../../../tests/fixtures/storage/v2-schema';
import { benchRecord } from '../../../tests/fixtures/storage/benchmark';
import { v3Records } from '../../../tests/fixtures/storage/v3-records';
import {
  V3_KEYS,
  V3_STORES,
  createV3Db,
  frozenUpToV3,
} from '../../../tests/fixtures/storage/v3-schema';
import { deleteBenchmark, listBenchmarks, saveBenchmark } from './benchmarks';
import { deleteAppDb, openAppDb, openVersionedDb } from './db';
import { StorageError } from './errors';
import { getAllProgress, getExerciseEvents } from './progress';
import { listModels, registerVersion } from './registry';
import { aliasHistory, setAlias } from './registry-aliases';
import { SCHEMA_VERSION, migrations, type Migration } from './schema';

describe('schema', () => {
  it('ships one migration per version', () => {
    expect(migrations.length).toBe(SCHEMA_VERSION + 1);
  });

  it('migrations[1] still builds exactly the frozen v1 layout', async () => {
    const shipped = await openVersionedDb(freshName(), 1, migrations.slice(0, 2));
    const frozen = await openVersionedDb(freshName(), 1, [() => {}, frozenV1]);
    expect(layout(shipped)).toEqual(layout(frozen));
    shipped.close();
    frozen.close();
  });

  it('migrations[2] still builds exactly the frozen v2 layout', async () => {
    const shipped = await openVersionedDb(freshName(), 2, migrations.slice(0, 3));
    const frozen = await openVersionedDb(freshName(), 2, frozenUpToV2);
    expect(layout(shipped)).toEqual(layout(frozen));
    shipped.close();
    frozen.close();
  });

  it('migrations[3] still builds exactly the frozen v3 layout', async () => {
    const shipped = await openVersionedDb(freshName(), 3, migrations.slice(0, 4));
    const frozen = await openVersionedDb(freshName(), 3, frozenUpToV3);
    expect(layout(shipped)).toEqual(layout(frozen));
    shipped.close();
    frozen.close();
  });

  it('a new database gets every store at the current version', async () => {
    const db = await openAppDb({ name: freshName() });
    expect(db.version).toBe(SCHEMA_VERSION);
    expect(Array.from(db.objectStoreNames).sort()).toEqual(
      [
        'aliasEvents',
        'benchmarks',
        'classReports',
        'drillAttempts',
        'exerciseEvents',
        'lessonPacks',
        'lessonProgress',
        'meta',
        'modelVersions',
        'models',
        'runs',
        'settings',
        'simSessions',
      ].sort(),
    );
    const runs = db.transaction('runs').store;
    expect(Array.from(runs.indexNames).sort()).toEqual(['byCreatedAt', 'byDataset']);
    const registry = layout(db as never) as Record<string, unknown>;
    expect(registry.models).toEqual({ keyPath: 'name', autoIncrement: false, indexes: {} });
    const byModel = { byModel: { keyPath: 'modelName', unique: false, multiEntry: false } };
    expect(registry.modelVersions).toEqual({
      keyPath: 'id',
      autoIncrement: false,
      indexes: byModel,
    });
    expect(registry.aliasEvents).toEqual({ keyPath: 'seq', autoIncrement: true, indexes: byModel });
    expect(registry.benchmarks).toEqual({
      keyPath: 'id',
      autoIncrement: false,
      indexes: { byCreatedAt: { keyPath: 'createdAt', unique: false, multiEntry: false } },
    });
    db.close();
  });
});

/** Records sorted by their key field, as `getAll` returns them. */
function byKey<T extends object>(records: T[], key: keyof T): T[] {
  return [...records].sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
}

const V2_KEYS = {
  lessonProgress: 'lessonId',
  exerciseEvents: 'seq',
  settings: 'key',
  meta: 'key',
  runs: 'id',
} as const;

/** Registers a version and points an alias at it: the registry works after an upgrade. */
async function registryWorks(db: Awaited<ReturnType<typeof openAppDb>>): Promise<void> {
  expect(await listModels(db)).toEqual([]);
  const v = await registerVersion(db, newVersion());
  expect(v.version).toBe(1);
  await setAlias(db, {
    modelName: v.modelName,
    alias: 'champion',
    version: 1,
    reason: '',
    actor: 'learner',
  });
  expect((await aliasHistory(db, v.modelName))[0].seq).toBe(1);
}

describe('migration from v2', () => {
  it('keeps every record of every v2 store, binary fields included, and adds the registry', async () => {
    const name = freshName();
    (await createV2Db(name)).close();

    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    const expected = v2Records();
    for (const store of V2_STORES) {
      const records = await db.getAll(store);
      const want = byKey(expected[store] as Record<string, unknown>[], V2_KEYS[store]);
      expect(plain(records), store).toEqual(plain(want));
    }
    const run = await db.get('runs', 'run-1714637000000-a1');
    expect(run!.weights).toBeInstanceOf(ArrayBuffer);
    expect(run!.evaluation!.testProbabilities).toBeInstanceOf(Float32Array);
    expect(Object.is(new Float32Array(run!.weights!)[4], -0)).toBe(true);
    expect(Number.isNaN((await db.get('runs', 'run-1714638000000-b2'))!.curves[0].loss)).toBe(true);
    // The event key generator survived: a new event continues after seq 4.
    const seq = await db.add('exerciseEvents', {
      lessonId: 'x',
      exerciseId: 'y',
      kind: 'hint',
      at: 1,
    } as never);
    expect(seq).toBe(5);
    await registryWorks(db);
    db.close();
  });

  it('a failing v3 migration leaves the v2 database exactly as it was', async () => {
    const name = freshName();
    (await createV2Db(name)).close();
    const boom: Migration = async (db, tx) => {
      await migrations[3](db, tx);
      throw new Error('boom');
    };
    const error = await openVersionedDb(name, 3, [...migrations.slice(0, 3), boom]).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'version', message: /from version 2 to 3 \(boom\)/ });
    const v2 = await openVersionedDb(name, 2, frozenUpToV2);
    expect(Array.from(v2.objectStoreNames).sort()).toEqual([...V2_STORES].sort());
    expect(plain(await v2.getAll('runs'))).toEqual(plain(byKey(v2Records().runs, 'id')));
    v2.close();
  });
});

/** Saves, lists and deletes benchmark records: the benchmarks store works after an upgrade. */
async function benchmarksWork(db: Awaited<ReturnType<typeof openAppDb>>): Promise<void> {
  expect(await listBenchmarks(db)).toEqual([]);
  await saveBenchmark(db, benchRecord('b-old', 1));
  await saveBenchmark(db, benchRecord('b-new', 2));
  expect((await listBenchmarks(db)).map((b) => b.id)).toEqual(['b-new', 'b-old']);
  await deleteBenchmark(db, 'b-old');
  expect((await listBenchmarks(db)).map((b) => b.id)).toEqual(['b-new']);
}

describe('migration from v3', () => {
  it('keeps every record of every v3 store, model bytes included, and adds the benchmarks', async () => {
    const name = freshName();
    (await createV3Db(name)).close();

    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    const expected = v3Records();
    for (const store of V3_STORES) {
      const records = await db.getAll(store);
      const want = byKey(expected[store] as Record<string, unknown>[], V3_KEYS[store]);
      expect(records.length, store).toBeGreaterThan(0);
      expect(plain(records), store).toEqual(plain(want));
    }
    const v1 = await db.get('modelVersions', 'digits-classifier@v1');
    expect(v1!.bytes).toBeInstanceOf(Uint8Array);
    expect(v1!.bytes.byteLength).toBe(48);
    expect((await db.get('models', 'digits-classifier'))!.aliases).toEqual({
      champion: 2,
      challenger: 3,
    });
    // The alias log's key generator survived: a new move continues after seq 3.
    await setAlias(db, {
      modelName: 'digits-classifier',
      alias: 'champion',
      version: 1,
      reason: 'rollback',
      actor: 'learner',
    });
    expect((await aliasHistory(db, 'digits-classifier'))[0].seq).toBe(4);
    await benchmarksWork(db);
    db.close();
  });

  it('a failing v4 migration leaves the v3 database exactly as it was', async () => {
    const name = freshName();
    (await createV3Db(name)).close();
    const boom: Migration = async (db, tx) => {
      await migrations[4](db, tx);
      throw new Error('boom');
    };
    const error = await openVersionedDb(name, 4, [...migrations.slice(0, 4), boom]).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'version', message: /from version 3 to 4 \(boom\)/ });
    const v3 = await openVersionedDb(name, 3, frozenUpToV3);
    expect(Array.from(v3.objectStoreNames).sort()).toEqual([...V3_STORES].sort());
    expect(plain(await v3.getAll('modelVersions'))).toEqual(
      plain(byKey(v3Records().modelVersions, 'id')),
    );
    v3.close();
  });
});

describe('migration from v2 to the current version', () => {
  it('adds the benchmarks store, empty and working', async () => {
    const name = freshName();
    (await createV2Db(name)).close();
    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    await benchmarksWork(db);
    db.close();
  });
});

describe('migration from v1 all the way', () => {
  it('keeps every v1 record, fills attempts, and adds the v2 and v3 stores', async () => {
    const name = freshName();
    (await createV1Db(name)).close();
    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    const attempts = v1Fixture.expectedAfterV2.attempts as Record<string, number>;
    expect(await getAllProgress(db)).toEqual(
      v1Fixture.lessonProgress.map((l) => ({ ...l, attempts: attempts[l.lessonId] })),
    );
    expect(await getExerciseEvents(db)).toEqual(v1Fixture.exerciseEvents);
    for (const store of ['settings', 'meta', 'runs', 'benchmarks'] as const)
      expect(await db.getAll(store)).toEqual([]);
    await registryWorks(db);
    db.close();
  });
});

describe('migration from v1', () => {
  it('keeps every v1 record and fills attempts with the number of check events', async () => {
    const name = freshName();
    (await createV1Db(name)).close();

    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    const lessons = await getAllProgress(db);
    const expected = v1Fixture.expectedAfterV2.attempts as Record<string, number>;
    expect(lessons).toEqual(
      v1Fixture.lessonProgress.map((l) => ({ ...l, attempts: expected[l.lessonId] })),
    );
    expect(await getExerciseEvents(db)).toEqual(v1Fixture.exerciseEvents);
    // The autoIncrement key generator survived too: a new event continues after seq 7.
    const seq = await db.add('exerciseEvents', {
      lessonId: 'x',
      exerciseId: 'y',
      kind: 'hint',
      at: 1,
    } as never);
    expect(seq).toBe(8);
    db.close();
  });

  it('a failing migration changes nothing and reports a version error', async () => {
    const name = freshName();
    (await createV1Db(name)).close();
    const boom: Migration = async (db, tx) => {
      await migrations[2](db, tx); // do real work first, so there is something to roll back
      throw new Error('boom');
    };
    const error = await openVersionedDb(name, 2, [migrations[0], migrations[1], boom]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ kind: 'version' });
    expect((error as Error).message).toMatch(/from version 1 to 2 \(boom\); nothing was changed/);

    const v1 = await openVersionedDb(name, 1, [() => {}, frozenV1]);
    expect(v1.version).toBe(1);
    expect(Array.from(v1.objectStoreNames).sort()).toEqual(['exerciseEvents', 'lessonProgress']);
    expect(await v1.getAll('lessonProgress')).toEqual(v1Fixture.lessonProgress);
    v1.close();
  });

  it('a database from a newer app version is refused with a version error', async () => {
    const name = freshName();
    (await openVersionedDb(name, SCHEMA_VERSION + 1, [...migrations, () => {}])).close();
    await expect(openAppDb({ name })).rejects.toMatchObject({
      kind: 'version',
      message: /newer version/,
    });
  });
});

describe('other tabs', () => {
  it('calls onBlocked while another tab holds v1 open, then upgrades once it closes', async () => {
    const name = freshName();
    const oldTab = await createV1Db(name); // an old tab that ignores versionchange
    let blocked: StorageError | undefined;
    const opening = openAppDb({ name, onBlocked: (e) => (blocked = e) });
    await expect.poll(() => blocked).toBeDefined();
    expect(blocked).toMatchObject({ kind: 'blocked', message: /close other tabs/ });
    oldTab.close();
    const db = await opening;
    expect(db.version).toBe(SCHEMA_VERSION);
    expect((await getAllProgress(db)).map((l) => l.attempts)).toEqual([3, 1, 0]);
    db.close();
  });

  it('closes this connection and calls onVersionChange when another tab upgrades', async () => {
    const name = freshName();
    let changed: StorageError | undefined;
    let blocked = false;
    const thisTab = await openAppDb({ name, onVersionChange: (e) => (changed = e) });
    const newerTab = await openVersionedDb(name, SCHEMA_VERSION + 1, [...migrations, () => {}], {
      onBlocked: () => (blocked = true),
    });
    expect(newerTab.version).toBe(SCHEMA_VERSION + 1);
    expect(blocked).toBe(false);
    expect(changed).toMatchObject({ kind: 'version', message: /reload to continue/ });
    await expect(getAllProgress(thisTab)).rejects.toMatchObject({ kind: 'version' });
    newerTab.close();
  });

  it('deleteAppDb resets the database, closing other connections', async () => {
    const name = freshName();
    let changed = false;
    const db = await openAppDb({ name, onVersionChange: () => (changed = true) });
    await db.put('settings', { key: 'theme', value: 'dark' });
    await deleteAppDb({ name });
    expect(changed).toBe(true);
    const again = await openAppDb({ name });
    expect(await again.getAll('settings')).toEqual([]);
    again.close();
  });
});
