import { afterEach, describe, expect, it, vi } from 'vitest';
import { learnerDb, roundTrip, snapshot, T0 } from '../../../tests/fixtures/storage/learner';
import { StorageError } from './errors';
import type { ProgressFile } from './progress-file';
import { importProgress } from './transfer';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a failed import changes nothing', () => {
  /** Lets `okWrites` puts/adds through, then fails the next with a quota error. */
  function failAfter(okWrites: number) {
    let writes = 0;
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method];
      vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (
        this: IDBObjectStore,
        ...args
      ) {
        if (++writes > okWrites) throw new DOMException('full', 'QuotaExceededError');
        return original.apply(this, args);
      });
    }
  }

  for (const mode of ['replace', 'merge'] as const) {
    it(`${mode}: a write failing midway rolls back both stores`, async () => {
      const db = await learnerDb();
      const before = await snapshot(db);
      const file = await roundTrip(await learnerDb(T0 + 99_000_000));
      failAfter(2); // after the stores were cleared (replace) and two events written
      const error = await importProgress(db, file, mode).catch((e: unknown) => e);
      vi.restoreAllMocks();
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({
        kind: 'quota',
        message: /^Storage is full: could not import the progress file/,
      });
      expect(await snapshot(db)).toEqual(before);
    });
  }

  it('replace: a record the database rejects (no key) rolls back the cleared stores', async () => {
    const db = await learnerDb();
    const before = await snapshot(db);
    const file = await roundTrip(db);
    const broken = {
      ...file,
      lessonProgress: [file.lessonProgress[0], { ...file.lessonProgress[1], lessonId: undefined }],
    };
    const error = await importProgress(db, broken as unknown as ProgressFile, 'replace').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(await snapshot(db)).toEqual(before);
  });
});
