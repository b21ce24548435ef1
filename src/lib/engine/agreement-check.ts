/**
 * The agreement check: run a runtime on the test split in a serving worker and compare its
 * probabilities with the reference forward pass (core/forward.ts). The result says how far apart
 * they are and whether that is within the tolerance of the model variant; a runtime outside it is
 * flagged, never hidden.
 */
import {
  compareOutputs,
  TOLERANCES,
  toleranceProblems,
  type Agreement,
  type ModelVariant,
  type Tolerance,
} from '../core/agreement';
import { forward } from '../core/forward';
import { decodeMlp } from '../core/mlp-codec';
import type { RuntimeId } from '../protocol/serve';
import { createServeWorker, ServeClient, type ServeWorkerLike } from './serve-client';

export type AgreementCheckInput = {
  runtime: RuntimeId;
  /** The model the runtime serves, as ONNX (for `ort-*`). */
  onnx: Uint8Array;
  /** The fp32 reference model (`encodeMlp` bytes): `forward` runs it. */
  weights: ArrayBuffer;
  /** What `plain-ts` and `tfjs-*` serve, when not `weights` (e.g. a dequantized variant). */
  candidateWeights?: ArrayBuffer;
  /** Row-major `[rows, features]` data set features. */
  x: Float32Array;
  /** Rows to check (e.g. the test split), indices into `x`. */
  rows: ArrayLike<number>;
  /** Which tolerance applies (default `fp32`). */
  variant?: ModelVariant;
  threads?: number;
  /** Rows per `infer` call (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
  createWorker?: () => ServeWorkerLike;
};

export type AgreementReport = {
  runtime: RuntimeId;
  /** Differs from `runtime` after a fallback: the report is then about the fallback. */
  actualRuntime: RuntimeId;
  fallbackReason?: string;
  variant: ModelVariant;
  agreement: Agreement;
  tolerance: Tolerance;
  /** True when within tolerance. */
  ok: boolean;
  /** Why not, one sentence per limit broken. */
  problems: string[];
};

function abortError(): Error {
  const error = new Error('The agreement check was aborted.');
  error.name = 'AbortError';
  return error;
}

/**
 * Runs the check. Rejects with an `AbortError` when `signal` fires, and with the worker's error
 * when no runtime starts or a batch fails.
 */
export async function checkAgreement(input: AgreementCheckInput): Promise<AgreementReport> {
  const { signal } = input;
  if (signal?.aborted) throw abortError();
  const model = decodeMlp(input.weights);
  const features = model.inputSize;
  const nClasses = model.layers[model.layers.length - 1].bias.length;
  const n = input.rows.length;
  const batchSize = input.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer (got ${batchSize}).`);
  const available = Math.floor(input.x.length / features);
  const selected = new Float32Array(n * features);
  for (let i = 0; i < n; i++) {
    const r = input.rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= available)
      throw new Error(`Row index ${r} is outside [0, ${available}).`);
    selected.set(input.x.subarray(r * features, (r + 1) * features), i * features);
  }
  const reference = forward(model, selected, n);

  const client = new ServeClient(input.createWorker ?? createServeWorker);
  const onAbort = () => client.terminate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const loaded = await client.load({
      runtime: input.runtime,
      onnx: input.onnx.slice(),
      weights: (input.candidateWeights ?? input.weights).slice(0),
      ...(input.threads === undefined ? {} : { threads: input.threads }),
    });
    const candidate = new Float32Array(n * nClasses);
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const chunk = selected.slice(start * features, (start + count) * features);
      const { probabilities } = await client.infer(chunk, count);
      candidate.set(probabilities, start * nClasses);
    }
    const variant = input.variant ?? 'fp32';
    const tolerance = TOLERANCES[variant];
    const agreement = compareOutputs(reference, candidate, nClasses);
    const problems = toleranceProblems(agreement, tolerance);
    return {
      runtime: input.runtime,
      actualRuntime: loaded.actualRuntime,
      ...(loaded.fallbackReason ? { fallbackReason: loaded.fallbackReason } : {}),
      variant,
      agreement,
      tolerance,
      ok: problems.length === 0,
      problems,
    };
  } catch (error) {
    if (signal?.aborted) throw abortError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    client.terminate();
  }
}
