import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { REGISTRY_T0, addRegistry, newVersion } from '../../../tests/fixtures/storage/registry';
import type { AppDb } from './db';
import { RegistryError, StorageError } from './errors';
import { deleteVersion, getModel, registerVersion } from './registry';
import {
  aliasHistory,
  previousAliasTarget,
  removeAlias,
  resolveAlias,
  setAlias,
  type SetAliasRequest,
} from './registry-aliases';

afterEach(() => {
  vi.restoreAllMocks();
});

const MODEL = 'digits-classifier';

/** A model with versions 1, 2 and 3 and no aliases. */
async function threeVersions(): Promise<AppDb> {
  const db = await openTestDb();
  for (let i = 0; i < 3; i++) await registerVersion(db, newVersion(), () => REGISTRY_T0);
  return db;
}

function point(alias: string, version: number, extra: Partial<SetAliasRequest> = {}) {
  return {
    modelName: MODEL,
    alias,
    version,
    reason: 'why not',
    actor: 'learner',
    ...extra,
  } as const;
}

async function refusal(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe('setAlias', () => {
  it('points the alias and logs each move with from, to, time, reason and actor', async () => {
    const db = await threeVersions();
    const first = await setAlias(db, point('champion', 1, { reason: 'first model' }), () => 100);
    expect(first).toEqual({
      seq: 1,
      modelName: MODEL,
      alias: 'champion',
      fromVersion: null,
      toVersion: 1,
      at: 100,
      reason: 'first model',
      actor: 'learner',
    });
    await setAlias(
      db,
      point('champion', 2, { reason: 'won the A/B test (p = 0.01)', actor: 'policy' }),
      () => 200,
    );
    await setAlias(db, point('challenger', 3), () => 300);
    expect((await getModel(db, MODEL))!.aliases).toEqual({ champion: 2, challenger: 3 });
    expect(await aliasHistory(db, MODEL)).toEqual([
      { ...first, seq: 3, alias: 'challenger', toVersion: 3, at: 300, reason: 'why not' },
      {
        seq: 2,
        modelName: MODEL,
        alias: 'champion',
        fromVersion: 1,
        toVersion: 2,
        at: 200,
        reason: 'won the A/B test (p = 0.01)',
        actor: 'policy',
      },
      first,
    ]);
    expect(await aliasHistory(db, 'nope')).toEqual([]);
  });

  it('refuses, with a message and without writing, what it cannot do', async () => {
    const db = await threeVersions();
    await setAlias(db, point('champion', 2));
    const before = plain([await getModel(db, MODEL), await aliasHistory(db, MODEL)]);
    const cases: [() => Promise<unknown>, string, string][] = [
      [
        () => setAlias(db, point('champion', 2)),
        'unchanged',
        '"champion" already points at version 2 of digits-classifier: nothing to change',
      ],
      [() => setAlias(db, point('champion', 7)), 'not-found', 'digits-classifier has no version 7'],
      [
        () => setAlias(db, { ...point('champion', 1), modelName: 'nope' }),
        'not-found',
        'There is no model named "nope"',
      ],
      [
        () => setAlias(db, point('Champion!', 1)),
        'invalid',
        'The alias "Champion!" is not valid: use 1 to 64 lowercase letters, digits and single hyphens (kebab-case), e.g. "champion"',
      ],
      [
        () => setAlias(db, point('champion', 1.5)),
        'invalid',
        'Version 1.5 is not a version number (1, 2, ...)',
      ],
      [
        () => setAlias(db, point('champion', 1, { actor: 'cron' as never })),
        'invalid',
        'Unknown actor "cron": use "learner" or "policy"',
      ],
      [
        () =>
          removeAlias(db, { modelName: MODEL, alias: 'challenger', reason: '', actor: 'learner' }),
        'not-found',
        'digits-classifier has no alias "challenger"',
      ],
    ];
    for (const [attempt, code, message] of cases) {
      expect(await refusal(attempt())).toMatchObject({ code, message });
    }
    expect(plain([await getModel(db, MODEL), await aliasHistory(db, MODEL)])).toEqual(before);
  });

  it('treats an alias named like an Object method as any other', async () => {
    const db = await threeVersions();
    expect(await resolveAlias(db, MODEL, 'constructor')).toBeUndefined();
    expect(await previousAliasTarget(db, MODEL, 'constructor')).toBeUndefined();
    const event = await setAlias(db, point('constructor', 1));
    expect(event.fromVersion).toBeNull();
    expect((await resolveAlias(db, MODEL, 'constructor'))!.version).toBe(1);
  });

  it('a failing event write leaves the alias where it was', async () => {
    const db = await threeVersions();
    await setAlias(db, point('champion', 1));
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const error = await setAlias(db, point('champion', 2)).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ kind: 'quota', message: /could not move the alias/ });
    expect((await getModel(db, MODEL))!.aliases).toEqual({ champion: 1 });
    expect(await aliasHistory(db, MODEL)).toHaveLength(1);
  });
});

describe('removeAlias', () => {
  it('removes the alias and logs toVersion null', async () => {
    const db = await threeVersions();
    await setAlias(db, point('champion', 1));
    const event = await removeAlias(
      db,
      { modelName: MODEL, alias: 'champion', reason: 'retired', actor: 'learner' },
      () => 500,
    );
    expect(event).toMatchObject({ fromVersion: 1, toVersion: null, at: 500, reason: 'retired' });
    expect((await getModel(db, MODEL))!.aliases).toEqual({});
    expect(await resolveAlias(db, MODEL, 'champion')).toBeUndefined();
    expect((await aliasHistory(db, MODEL)).map((e) => e.toVersion)).toEqual([null, 1]);
  });
});

describe('resolveAlias', () => {
  it('gives the version record an alias points at, or undefined', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const champion = await resolveAlias(db, MODEL, 'champion');
    expect(champion).toMatchObject({ id: 'digits-classifier@v2', version: 2 });
    expect(champion!.bytes).toBeInstanceOf(Uint8Array);
    expect((await resolveAlias(db, MODEL, 'challenger'))!.variant).toBe('int8-dynamic');
    expect(await resolveAlias(db, MODEL, 'shadow')).toBeUndefined();
    expect(await resolveAlias(db, 'nope', 'champion')).toBeUndefined();
  });
});

describe('previousAliasTarget (one-click rollback)', () => {
  it('is the version before the current one; rolling back twice goes forward again', async () => {
    const db = await threeVersions();
    expect(await previousAliasTarget(db, MODEL, 'champion')).toBeUndefined(); // not set
    await setAlias(db, point('champion', 1));
    expect(await previousAliasTarget(db, MODEL, 'champion')).toBeUndefined(); // no earlier one
    await setAlias(db, point('champion', 2));
    await setAlias(db, point('challenger', 3)); // other aliases do not count
    expect((await previousAliasTarget(db, MODEL, 'champion'))!.version).toBe(1);
    const target = (await previousAliasTarget(db, MODEL, 'champion'))!;
    await setAlias(db, point('champion', target.version, { reason: 'rollback' }));
    expect((await previousAliasTarget(db, MODEL, 'champion'))!.version).toBe(2);
  });

  it('skips versions deleted since, and stops where the alias was last created', async () => {
    const db = await threeVersions();
    await setAlias(db, point('champion', 1));
    await setAlias(db, point('champion', 2));
    await setAlias(db, point('champion', 3));
    await deleteVersion(db, 'digits-classifier@v2');
    expect((await previousAliasTarget(db, MODEL, 'champion'))!.version).toBe(1);
    await removeAlias(db, { modelName: MODEL, alias: 'champion', reason: '', actor: 'learner' });
    expect(await previousAliasTarget(db, MODEL, 'champion')).toBeUndefined(); // not set
    await setAlias(db, point('champion', 3));
    expect(await previousAliasTarget(db, MODEL, 'champion')).toBeUndefined(); // a new start
  });
});
