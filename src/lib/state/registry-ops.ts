/**
 * The pure work behind the Registry screen: a completed run as an ONNX version (metadata, input
 * schema from the train split), and the checks an imported `.onnx` file goes through before it
 * may become a version. Every refusal is a {@link RegistryRefusal} whose message the screen shows
 * as is. This module pulls in onnx-proto, so RegistryState loads it with `import()` (first paint).
 */
import {
  DEFAULT_SPLIT,
  gatherRows,
  stratifiedSplit,
  type Dataset,
  type DatasetId,
} from '../core/data';
import { argmaxRows, forward } from '../core/forward';
import { inputRanges } from '../core/input-schema';
import type { MlpWeights } from '../core/mlp';
import { decodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { checkGraph, OnnxError, readOnnx, type OnnxSummary } from '../core/onnx/inspect';
import { onnxToMlp } from '../core/onnx/import';
import type { ModelInputSchema, NewModelVersion, RunRecord } from '../storage';

/** Largest `.onnx` file the registry imports (checked before the file is read). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Names of the graph input and output in every file the app exports. */
export const ONNX_INPUT_NAME = 'input';
export const ONNX_OUTPUT_NAME = 'probabilities';

/** What the `preprocessing` metadata property says about the Sub/Mul nodes at the graph start. */
export const PREPROCESSING_DESCRIPTION = '(x - offset) * scale, fitted on the train split';

/** A request the registry screen refuses; the message is written for the learner. */
export class RegistryRefusal extends Error {
  override readonly name = 'RegistryRefusal';
}

const DATASET_IDS: readonly DatasetId[] = ['digits', 'breast_cancer'];
const DATASET_WORDS: Record<DatasetId, string> = {
  digits: 'digits',
  breast_cancer: 'breast cancer',
};

export function isDatasetId(id: unknown): id is DatasetId {
  return typeof id === 'string' && (DATASET_IDS as readonly string[]).includes(id);
}

/** The data set in words ("breast cancer"); unknown ids as given. */
export function datasetWords(id: string): string {
  return isDatasetId(id) ? DATASET_WORDS[id] : id;
}

/** The suggested model name for a data set: `digits-classifier`, `breast-cancer-classifier`. */
export function defaultModelName(datasetId: string): string {
  return `${datasetId.replace(/_/g, '-')}-classifier`;
}

/** The train rows of `ds` under the app's default split with `splitSeed`. */
export function trainRows(ds: Dataset, splitSeed: number): Int32Array {
  return stratifiedSplit(ds.y, DEFAULT_SPLIT, splitSeed).train;
}

/** What a request to a model of `ds` must look like; ranges come from the train rows. */
export function inputSchemaFor(ds: Dataset, train: ArrayLike<number>): ModelInputSchema {
  const { min, max } = inputRanges(ds.x, ds.features, train);
  return {
    features: ds.features,
    nClasses: ds.nClasses,
    classNames: [...ds.classNames],
    featureNames: [...ds.featureNames],
    min,
    max,
  };
}

/** The `preprocessing` metadata property: how raw features become the network's input. */
export function preprocessingProperty(model: MlpWeights): string {
  return JSON.stringify(
    model.preprocess
      ? {
          formula: PREPROCESSING_DESCRIPTION,
          offset: 'per-feature mean of the train split (initializer preprocess.offset)',
          scale:
            'per-feature 1 / standard deviation of the train split, 1 where it is 0 (initializer preprocess.scale)',
          in_graph: 'nodes preprocess/Sub and preprocess/Mul: feed raw features',
        }
      : { formula: 'none: the model takes the features as they are' },
  );
}

/** The `metadata_props` of a run's export. */
export function exportProperties(
  run: RunRecord,
  ds: Dataset,
  model: MlpWeights,
  appVersion: string,
): Record<string, string> {
  return {
    run_id: run.id,
    dataset: run.datasetId,
    data_fingerprint: run.fingerprint,
    split_seed: String(run.splitSeed),
    class_names: JSON.stringify(ds.classNames),
    feature_count: String(ds.features),
    preprocessing: preprocessingProperty(model),
    app_version: appVersion,
    hyperparameters: JSON.stringify(run.hyperparameters),
  };
}

/** The short form of a run id (its random suffix). */
function shortRun(id: string): string {
  return /^run-\d+-([0-9a-z]+)$/i.exec(id)?.[1] ?? id;
}

/**
 * A completed run as a new fp32 version: its weights exported to ONNX with metadata, lineage
 * from the run, the run's test accuracy, and an input schema whose ranges come from the train
 * split recomputed from the run's split seed.
 * @param ds the run's data set.
 * @throws RegistryRefusal when the run did not complete, has no readable weights, or does not
 *   fit its data set.
 */
export function runVersion(
  run: RunRecord,
  ds: Dataset,
  options: { modelName: string; note: string; appVersion: string },
): NewModelVersion {
  const short = shortRun(run.id);
  if (run.status !== 'completed') {
    throw new RegistryRefusal(
      `Run ${short} is ${run.status}, not completed: only a completed run has weights worth registering. Train it again, then register it`,
    );
  }
  if (!run.weights) throw new RegistryRefusal(`Run ${short} saved no weights to export`);
  if (run.datasetId !== ds.id) {
    throw new RegistryRefusal(
      `Run ${short} was trained on "${run.datasetId}", not on the ${datasetWords(ds.id)} data set`,
    );
  }
  let model: MlpWeights;
  try {
    model = decodeMlp(run.weights);
  } catch (err) {
    throw new RegistryRefusal(`The weights of run ${short} cannot be read: ${message(err)}`);
  }
  if (model.inputSize !== ds.features) {
    throw new RegistryRefusal(
      `Run ${short} has a model for ${model.inputSize} features; the ${datasetWords(ds.id)} data set has ${ds.features}`,
    );
  }
  const bytes = mlpToOnnx(model, {
    inputName: ONNX_INPUT_NAME,
    outputName: ONNX_OUTPUT_NAME,
    properties: exportProperties(run, ds, model, options.appVersion),
    producerVersion: options.appVersion,
    graphName: options.modelName,
    docString: `An MLP trained by Pocket MLOps (run ${run.id}) on the ${datasetWords(ds.id)} data set. Input: raw features [batch, ${ds.features}]; output: class probabilities [batch, ${ds.nClasses}].`,
  });
  const testAccuracy = run.metrics?.testAccuracy;
  return {
    modelName: options.modelName,
    bytes,
    variant: 'fp32',
    lineage: {
      source: 'run',
      runId: run.id,
      datasetId: run.datasetId,
      fingerprint: run.fingerprint,
      hyperparameters: run.hyperparameters,
    },
    metrics: testAccuracy === undefined ? {} : { testAccuracy },
    inputSchema: inputSchemaFor(ds, trainRows(ds, run.splitSeed)),
    note: options.note,
  };
}

/** An imported file that passed every check, with what it holds. */
export type ParsedImport = {
  fileName: string;
  bytes: Uint8Array;
  summary: OnnxSummary;
  model: MlpWeights;
  metadata: Record<string, string>;
};

/** The refusal for a file over the size limit, or null (call it before reading the file). */
export function importSizeProblem(fileName: string, sizeBytes: number): string | null {
  if (sizeBytes <= MAX_IMPORT_BYTES) return null;
  const mb = (sizeBytes / 1024 / 1024).toFixed(1);
  return `"${fileName}" was not imported: it is ${mb} MB, over the 10 MB limit for an .onnx file in this lab (its models are a few hundred KB at most)`;
}

/**
 * Reads an `.onnx` file the way the registry accepts it: size limit, then `readOnnx` (a readable
 * ONNX model), then the structural checks of `checkGraph`, then `onnxToMlp` (only the graph
 * patterns this app emits: the allowlist).
 * @throws RegistryRefusal saying what is wrong with the file.
 */
export function parseImport(fileName: string, bytes: Uint8Array): ParsedImport {
  const tooBig = importSizeProblem(fileName, bytes.byteLength);
  if (tooBig) throw new RegistryRefusal(tooBig);
  const refuse = (why: string) => new RegistryRefusal(`"${fileName}" was not imported: ${why}`);
  let summary: OnnxSummary;
  try {
    summary = readOnnx(bytes);
  } catch (err) {
    throw refuse(err instanceof OnnxError ? err.message : `it cannot be read (${message(err)})`);
  }
  const problems = checkGraph(summary);
  if (problems.length > 0) {
    const listed = problems.slice(0, 5).map((p) => p.message);
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw refuse(
      `its graph breaks the ONNX checker's rules (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${listed.join('; ')}${more}.`,
    );
  }
  try {
    const { model, metadata } = onnxToMlp(bytes);
    return { fileName, bytes, summary, model, metadata };
  } catch (err) {
    throw refuse(err instanceof OnnxError ? err.message : `it cannot be read (${message(err)})`);
  }
}

/**
 * Which data set an imported model is for: the file's own `dataset` metadata when present, else
 * the data set of the model it joins, else the learner's choice in the form.
 * @throws RegistryRefusal when the file names a data set this lab does not have.
 */
export function importDatasetId(
  parsed: Pick<ParsedImport, 'fileName' | 'metadata'>,
  existing: string | undefined,
  chosen: DatasetId,
): DatasetId {
  const named = parsed.metadata.dataset;
  if (named !== undefined) {
    if (isDatasetId(named)) return named;
    throw new RegistryRefusal(
      `"${parsed.fileName}" was not imported: its metadata says it was trained on data set "${named}", which this lab does not have (it has ${DATASET_IDS.join(' and ')})`,
    );
  }
  if (existing !== undefined && isDatasetId(existing)) return existing;
  return chosen;
}

/** The split seed a file's metadata names (`split_seed`), or 0, the app's default. */
export function importSplitSeed(metadata: Record<string, string>): number {
  const seed = Number(metadata.split_seed);
  return /^\d+$/.test(metadata.split_seed ?? '') && Number.isSafeInteger(seed) ? seed : 0;
}

/** Accuracy of `model` on the rows `rows` of `ds` (a fraction in [0, 1]). */
export function accuracyOn(model: MlpWeights, ds: Dataset, rows: ArrayLike<number>): number {
  if (rows.length === 0) return 0;
  const { x, y } = gatherRows(ds, rows);
  const predicted = argmaxRows(forward(model, x, rows.length), rows.length, ds.nClasses);
  let right = 0;
  for (let i = 0; i < rows.length; i++) if (predicted[i] === y[i]) right++;
  return right / rows.length;
}

function parsedObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An imported file as a new fp32 version of `modelName`: its input width and class count must
 * match `ds`; the input schema ranges come from the train split (the file's `split_seed`, or
 * 0), and its test accuracy is measured here on that split's test rows.
 * @throws RegistryRefusal naming the mismatch.
 */
export function importVersion(
  parsed: ParsedImport,
  ds: Dataset,
  options: { modelName: string; note: string },
): NewModelVersion {
  const { fileName, model, metadata } = parsed;
  const words = datasetWords(ds.id);
  const classes = model.layers[model.layers.length - 1].bias.length;
  if (model.inputSize !== ds.features) {
    throw new RegistryRefusal(
      `"${fileName}" was not imported: the wrong input width. Its input takes ${model.inputSize} features per row, but the ${words} data set has ${ds.features}, so ${options.modelName} could never be served with it`,
    );
  }
  if (classes !== ds.nClasses) {
    throw new RegistryRefusal(
      `"${fileName}" was not imported: it outputs ${classes} class probabilities, but the ${words} data set has ${ds.nClasses} classes`,
    );
  }
  const split = stratifiedSplit(ds.y, DEFAULT_SPLIT, importSplitSeed(metadata));
  const fingerprint = metadata.data_fingerprint || undefined;
  const hyperparameters = parsedObject(metadata.hyperparameters);
  return {
    modelName: options.modelName,
    bytes: parsed.bytes,
    variant: 'fp32',
    lineage: {
      source: 'import',
      datasetId: ds.id,
      ...(fingerprint !== undefined && { fingerprint }),
      ...(hyperparameters !== undefined && { hyperparameters }),
    },
    metrics: { testAccuracy: accuracyOn(model, ds, split.test) },
    inputSchema: inputSchemaFor(ds, split.train),
    note: options.note.trim() === '' ? `Imported from ${fileName}` : options.note,
  };
}

/** Reads a stored version's file for display; a file that cannot be read gives its reason. */
export function inspectVersion(
  bytes: Uint8Array,
): { ok: true; summary: OnnxSummary } | { ok: false; message: string } {
  try {
    return { ok: true, summary: readOnnx(bytes) };
  } catch (err) {
    return { ok: false, message: message(err) };
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
