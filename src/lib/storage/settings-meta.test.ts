import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { getMeta, incrementMeta, setMeta } from './meta';
import { getSetting, setSetting } from './settings';

describe('settings', () => {
  it('returns the fallback until set, then the stored value', async () => {
    const db = await openTestDb();
    expect(await getSetting(db, 'theme', 'light')).toBe('light');
    await setSetting(db, 'theme', 'dark');
    expect(await getSetting(db, 'theme', 'light')).toBe('dark');
    await setSetting(db, 'batch', { max: 32, waitMs: 2 });
    expect(await getSetting(db, 'batch', { max: 1, waitMs: 0 })).toEqual({ max: 32, waitMs: 2 });
  });

  it('stores falsy values rather than falling back', async () => {
    const db = await openTestDb();
    await setSetting(db, 'sound', false);
    expect(await getSetting(db, 'sound', true)).toBe(false);
  });
});

describe('meta', () => {
  it('gets and sets typed values', async () => {
    const db = await openTestDb();
    expect(await getMeta(db, 'persistence')).toBeUndefined();
    await setMeta(db, 'persistence', { answer: 'granted', at: 5 });
    expect(await getMeta(db, 'persistence')).toEqual({ answer: 'granted', at: 5 });
  });

  it('increments counters from zero, atomically', async () => {
    const db = await openTestDb();
    expect(await incrementMeta(db, 'progressExports')).toBe(1);
    expect(await incrementMeta(db, 'progressExports', 2)).toBe(3);
    // Concurrent increments each see the previous one: read and write share a transaction.
    await Promise.all([1, 2, 3, 4].map(() => incrementMeta(db, 'progressExports')));
    expect(await getMeta(db, 'progressExports')).toBe(7);
  });
});
