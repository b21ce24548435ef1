/**
 * Checks of what callers hand the registry, before anything is written. Each refusal is a
 * `RegistryError` whose message the UI can show as is.
 */
import { RegistryError } from './errors';
import {
  MODEL_VARIANTS,
  type AliasActor,
  type ModelInputSchema,
  type ModelLineage,
  type ModelVersionMetrics,
  type ModelVersionRecord,
} from './registry-records';

/** Longest model or alias name, in characters. */
export const MAX_REGISTRY_NAME_LENGTH = 64;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** True for a kebab-case name of 1 to 64 characters: lowercase letters, digits, single inner hyphens. */
export function isKebabName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_REGISTRY_NAME_LENGTH && KEBAB.test(name);
}

function checkName(kind: 'model name' | 'alias', name: unknown, example: string): string {
  if (isKebabName(name)) return name;
  const shown = typeof name === 'string' ? JSON.stringify(name) : `a ${typeof name}`;
  throw new RegistryError(
    'invalid',
    `The ${kind} ${shown} is not valid: use 1 to ${MAX_REGISTRY_NAME_LENGTH} lowercase letters, digits and single hyphens (kebab-case), e.g. "${example}"`,
  );
}

/** Returns `name` when it is a valid model name; throws RegistryError('invalid') otherwise. */
export function checkModelName(name: unknown): string {
  return checkName('model name', name, 'digits-classifier');
}

/** Returns `alias` when it is a valid alias name; throws RegistryError('invalid') otherwise. */
export function checkAliasName(alias: unknown): string {
  return checkName('alias', alias, 'champion');
}

/** The key of version `version` of model `name`, e.g. 'digits-classifier@v2'. */
export function versionId(name: string, version: number): string {
  return `${name}@v${version}`;
}

/** Who may move an alias. */
export function checkActor(actor: unknown): AliasActor {
  if (actor === 'learner' || actor === 'policy') return actor;
  throw new RegistryError(
    'invalid',
    `Unknown actor ${JSON.stringify(actor)}: use "learner" or "policy"`,
  );
}

/** Checks a free-text field (a reason, a note). */
export function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new RegistryError('invalid', `The ${what} must be text`);
  return value;
}

function refuse(field: string, problem: string): never {
  throw new RegistryError('invalid', `Cannot register this version: ${field} ${problem}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') refuse(field, 'must be non-empty text');
  return value;
}

function finiteNumbers(value: unknown, field: string, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length)
    refuse(field, `must list ${length} numbers (one per feature)`);
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      refuse(`${field}[${i}]`, 'must be a finite number');
  });
  return [...(value as number[])];
}

function names(value: unknown, field: string, length: number, per: string): string[] {
  if (!Array.isArray(value) || value.length !== length)
    refuse(field, `must list ${length} names (one per ${per})`);
  value.forEach((v, i) => {
    if (typeof v !== 'string') refuse(`${field}[${i}]`, 'must be text');
  });
  return [...(value as string[])];
}

function count(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    refuse(field, `must be a whole number >= ${min}`);
  return value;
}

function lineage(value: unknown): ModelLineage {
  if (!isPlainObject(value)) refuse('lineage', 'is missing');
  const source = value.source;
  if (source !== 'run' && source !== 'import' && source !== 'quantize')
    refuse('lineage.source', 'must be "run", "import" or "quantize"');
  if (typeof value.datasetId !== 'string' || value.datasetId === '')
    refuse('lineage.datasetId', 'must name the data set (e.g. "digits")');
  const runId = optionalString(value.runId, 'lineage.runId');
  const parentVersionId = optionalString(value.parentVersionId, 'lineage.parentVersionId');
  const fingerprint = optionalString(value.fingerprint, 'lineage.fingerprint');
  if (source === 'run' && runId === undefined)
    refuse('lineage.runId', 'must name the run it was exported from');
  if (source === 'quantize' && parentVersionId === undefined)
    refuse('lineage.parentVersionId', 'must name the version it was quantized from');
  if (value.hyperparameters !== undefined && !isPlainObject(value.hyperparameters))
    refuse('lineage.hyperparameters', 'must be an object');
  return {
    source,
    ...(runId !== undefined && { runId }),
    ...(parentVersionId !== undefined && { parentVersionId }),
    datasetId: value.datasetId,
    ...(fingerprint !== undefined && { fingerprint }),
    ...(value.hyperparameters !== undefined && {
      hyperparameters: value.hyperparameters as Record<string, unknown>,
    }),
  };
}

function metrics(value: unknown): ModelVersionMetrics {
  if (!isPlainObject(value)) refuse('metrics', 'must be an object (it may be empty)');
  const out: ModelVersionMetrics = {};
  for (const key of ['testAccuracy', 'agreementWithParent', 'maxAbsDiffWithParent'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    const max = key === 'maxAbsDiffWithParent' ? Infinity : 1;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
      refuse(
        `metrics.${key}`,
        max === 1 ? 'must be a fraction in [0, 1]' : 'must be a number >= 0',
      );
    out[key] = v;
  }
  return out;
}

function inputSchema(value: unknown): ModelInputSchema {
  if (!isPlainObject(value)) refuse('inputSchema', 'is missing');
  const features = count(value.features, 'inputSchema.features', 1);
  const nClasses = count(value.nClasses, 'inputSchema.nClasses', 2);
  const min = finiteNumbers(value.min, 'inputSchema.min', features);
  const max = finiteNumbers(value.max, 'inputSchema.max', features);
  const inverted = min.findIndex((m, i) => m > max[i]);
  if (inverted >= 0) refuse(`inputSchema.min[${inverted}]`, 'is above inputSchema.max');
  return {
    features,
    nClasses,
    classNames: names(value.classNames, 'inputSchema.classNames', nClasses, 'class'),
    featureNames: names(value.featureNames, 'inputSchema.featureNames', features, 'feature'),
    min,
    max,
  };
}

/** What `registerVersion` takes: the record without the fields storage fills in. */
export type NewModelVersion = Omit<
  ModelVersionRecord,
  'id' | 'version' | 'createdAt' | 'sha256' | 'sizeBytes'
>;

/**
 * Checks a registration and copies only its known fields (so stray properties never reach
 * the database). `bytes` is copied to a buffer of exactly its length, so a view into a larger
 * buffer does not store (or hash) the rest.
 * @throws RegistryError('invalid') naming the field that is wrong.
 */
export function checkNewVersion(input: NewModelVersion): NewModelVersion {
  if (!isPlainObject(input)) refuse('the registration', 'must be an object');
  const modelName = checkModelName(input.modelName);
  const bytes: unknown = input.bytes;
  if (Object.prototype.toString.call(bytes) !== '[object Uint8Array]')
    refuse('bytes', 'must be the .onnx file as a Uint8Array');
  if ((bytes as Uint8Array).byteLength === 0)
    refuse('bytes', 'is empty (the model file has no data)');
  if (!MODEL_VARIANTS.includes(input.variant))
    refuse('variant', `must be one of ${MODEL_VARIANTS.join(', ')}`);
  return {
    modelName,
    bytes: (bytes as Uint8Array).slice(),
    variant: input.variant,
    lineage: lineage(input.lineage),
    metrics: metrics(input.metrics),
    inputSchema: inputSchema(input.inputSchema),
    note: checkText(input.note, 'note'),
  };
}
