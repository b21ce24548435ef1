import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { simSessionRecord } from '../../../tests/fixtures/storage/v5-records';
import {
  deleteSimSession,
  getSimSession,
  latestSimSession,
  listSimSessions,
  MAX_SIM_SESSIONS,
  saveSimSession,
} from './sim-sessions';

const at = (id: string, updatedAt: number) => ({ ...simSessionRecord(), id, updatedAt });

describe('simulator sessions', () => {
  it('saves, lists newest first, reads the latest, replaces by id and deletes', async () => {
    const db = await openTestDb();
    expect(await latestSimSession(db)).toBeUndefined();
    await saveSimSession(db, at('a', 1000));
    await saveSimSession(db, at('b', 3000));
    await saveSimSession(db, at('c', 2000));
    expect((await listSimSessions(db)).sessions.map((s) => s.id)).toEqual(['b', 'c', 'a']);
    await saveSimSession(db, { ...at('a', 4000), requests: 5 });
    const latest = await latestSimSession(db);
    expect(latest?.id).toBe('a');
    expect(latest?.requests).toBe(5);
    expect(await getSimSession(db, 'c')).toEqual(at('c', 2000));
    await deleteSimSession(db, 'a');
    await deleteSimSession(db, 'missing');
    expect((await latestSimSession(db))?.id).toBe('b');
  });

  it('keeps only the newest sessions', async () => {
    const db = await openTestDb();
    for (let i = 0; i < MAX_SIM_SESSIONS + 3; i++) await saveSimSession(db, at(`s${i}`, 1000 + i));
    const { sessions } = await listSimSessions(db);
    expect(sessions.length).toBe(MAX_SIM_SESSIONS);
    expect(sessions.at(-1)?.id).toBe('s3');
  });

  it('refuses to save a malformed record, and leaves a damaged one out on read, naming it', async () => {
    const db = await openTestDb();
    const bad = { ...at('bad', 5000), windows: 'lots' } as unknown as ReturnType<typeof at>;
    await expect(saveSimSession(db, bad)).rejects.toThrow(/windows/);
    expect((await listSimSessions(db)).sessions).toEqual([]);
    await db.put('simSessions', bad); // written behind the module's back
    await saveSimSession(db, at('good', 1000));
    const list = await listSimSessions(db);
    expect(list.sessions.map((s) => s.id)).toEqual(['good']);
    expect(list.unreadable).toEqual([expect.stringMatching(/^bad: .*windows/)]);
    expect(await getSimSession(db, 'bad')).toBeUndefined();
    expect((await latestSimSession(db))?.id).toBe('good');
  });
});
