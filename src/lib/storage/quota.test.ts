import { describe, expect, it, vi } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { getMeta } from './meta';
import { requestPersistence, storageEstimate, type StorageManagerLike } from './quota';

describe('storageEstimate', () => {
  it('reports usage and quota in bytes', async () => {
    const storage: StorageManagerLike = {
      estimate: async () => ({ usage: 1024, quota: 10_000_000 }),
    };
    expect(await storageEstimate(storage)).toEqual({ usageBytes: 1024, quotaBytes: 10_000_000 });
  });

  it('is null where the API is missing, incomplete or failing', async () => {
    expect(await storageEstimate(undefined)).toBeNull();
    expect(await storageEstimate({})).toBeNull();
    expect(await storageEstimate({ estimate: async () => ({}) })).toBeNull();
    expect(await storageEstimate({ estimate: () => Promise.reject(new Error('no')) })).toBeNull();
  });

  it('works with the real globals of this environment (no navigator.storage in Node)', async () => {
    expect(await storageEstimate()).toBeNull();
  });
});

describe('requestPersistence', () => {
  it('does not prompt again when already persisted, and records the answer', async () => {
    const db = await openTestDb();
    const persist = vi.fn(async () => false);
    const answer = await requestPersistence(db, {
      storage: { persisted: async () => true, persist },
      now: () => 42,
    });
    expect(answer).toBe('granted');
    expect(persist).not.toHaveBeenCalled();
    expect(await getMeta(db, 'persistence')).toEqual({ answer: 'granted', at: 42 });
  });

  it('asks with persist() when not yet persisted', async () => {
    const db = await openTestDb();
    const storage = { persisted: async () => false, persist: async () => true };
    expect(await requestPersistence(db, { storage })).toBe('granted');
    const denied = { persisted: async () => false, persist: async () => false };
    expect(await requestPersistence(db, { storage: denied, now: () => 7 })).toBe('denied');
    expect(await getMeta(db, 'persistence')).toEqual({ answer: 'denied', at: 7 });
  });

  it('is "unsupported", without throwing, where navigator.storage is missing', async () => {
    const db = await openTestDb();
    expect(await requestPersistence(db, { storage: undefined, now: () => 1 })).toBe('unsupported');
    expect(await requestPersistence(db)).toBe('unsupported'); // Node has no navigator.storage
    expect((await getMeta(db, 'persistence'))?.answer).toBe('unsupported');
  });

  it('is "denied" when the browser call fails', async () => {
    const db = await openTestDb();
    const storage = { persist: () => Promise.reject(new Error('not allowed')) };
    expect(await requestPersistence(db, { storage })).toBe('denied');
  });
});
