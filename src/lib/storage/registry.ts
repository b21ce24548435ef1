/**
 * The model registry: named models, their numbered versions (the .onnx bytes with lineage),
 * notes, and deletion. Aliases live in registry-aliases.ts. Every write is ONE transaction.
 * Refusals reject with `RegistryError` (nothing changed); IndexedDB failures with `StorageError`.
 */
import { bytesSha256Hex } from './canonical';
import type { AppDb } from './db';
import { RegistryError, withStorageErrors } from './errors';
import type { Clock } from './records';
import type { ModelVersionRecord, RegisteredModel } from './registry-records';
import { checkNewVersion, checkText, versionId, type NewModelVersion } from './registry-validate';
import { writeTx } from './tx';

const READ = 'read the model registry';

/** Refuses a version whose data set or input shape differs from the model's other versions. */
function checkSameShape(existing: ModelVersionRecord, next: NewModelVersion): void {
  const name = next.modelName;
  const was = existing.inputSchema;
  const is = next.inputSchema;
  const problem =
    existing.lineage.datasetId !== next.lineage.datasetId
      ? `holds models of data set "${existing.lineage.datasetId}"; this one is for "${next.lineage.datasetId}"`
      : was.features !== is.features
        ? `takes ${was.features} input features; this model takes ${is.features}`
        : was.nClasses !== is.nClasses
          ? `predicts ${was.nClasses} classes; this model predicts ${is.nClasses}`
          : null;
  if (problem) {
    throw new RegistryError(
      'invalid',
      `Cannot register this version: ${name} ${problem}. Register it under another model name`,
    );
  }
}

/**
 * Registers `input` as the next version of `input.modelName`, creating the model (with no
 * description and no aliases) if it is new. In ONE read-write transaction: the version number
 * is the model's `lastVersion + 1`, so concurrent registrations get distinct numbers, and
 * numbers of deleted versions are never reused. `sha256` and `sizeBytes` are computed here.
 * A new version must keep the model's data set, input width and class count (so moving an
 * alias to it cannot break serving), and `lineage.parentVersionId`, when given, must exist.
 * @param now clock for `createdAt` (of the version, and of the model when new), ms since epoch.
 * @returns the stored record.
 * @throws RegistryError('invalid' | 'not-found') saying what is wrong; nothing is written.
 */
export async function registerVersion(
  db: AppDb,
  input: NewModelVersion,
  now: Clock = Date.now,
): Promise<ModelVersionRecord> {
  const fields = checkNewVersion(input);
  // Hashed before the transaction: awaiting Web Crypto inside it would let it commit early.
  const sha256 = await bytesSha256Hex(fields.bytes);
  const name = fields.modelName;
  return writeTx(db, ['models', 'modelVersions'], 'register the model version', async (tx) => {
    const models = tx.objectStore('models');
    const versions = tx.objectStore('modelVersions');
    const t = now();
    const model: RegisteredModel = (await models.get(name)) ?? {
      name,
      createdAt: t,
      description: '',
      aliases: {},
      lastVersion: 0,
    };
    const sibling = await versions.index('byModel').get(name);
    if (sibling) checkSameShape(sibling, fields);
    const parent = fields.lineage.parentVersionId;
    if (parent !== undefined && (await versions.getKey(parent)) === undefined) {
      throw new RegistryError(
        'not-found',
        `Cannot register this version: its parent ${parent} is not in the registry`,
      );
    }
    const version = model.lastVersion + 1;
    const record: ModelVersionRecord = {
      id: versionId(name, version),
      modelName: name,
      version,
      createdAt: t,
      bytes: fields.bytes,
      sha256,
      sizeBytes: fields.bytes.byteLength,
      variant: fields.variant,
      lineage: fields.lineage,
      metrics: fields.metrics,
      inputSchema: fields.inputSchema,
      note: fields.note,
    };
    await versions.add(record); // add, not put: never overwrite a version
    await models.put({ ...model, lastVersion: version });
    return record;
  });
}

/** Every registered model, by name. */
export function listModels(db: AppDb): Promise<RegisteredModel[]> {
  return withStorageErrors(READ, () => db.getAll('models'));
}

/** One model by name, or undefined. */
export function getModel(db: AppDb, name: string): Promise<RegisteredModel | undefined> {
  return withStorageErrors(READ, () => db.get('models', name));
}

/** The versions of one model, oldest (version 1) first; [] for an unknown model. */
export function listVersions(db: AppDb, name: string): Promise<ModelVersionRecord[]> {
  return withStorageErrors(READ, async () =>
    (await db.getAllFromIndex('modelVersions', 'byModel', name)).sort(
      (a, b) => a.version - b.version,
    ),
  );
}

/** One version by id (e.g. 'digits-classifier@v2'), or undefined. */
export function getVersion(db: AppDb, id: string): Promise<ModelVersionRecord | undefined> {
  return withStorageErrors(READ, () => db.get('modelVersions', id));
}

/**
 * Replaces a version's note (the one field of a version that may change).
 * @returns the updated record.
 * @throws RegistryError('not-found') when there is no such version.
 */
export async function updateNote(db: AppDb, id: string, note: string): Promise<ModelVersionRecord> {
  const text = checkText(note, 'note');
  return writeTx(db, ['modelVersions'], 'save the note', async (tx) => {
    const old = await tx.objectStore('modelVersions').get(id);
    if (!old) throw new RegistryError('not-found', `There is no model version ${id}`);
    const next = { ...old, note: text };
    await tx.objectStore('modelVersions').put(next);
    return next;
  });
}

/**
 * Replaces a model's description.
 * @returns the updated model.
 * @throws RegistryError('not-found') when there is no such model.
 */
export async function setModelDescription(
  db: AppDb,
  name: string,
  description: string,
): Promise<RegisteredModel> {
  const text = checkText(description, 'description');
  return writeTx(db, ['models'], 'save the description', async (tx) => {
    const old = await tx.objectStore('models').get(name);
    if (!old) throw new RegistryError('not-found', `There is no model named "${name}"`);
    const next = { ...old, description: text };
    await tx.objectStore('models').put(next);
    return next;
  });
}

/**
 * Deletes one version. Refused while an alias points at it (move or remove the alias first).
 * The model stays, even when this was its last version, so its alias history stays; its
 * version numbers are not reused. Deleting a missing id is not an error.
 * @throws RegistryError('in-use') naming the aliases that point at it.
 */
export function deleteVersion(db: AppDb, id: string): Promise<void> {
  return writeTx(db, ['models', 'modelVersions'], 'delete the model version', async (tx) => {
    const version = await tx.objectStore('modelVersions').get(id);
    if (!version) return;
    const model = await tx.objectStore('models').get(version.modelName);
    const pointing = Object.entries(model?.aliases ?? {})
      .filter(([, v]) => v === version.version)
      .map(([alias]) => `"${alias}"`);
    if (pointing.length > 0) {
      throw new RegistryError(
        'in-use',
        `Version ${version.version} of ${version.modelName} is the target of ${pointing.join(' and ')}: move or remove ${pointing.length > 1 ? 'those aliases' : 'that alias'} first, then delete it`,
      );
    }
    await tx.objectStore('modelVersions').delete(id);
  });
}

/**
 * Deletes a model with all its versions and its alias history, in ONE transaction: either
 * all of it goes or none. Deleting a missing model is not an error. The UI asks first.
 */
export function deleteModel(db: AppDb, name: string): Promise<void> {
  return writeTx(db, ['models', 'modelVersions', 'aliasEvents'], 'delete the model', async (tx) => {
    await tx.objectStore('models').delete(name);
    for (const store of ['modelVersions', 'aliasEvents'] as const) {
      const keys = await tx.objectStore(store).index('byModel').getAllKeys(name);
      // One by one: a request left pending when the transaction aborts would reject unheard.
      for (const key of keys) await tx.objectStore(store).delete(key);
    }
  });
}
