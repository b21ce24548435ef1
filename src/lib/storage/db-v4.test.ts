import { describe, expect, it } from 'vitest';
import { freshName, plain } from '../../../tests/fixtures/storage/helpers';
import { layout } from '../../../tests/fixtures/storage/v1-schema';
import { V4_STORES, createV4Db, frozenUpToV4 } from '../../../tests/fixtures/storage/v4-schema';
import {
  classReportRecord,
  drillAttemptRecord,
  lessonPackRecord,
  simSessionRecord,
} from '../../../tests/fixtures/storage/v5-records';
import { openAppDb, openVersionedDb } from './db';
import { SCHEMA_VERSION, migrations, type Migration } from './schema';

/** Every record of the v4 stores, read straight from the database. */
async function v4Dump(db: { getAll(store: string): Promise<unknown[]> }): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const store of V4_STORES) out[store] = plain(await db.getAll(store));
  return out;
}

describe('schema v4 and the migration to v5', () => {
  it('migrations[4] still builds exactly the frozen v4 layout', async () => {
    const shipped = await openVersionedDb(freshName(), 4, migrations.slice(0, 5));
    const frozen = await openVersionedDb(freshName(), 4, frozenUpToV4);
    expect(layout(shipped)).toEqual(layout(frozen));
    shipped.close();
    frozen.close();
  });

  it('keeps every record of every v4 store and adds the four v5 stores, empty and working', async () => {
    const name = freshName();
    const v4 = await createV4Db(name);
    const before = await v4Dump(v4);
    v4.close();

    const db = await openAppDb({ name });
    expect(db.version).toBe(SCHEMA_VERSION);
    expect(await v4Dump(db as never)).toEqual(before);
    expect((await db.getAll('benchmarks')).length).toBe(2);
    for (const store of ['simSessions', 'drillAttempts', 'lessonPacks', 'classReports'] as const)
      expect(await db.count(store), store).toBe(0);

    await db.put('simSessions', simSessionRecord());
    await db.put('drillAttempts', drillAttemptRecord());
    await db.put('lessonPacks', lessonPackRecord());
    await db.put('classReports', classReportRecord());
    const latest = await db.getAllFromIndex('simSessions', 'byUpdatedAt');
    expect(latest.map((s) => s.id)).toEqual([simSessionRecord().id]);
    const attempts = await db.getAllFromIndex('drillAttempts', 'byDrill', 'design-fraud-100ms');
    expect(attempts).toEqual([drillAttemptRecord()]);
    expect(await db.get('lessonPacks', 'pack-week-3')).toEqual(lessonPackRecord());
    expect(await db.get('classReports', classReportRecord().id)).toEqual(classReportRecord());
    db.close();
  });

  it('a failing v5 migration leaves the v4 database exactly as it was', async () => {
    const name = freshName();
    const v4 = await createV4Db(name);
    const before = await v4Dump(v4);
    v4.close();
    const boom: Migration = async (db, tx) => {
      await migrations[5](db, tx);
      throw new Error('boom');
    };
    const error = await openVersionedDb(name, 5, [...migrations.slice(0, 5), boom]).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'version', message: /from version 4 to 5 \(boom\)/ });
    const again = await openVersionedDb(name, 4, frozenUpToV4);
    expect(Array.from(again.objectStoreNames).sort()).toEqual([...V4_STORES].sort());
    expect(await v4Dump(again)).toEqual(before);
    again.close();
  });
});
