import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { isQuotaError, StorageError, toStorageError } from './errors';
import { incrementMeta } from './meta';
import { getAllProgress, getExerciseEvents, recordExerciseEvent } from './progress';
import { listRuns, saveRun } from './runs';
import { setSetting } from './settings';

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('error mapping', () => {
  it('recognizes quota errors by name or legacy code', () => {
    expect(isQuotaError(quota())).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError(new DOMException('x', 'DataError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });

  it('gives quota errors the "Storage is full" message with a way out', () => {
    const e = toStorageError(quota(), 'save the run');
    expect(e).toBeInstanceOf(StorageError);
    expect(e.kind).toBe('quota');
    expect(e.message).toBe(
      'Storage is full: could not save the run (free space by deleting old runs or logs)',
    );
    expect(e.cause).toBeInstanceOf(DOMException);
  });

  it('maps version errors and closed connections to "version", anything else to "unknown"', () => {
    expect(toStorageError(new DOMException('x', 'VersionError'), 'open').kind).toBe('version');
    expect(toStorageError(new DOMException('closing', 'InvalidStateError'), 'read').kind).toBe(
      'version',
    );
    const e = toStorageError(new TypeError('bad'), 'read the run');
    expect(e).toMatchObject({ kind: 'unknown', message: 'Could not read the run: bad' });
    expect(toStorageError(e, 'other')).toBe(e); // already mapped: unchanged
  });
});

describe('a full disk during writes', () => {
  function fillDisk() {
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw quota();
    });
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw quota();
    });
  }

  it('saveRun rejects with a quota StorageError and stores nothing', async () => {
    const db = await openTestDb();
    fillDisk();
    const run = {
      id: 'r',
      createdAt: 1,
      datasetId: 'digits',
      seed: 1,
      splitSeed: 1,
      hyperparameters: {},
      fingerprint: 'f',
      backend: 'cpu',
      durationMs: 1,
      curves: [],
      status: 'completed' as const,
    };
    await expect(saveRun(db, run)).rejects.toMatchObject({
      kind: 'quota',
      message: /^Storage is full: could not save the run/,
    });
    vi.restoreAllMocks();
    expect(await listRuns(db)).toEqual([]);
  });

  it('multi-store writes roll back: recordExerciseEvent leaves neither store changed', async () => {
    const db = await openTestDb();
    // Let the event's add through, fail the lesson update that follows in the same transaction.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw quota();
    });
    await expect(
      recordExerciseEvent(db, { lessonId: 'l', exerciseId: 'e', kind: 'check', passed: true }),
    ).rejects.toMatchObject({ kind: 'quota' });
    vi.restoreAllMocks();
    expect(await getExerciseEvents(db)).toEqual([]);
    expect(await getAllProgress(db)).toEqual([]);
  });

  it('settings and meta writes map quota errors too', async () => {
    const db = await openTestDb();
    fillDisk();
    await expect(setSetting(db, 'k', 1)).rejects.toMatchObject({ kind: 'quota' });
    await expect(incrementMeta(db, 'progressExports')).rejects.toMatchObject({ kind: 'quota' });
  });
});
