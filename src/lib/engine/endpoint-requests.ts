/**
 * The requests an endpoint holds: each one waiting in the queue or running in a batch until it
 * is settled, exactly once, with a prediction or a failure. Stacking a batch into one input and
 * answering its requests from the runtime's output live here; the queue, the worker and the
 * counters stay with `Endpoint`.
 */
import { argmaxRows } from '../core/forward';
import type { PredictFailure, PredictResult } from './endpoint-types';

/** A request accepted by the schema check and not yet answered. */
export type PendingRequest = {
  x: Float32Array;
  outliers: number[];
  arrivedAt: number;
  settled: boolean;
  settle: (result: PredictResult) => void;
};

export function fail(kind: PredictFailure['kind'], reason: string): PredictFailure {
  return { ok: false, kind, reason };
}

/**
 * A request that hands its result to `resolve` when settled. Aborting `signal` before then
 * settles it `aborted`, after `onAbort` (which counts it).
 */
export function pendingRequest(
  checked: { x: Float32Array; outliers: number[] },
  arrivedAt: number,
  resolve: (result: PredictResult) => void,
  signal: AbortSignal | undefined,
  onAbort: () => void,
): PendingRequest {
  const abort = () => {
    if (item.settled) return;
    onAbort();
    item.settle(fail('aborted', 'The request was aborted.'));
  };
  const item: PendingRequest = {
    x: checked.x,
    outliers: checked.outliers,
    arrivedAt,
    settled: false,
    settle: (result) => {
      item.settled = true;
      signal?.removeEventListener('abort', abort);
      resolve(result);
    },
  };
  signal?.addEventListener('abort', abort, { once: true });
  return item;
}

/** Settles each request not settled yet as a failure, calling `counted` for each one. */
export function failAll(
  items: Iterable<PendingRequest>,
  kind: PredictFailure['kind'],
  reason: string,
  counted: () => void,
): void {
  for (const item of items) {
    if (item.settled) continue;
    counted();
    item.settle(fail(kind, reason));
  }
}

/** The rows of a batch as one `[batch.length, features]` input. */
export function stackRows(batch: readonly PendingRequest[], features: number): Float32Array {
  const x = new Float32Array(batch.length * features);
  batch.forEach((item, i) => x.set(item.x, i * features));
  return x;
}

/**
 * Answers each request of a batch not settled yet with its row of the runtime's output, calling
 * `served` with its end-to-end latency first.
 */
export function answerBatch(
  batch: readonly PendingRequest[],
  output: { probabilities: Float32Array; computeMs: number },
  facts: {
    nClasses: number;
    classNames: readonly string[];
    versionId: string;
    /** When the batch was sent and when its answer came, on the endpoint's clock. */
    sentAt: number;
    done: number;
  },
  served: (latencyMs: number) => void,
): void {
  const { probabilities, computeMs } = output;
  const { nClasses, classNames, versionId, sentAt, done } = facts;
  const n = batch.length;
  const predicted = argmaxRows(probabilities, n, nClasses);
  batch.forEach((item, i) => {
    if (item.settled) return;
    const row = Array.from(probabilities.subarray(i * nClasses, (i + 1) * nClasses));
    const latencyMs = done - item.arrivedAt;
    served(latencyMs);
    item.settle({
      ok: true,
      probabilities: row,
      predictedClass: predicted[i],
      className: classNames[predicted[i]],
      versionId,
      latencyMs,
      queueMs: sentAt - item.arrivedAt,
      computeMs,
      batchSize: n,
      outliers: item.outliers,
    });
  });
}
