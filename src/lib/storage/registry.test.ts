import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import {
  REGISTRY_T0,
  addRegistry,
  newVersion,
  onnxBytes,
} from '../../../tests/fixtures/storage/registry';
import type { AppDb } from './db';
import { RegistryError, StorageError } from './errors';
import {
  deleteModel,
  deleteVersion,
  getModel,
  getVersion,
  listModels,
  listVersions,
  registerVersion,
  setModelDescription,
  updateNote,
} from './registry';
import { aliasHistory, setAlias } from './registry-aliases';

afterEach(() => {
  vi.restoreAllMocks();
});

const at = (t: number) => () => t;

/** Every record of the registry stores, binary made comparable. */
async function registryDump(db: AppDb) {
  return plain({
    models: await db.getAll('models'),
    modelVersions: await db.getAll('modelVersions'),
    aliasEvents: await db.getAll('aliasEvents'),
  }) as Record<'models' | 'modelVersions' | 'aliasEvents', Record<string, unknown>[]>;
}

async function refusal(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe('registerVersion', () => {
  it('creates the model and version 1, with sha256 and size computed', async () => {
    const db = await openTestDb();
    const input = newVersion({ note: 'baseline' });
    const stray = { ...input, evil: true, lineage: { ...input.lineage, extra: 1 } };
    const v1 = await registerVersion(db, stray, at(REGISTRY_T0));
    const expectedHash = createHash('sha256').update(input.bytes).digest('hex');
    expect(v1).toMatchObject({
      id: 'digits-classifier@v1',
      modelName: 'digits-classifier',
      version: 1,
      createdAt: REGISTRY_T0,
      sha256: expectedHash,
      sizeBytes: 48,
      variant: 'fp32',
      note: 'baseline',
    });
    expect(await getModel(db, 'digits-classifier')).toEqual({
      name: 'digits-classifier',
      createdAt: REGISTRY_T0,
      description: '',
      aliases: {},
      lastVersion: 1,
    });
    const stored = await getVersion(db, 'digits-classifier@v1');
    expect(stored).not.toHaveProperty('evil');
    expect(stored!.lineage).not.toHaveProperty('extra');
    expect(stored!.bytes).toBeInstanceOf(Uint8Array);
    expect(plain(stored)).toEqual(plain({ ...input, ...v1 }));
  });

  it('hashes and stores only the bytes of a view, not its whole buffer', async () => {
    const db = await openTestDb();
    const view = onnxBytes(5, 100).subarray(10, 30);
    const v = await registerVersion(db, newVersion({ bytes: view }));
    const stored = (await getVersion(db, v.id))!;
    expect(stored.sizeBytes).toBe(20);
    expect(stored.bytes.buffer.byteLength).toBe(20);
    expect(Array.from(stored.bytes)).toEqual(Array.from(view));
    expect(stored.sha256).toBe(createHash('sha256').update(view).digest('hex'));
  });

  it('numbers parallel registrations 1, 2, 3 and creates the model once', async () => {
    const db = await openTestDb();
    const made = await Promise.all(
      [1, 2, 3].map((seed) => registerVersion(db, newVersion({ bytes: onnxBytes(seed) }))),
    );
    expect(made.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    expect((await listVersions(db, 'digits-classifier')).map((v) => v.id)).toEqual([
      'digits-classifier@v1',
      'digits-classifier@v2',
      'digits-classifier@v3',
    ]);
    expect(await listModels(db)).toHaveLength(1);
    expect((await getModel(db, 'digits-classifier'))!.lastVersion).toBe(3);
  });

  it('never reuses the number of a deleted version', async () => {
    const db = await openTestDb();
    await registerVersion(db, newVersion());
    await registerVersion(db, newVersion());
    await deleteVersion(db, 'digits-classifier@v2');
    expect((await registerVersion(db, newVersion())).version).toBe(3);
    expect((await listVersions(db, 'digits-classifier')).map((v) => v.version)).toEqual([1, 3]);
  });

  it('refuses a malformed model name, saying what a valid one looks like', async () => {
    const db = await openTestDb();
    for (const name of ['Digits', 'digits_classifier', '', '-x', 'x-', 'x--y', 'a'.repeat(65)]) {
      const error = await refusal(registerVersion(db, newVersion({ modelName: name })));
      expect(error.code).toBe('invalid');
      expect(error.message).toBe(
        `The model name ${JSON.stringify(name)} is not valid: use 1 to 64 lowercase letters, digits and single hyphens (kebab-case), e.g. "digits-classifier"`,
      );
    }
    await registerVersion(db, newVersion({ modelName: 'a'.repeat(64) }));
    await registerVersion(db, newVersion({ modelName: 'mlp-2-layers' }));
    expect((await listModels(db)).map((m) => m.name)).toEqual(['a'.repeat(64), 'mlp-2-layers']);
  });

  it('refuses bad fields, naming them, and writes nothing', async () => {
    const db = await openTestDb();
    const base = newVersion();
    const cases: [Partial<typeof base>, string][] = [
      [{ bytes: new Uint8Array(0) }, 'bytes is empty (the model file has no data)'],
      [{ bytes: [1, 2] as unknown as Uint8Array }, 'bytes must be the .onnx file as a Uint8Array'],
      [{ variant: 'int4' as never }, 'variant must be one of fp32, fp16, int8-weight'],
      [{ lineage: { source: 'run', datasetId: 'digits' } }, 'lineage.runId must name the run'],
      [
        { lineage: { source: 'quantize', datasetId: 'digits' } },
        'lineage.parentVersionId must name the version',
      ],
      [{ lineage: { source: 'import', datasetId: '' } }, 'lineage.datasetId must name'],
      [{ metrics: { testAccuracy: 97 } }, 'metrics.testAccuracy must be a fraction in [0, 1]'],
      [
        { inputSchema: { ...base.inputSchema, min: [0, 0, 0] } },
        'inputSchema.min must list 4 numbers (one per feature)',
      ],
      [
        { inputSchema: { ...base.inputSchema, classNames: ['a', 'b'] } },
        'inputSchema.classNames must list 3 names (one per class)',
      ],
      [
        { inputSchema: { ...base.inputSchema, max: [16, 16, 16, NaN] } },
        'inputSchema.max[3] must be a finite number',
      ],
      [{ note: undefined as never }, 'The note must be text'],
    ];
    for (const [override, message] of cases) {
      const error = await refusal(registerVersion(db, { ...base, ...override }));
      expect(error.code).toBe('invalid');
      expect(error.message).toContain(message);
    }
    expect(await listModels(db)).toEqual([]);
  });

  it('refuses a version of another data set or input shape, and an unknown parent', async () => {
    const db = await openTestDb();
    await registerVersion(db, newVersion());
    const before = await registryDump(db);
    const base = newVersion();
    const wider = { ...base.inputSchema, features: 5, featureNames: [...'abcde'] };
    Object.assign(wider, { min: [0, 0, 0, 0, 0], max: [1, 1, 1, 1, 1] });
    expect((await refusal(registerVersion(db, { ...base, inputSchema: wider }))).message).toBe(
      'Cannot register this version: digits-classifier takes 4 input features; this model takes 5. Register it under another model name',
    );
    const other = { ...base, lineage: { source: 'import' as const, datasetId: 'breast-cancer' } };
    expect((await refusal(registerVersion(db, other))).message).toMatch(
      /digits-classifier holds models of data set "digits"; this one is for "breast-cancer"/,
    );
    const orphan = await refusal(
      registerVersion(db, {
        ...base,
        lineage: {
          source: 'quantize',
          parentVersionId: 'digits-classifier@v9',
          datasetId: 'digits',
        },
      }),
    );
    expect(orphan).toMatchObject({
      code: 'not-found',
      message:
        'Cannot register this version: its parent digits-classifier@v9 is not in the registry',
    });
    expect(await registryDump(db)).toEqual(before);
  });

  it('a failing write leaves nothing half-written (no model, no version)', async () => {
    const db = await openTestDb();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const error = await registerVersion(db, newVersion()).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      kind: 'quota',
      message: /^Storage is full: could not register the model version/,
    });
    // The version was added before the model's put failed: both are rolled back.
    expect(await registryDump(db)).toEqual({ models: [], modelVersions: [], aliasEvents: [] });
  });
});

describe('reading the registry', () => {
  it('lists models by name and versions in ascending order; unknown ones are empty', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    expect((await listModels(db)).map((m) => [m.name, m.lastVersion])).toEqual([
      ['cancer-screen', 1],
      ['digits-classifier', 3],
    ]);
    const versions = await listVersions(db, 'digits-classifier');
    expect(versions.map((v) => [v.version, v.variant, v.lineage.source])).toEqual([
      [1, 'fp32', 'run'],
      [2, 'fp32', 'run'],
      [3, 'int8-dynamic', 'quantize'],
    ]);
    expect(versions[2].lineage.parentVersionId).toBe('digits-classifier@v2');
    expect(await listVersions(db, 'nope')).toEqual([]);
    expect(await getModel(db, 'nope')).toBeUndefined();
    expect(await getVersion(db, 'digits-classifier@v9')).toBeUndefined();
  });
});

describe('notes and descriptions', () => {
  it('updates a note and a description; a missing one is refused', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const updated = await updateNote(db, 'digits-classifier@v2', 'promoted after the A/B test');
    expect(updated.note).toBe('promoted after the A/B test');
    expect((await getVersion(db, 'digits-classifier@v2'))!.note).toBe(
      'promoted after the A/B test',
    );
    expect(
      (await setModelDescription(db, 'cancer-screen', 'imported from sklearn')).description,
    ).toBe('imported from sklearn');
    expect(await refusal(updateNote(db, 'x@v1', 'n'))).toMatchObject({
      code: 'not-found',
      message: 'There is no model version x@v1',
    });
    expect((await refusal(setModelDescription(db, 'x', 'd'))).message).toBe(
      'There is no model named "x"',
    );
  });
});

describe('deleteVersion', () => {
  it('is refused while an alias points at the version, naming the alias', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const before = await registryDump(db);
    const error = await refusal(deleteVersion(db, 'digits-classifier@v2'));
    expect(error).toMatchObject({
      code: 'in-use',
      message:
        'Version 2 of digits-classifier is the target of "champion": move or remove that alias first, then delete it',
    });
    await setAlias(db, {
      modelName: 'digits-classifier',
      alias: 'challenger',
      version: 2,
      reason: '',
      actor: 'learner',
    });
    expect((await refusal(deleteVersion(db, 'digits-classifier@v2'))).message).toMatch(
      /target of "champion" and "challenger": move or remove those aliases first/,
    );
    expect((await registryDump(db)).modelVersions).toEqual(before.modelVersions);
  });

  it('deletes a version no alias points at; the model and its history stay', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    await deleteVersion(db, 'digits-classifier@v1');
    await deleteVersion(db, 'digits-classifier@v1'); // missing: not an error
    expect((await listVersions(db, 'digits-classifier')).map((v) => v.version)).toEqual([2, 3]);
    await deleteVersion(db, 'cancer-screen@v1');
    expect(await listVersions(db, 'cancer-screen')).toEqual([]);
    expect((await getModel(db, 'cancer-screen'))!.lastVersion).toBe(1);
    expect(await aliasHistory(db, 'digits-classifier')).toHaveLength(3);
  });
});

describe('deleteModel', () => {
  it('deletes the model, its versions and its alias history, and nothing else', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const before = await registryDump(db);
    await deleteModel(db, 'digits-classifier');
    await deleteModel(db, 'digits-classifier'); // missing: not an error
    expect(await getModel(db, 'digits-classifier')).toBeUndefined();
    expect(await listVersions(db, 'digits-classifier')).toEqual([]);
    expect(await aliasHistory(db, 'digits-classifier')).toEqual([]);
    const after = await registryDump(db);
    expect(after.models).toEqual(before.models.filter((m) => m.name === 'cancer-screen'));
    expect(after.modelVersions).toEqual(
      before.modelVersions.filter((v) => v.modelName === 'cancer-screen'),
    );
    expect(after.aliasEvents).toEqual([]);
    // A model registered again under the name starts afresh.
    expect((await registerVersion(db, newVersion())).version).toBe(1);
  });

  it('a delete failing midway deletes nothing', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const before = await registryDump(db);
    let deletes = 0;
    const original = IDBObjectStore.prototype.delete;
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(function (
      this: IDBObjectStore,
      key,
    ) {
      if (++deletes > 3) throw new DOMException('broken', 'UnknownError');
      return original.call(this, key);
    });
    const error = await deleteModel(db, 'digits-classifier').catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^Could not delete the model/);
    expect(await registryDump(db)).toEqual(before);
  });
});
