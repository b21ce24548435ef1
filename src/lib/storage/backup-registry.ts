/**
 * Backup checks for the model registry's stores (schema v3): the shape of each record, and
 * (`checkRegistryStores`) what only the stores together can show: every version belongs to a
 * model, every alias points at a version that is there, every `sha256` matches its bytes.
 */
import {
  array,
  fail,
  finite,
  integer,
  object,
  oneOf,
  optionalString,
  string,
  tag,
  text,
  time,
} from './backup-checks';
import { bytesSha256Hex } from './canonical';
import {
  MODEL_VARIANTS,
  type AliasEvent,
  type ModelVersionRecord,
  type RegisteredModel,
} from './registry-records';
import { isKebabName, versionId } from './registry-validate';

function kebab(value: unknown, path: string): string {
  if (!isKebabName(value)) fail(path, 'expected a kebab-case name (e.g. "digits-classifier")');
  return value;
}

function versionOrNull(value: unknown, path: string): void {
  if (value !== null) integer(value, path, 1);
}

function finiteArray(value: unknown, path: string, length: number): void {
  const items = array(value, path);
  if (items.length !== length) fail(path, `expected ${length} numbers (one per feature)`);
  items.forEach((v, i) => finite(v, `${path}[${i}]`));
}

function stringArray(value: unknown, path: string, length: number): void {
  const items = array(value, path);
  if (items.length !== length) fail(path, `expected ${length} names`);
  items.forEach((v, i) => text(v, `${path}[${i}]`));
}

export function registeredModel(value: unknown, path: string): RegisteredModel {
  const o = object(value, path);
  kebab(o.name, `${path}.name`);
  time(o.createdAt, `${path}.createdAt`);
  text(o.description, `${path}.description`);
  for (const [alias, version] of Object.entries(object(o.aliases, `${path}.aliases`))) {
    kebab(alias, `${path}.aliases.${alias}`);
    integer(version, `${path}.aliases.${alias}`, 1);
  }
  integer(o.lastVersion, `${path}.lastVersion`, 0);
  return o as unknown as RegisteredModel;
}

export function modelVersion(value: unknown, path: string): ModelVersionRecord {
  const o = object(value, path);
  const name = kebab(o.modelName, `${path}.modelName`);
  integer(o.version, `${path}.version`, 1);
  const id = versionId(name, o.version as number);
  if (o.id !== id) fail(`${path}.id`, `expected "${id}" (modelName@v<version>)`);
  time(o.createdAt, `${path}.createdAt`);
  if (typeof o.bytes !== 'object' || o.bytes === null || tag(o.bytes) !== 'Uint8Array')
    fail(`${path}.bytes`, 'expected binary data ({ "$bytes": ..., "$type": "Uint8Array" })');
  if (typeof o.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.sha256))
    fail(`${path}.sha256`, 'expected 64 lowercase hex digits (a SHA-256)');
  if (o.sizeBytes !== (o.bytes as Uint8Array).byteLength)
    fail(`${path}.sizeBytes`, `expected ${(o.bytes as Uint8Array).byteLength} (the size of bytes)`);
  oneOf(o.variant, `${path}.variant`, MODEL_VARIANTS);
  const lineage = object(o.lineage, `${path}.lineage`);
  oneOf(lineage.source, `${path}.lineage.source`, ['run', 'import', 'quantize']);
  string(lineage.datasetId, `${path}.lineage.datasetId`);
  for (const f of ['runId', 'parentVersionId', 'fingerprint'])
    optionalString(lineage, f, `${path}.lineage`);
  if (lineage.hyperparameters !== undefined)
    object(lineage.hyperparameters, `${path}.lineage.hyperparameters`);
  const metrics = object(o.metrics, `${path}.metrics`);
  for (const [f, v] of Object.entries(metrics))
    if (v !== undefined) finite(v, `${path}.metrics.${f}`);
  const schema = object(o.inputSchema, `${path}.inputSchema`);
  integer(schema.features, `${path}.inputSchema.features`, 1);
  integer(schema.nClasses, `${path}.inputSchema.nClasses`, 1);
  const features = schema.features as number;
  stringArray(schema.classNames, `${path}.inputSchema.classNames`, schema.nClasses as number);
  stringArray(schema.featureNames, `${path}.inputSchema.featureNames`, features);
  finiteArray(schema.min, `${path}.inputSchema.min`, features);
  finiteArray(schema.max, `${path}.inputSchema.max`, features);
  text(o.note, `${path}.note`);
  return o as unknown as ModelVersionRecord;
}

export function aliasEvent(value: unknown, path: string): AliasEvent {
  const o = object(value, path);
  integer(o.seq, `${path}.seq`, 1);
  kebab(o.modelName, `${path}.modelName`);
  kebab(o.alias, `${path}.alias`);
  versionOrNull(o.fromVersion, `${path}.fromVersion`);
  versionOrNull(o.toVersion, `${path}.toVersion`);
  if (o.fromVersion === null && o.toVersion === null)
    fail(`${path}.toVersion`, 'an alias move needs a version before or after it');
  time(o.at, `${path}.at`);
  text(o.reason, `${path}.reason`);
  oneOf(o.actor, `${path}.actor`, ['learner', 'policy']);
  return o as unknown as AliasEvent;
}

/**
 * Checks the registry stores against each other (after each record's shape was checked).
 * @throws ImportError naming the first record that does not fit.
 */
export async function checkRegistryStores(stores: {
  models: RegisteredModel[];
  modelVersions: ModelVersionRecord[];
  aliasEvents: AliasEvent[];
}): Promise<void> {
  const models = new Map(stores.models.map((m, i) => [m.name, { model: m, i }]));
  const versions = new Set(stores.modelVersions.map((v) => v.id));
  for (const [i, v] of stores.modelVersions.entries()) {
    const path = `stores.modelVersions[${i}]`;
    const owner = models.get(v.modelName);
    if (!owner) fail(`${path}.modelName`, `no model "${v.modelName}" in stores.models`);
    if (v.version > owner.model.lastVersion)
      fail(
        `stores.models[${owner.i}].lastVersion`,
        `expected at least ${v.version} (${v.id} is in the backup)`,
      );
    if ((await bytesSha256Hex(v.bytes)) !== v.sha256)
      fail(`${path}.sha256`, 'does not match bytes: the model file was changed or corrupted');
  }
  for (const [i, m] of stores.models.entries()) {
    for (const [alias, version] of Object.entries(m.aliases)) {
      if (!versions.has(versionId(m.name, version)))
        fail(`stores.models[${i}].aliases.${alias}`, `version ${version} is not in the backup`);
    }
  }
  stores.aliasEvents.forEach((e, i) => {
    if (!models.has(e.modelName))
      fail(`stores.aliasEvents[${i}].modelName`, `no model "${e.modelName}" in stores.models`);
  });
}
