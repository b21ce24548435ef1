/**
 * Imported lesson packs. A pack is one record, validated by the state layer
 * (state/lesson-packs-file.ts) before it gets here, so saving is all-or-nothing by construction.
 */
import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { LessonPackRecord } from './v5-records';
import { writeTx } from './tx';

/** Every installed pack, by id. */
export function listLessonPacks(db: AppDb): Promise<LessonPackRecord[]> {
  return withStorageErrors('read your lesson packs', () => db.getAll('lessonPacks'));
}

/** One pack, or undefined when it is not installed. */
export function getLessonPack(db: AppDb, id: string): Promise<LessonPackRecord | undefined> {
  return withStorageErrors('read the lesson pack', () => db.get('lessonPacks', id));
}

/**
 * Saves a validated pack in one transaction, replacing a pack with the same id.
 * @returns whether a pack with this id was replaced.
 */
export function saveLessonPack(db: AppDb, pack: LessonPackRecord): Promise<boolean> {
  return writeTx(db, ['lessonPacks'], 'save the lesson pack', async (tx) => {
    const store = tx.objectStore('lessonPacks');
    const replaced = (await store.get(pack.id)) !== undefined;
    await store.put(pack);
    return replaced;
  });
}

/** Removes a pack. Progress on its exercises stays (ids are stable), as for built-in lessons. */
export function deleteLessonPack(db: AppDb, id: string): Promise<void> {
  return writeTx(db, ['lessonPacks'], 'remove the lesson pack', async (tx) => {
    await tx.objectStore('lessonPacks').delete(id);
  });
}
