/**
 * What serving a registry version needs beyond its record: the model as `encodeMlp` bytes for the
 * plain and tfjs runtimes, the fp32 reference for the agreement check, the data set and its test
 * split, and the engine's endpoint and agreement check. ServingState imports this module on first
 * use, so the app's first paint does not carry it (nor onnx-proto, loaded only for versions that
 * have no run to read weights from).
 */
import type { ModelVariant as Tolerated } from '../core/agreement';
import { DEFAULT_SPLIT, stratifiedSplit, type Dataset, type DatasetId } from '../core/data';
import type { InputSchema } from '../core/input-schema';
import { encodeMlp } from '../core/mlp-codec';
import { loadDataset } from '../engine/datasets';
import {
  getRun,
  getVersion,
  type AppDb,
  type ModelVariant,
  type ModelVersionRecord,
} from '../storage';

export { checkAgreement } from '../engine/agreement-check';
export { Endpoint } from '../engine/endpoint';

/** A registry version ready to serve and to check. Plain data: never put in reactive state. */
export type PreparedModel = {
  versionId: string;
  datasetId: DatasetId;
  /** The .onnx bytes of the version (the `ort-*` runtimes serve them). */
  onnx: Uint8Array;
  /** The same model as `encodeMlp` bytes (`plain-ts` and `tfjs-*` serve them). */
  weights: ArrayBuffer;
  /** The fp32 model the agreement check runs `forward` on (the parent for a quantized version). */
  referenceWeights: ArrayBuffer;
  /** Which tolerance the agreement check applies. */
  tolerance: Tolerated;
  /** Where `weights` came from: the run's saved weights, or read back from the .onnx bytes. */
  weightsFrom: 'run' | 'onnx';
  schema: InputSchema;
  dataset: Dataset;
  /** Data set rows of the test split (the run's, or split seed 0 for an imported model). */
  testRows: Int32Array;
};

function isDatasetId(id: string): id is DatasetId {
  return id === 'digits' || id === 'breast_cancer';
}

/** The agreement tolerance of a registry variant. */
export function toleranceFor(variant: ModelVariant): Tolerated {
  return variant === 'fp32' ? 'fp32' : variant === 'fp16' ? 'fp16' : 'int8';
}

/** A version's weights: the run's when it was exported from one as fp32, else from the ONNX. */
async function weightsOf(
  db: AppDb,
  record: ModelVersionRecord,
): Promise<{ weights: ArrayBuffer; from: 'run' | 'onnx' }> {
  const { runId, source } = record.lineage;
  if (record.variant === 'fp32' && source === 'run' && runId) {
    const run = await getRun(db, runId);
    if (run?.weights) return { weights: run.weights, from: 'run' };
  }
  const { onnxToMlp } = await import('../core/onnx/import');
  try {
    return { weights: encodeMlp(onnxToMlp(record.bytes).model), from: 'onnx' };
  } catch (err) {
    throw new Error(
      `${record.id} cannot be read back for the TypeScript and TensorFlow.js runtimes: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * Loads everything needed to serve `versionId`.
 * @throws when the version is gone, its data set is unknown, or its weights cannot be read.
 */
export async function prepareVersion(db: AppDb, versionId: string): Promise<PreparedModel> {
  const record = await getVersion(db, versionId);
  if (!record) throw new Error(`There is no model version ${versionId} in the registry.`);
  const { datasetId, runId, parentVersionId } = record.lineage;
  if (!isDatasetId(datasetId))
    throw new Error(`${versionId} was trained on an unknown data set "${datasetId}".`);
  const [own, dataset, run] = await Promise.all([
    weightsOf(db, record),
    loadDataset(datasetId),
    runId ? getRun(db, runId) : Promise.resolve(undefined),
  ]);
  let referenceWeights = own.weights;
  if (record.lineage.source === 'quantize' && parentVersionId) {
    const parent = await getVersion(db, parentVersionId);
    if (parent) referenceWeights = (await weightsOf(db, parent)).weights;
  }
  if (dataset.features !== record.inputSchema.features)
    throw new Error(
      `${versionId} takes ${record.inputSchema.features} features; the ${datasetId} data set has ${dataset.features}.`,
    );
  const testRows =
    run?.evaluation?.testIndices ??
    stratifiedSplit(dataset.y, DEFAULT_SPLIT, run?.splitSeed ?? 0).test;
  return {
    versionId,
    datasetId,
    onnx: record.bytes,
    weights: own.weights,
    referenceWeights,
    tolerance: toleranceFor(record.variant),
    weightsFrom: own.from,
    schema: record.inputSchema,
    dataset,
    testRows,
  };
}
