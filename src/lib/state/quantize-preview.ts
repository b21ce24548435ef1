/**
 * The figures of a quantize preview: the outputs onnxruntime-web sent back ({@link tapOutputs}
 * records them while `checkAgreement` runs), the test accuracy computed from them, and the size,
 * accuracy and agreement judged against CONTRACTS.md's tolerance of the mode.
 */
import { TOLERANCES, type Agreement, type Tolerance } from '../core/agreement';
import { argmaxRows } from '../core/forward';
import type { QuantizeMode } from '../core/onnx/quantize';
import type { ServeWorkerLike } from '../engine/serve-client';
import { isServeReply } from '../protocol/serve';
import { toleranceVariant } from './quantize-settings';

/**
 * Wraps a serving-worker factory so that every `result` the worker sends is also recorded, in
 * order. `checkAgreement` reports the agreement only; the recorded probabilities are the very
 * outputs it compared, from which test accuracy is computed.
 */
export function tapOutputs(create: () => ServeWorkerLike): {
  createWorker: () => ServeWorkerLike;
  outputs: () => Float32Array;
} {
  const chunks: Float32Array[] = [];
  const createWorker = (): ServeWorkerLike => {
    const worker = create();
    const record = (event: MessageEvent<unknown>) => {
      const reply = event.data;
      if (isServeReply(reply) && reply.type === 'result') chunks.push(reply.probabilities.slice());
    };
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      addEventListener: ((
        type: 'message' | 'error' | 'messageerror',
        listener: (e: never) => void,
      ) => {
        if (type === 'message')
          worker.addEventListener('message', (event) => {
            record(event);
            (listener as (e: MessageEvent<unknown>) => void)(event);
          });
        else worker.addEventListener(type, listener as (e: Event) => void);
      }) as ServeWorkerLike['addEventListener'],
      terminate: () => worker.terminate(),
    };
  };
  const outputs = () => {
    const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  return { createWorker, outputs };
}

/** Fraction of rows whose most probable class is the label. */
export function accuracyOf(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  nClasses: number,
): number {
  const n = labels.length;
  if (probabilities.length !== n * nClasses)
    throw new Error(
      `${probabilities.length} probabilities do not fit ${n} rows of ${nClasses} classes.`,
    );
  const predicted = argmaxRows(probabilities, n, nClasses);
  let right = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) right++;
  return n === 0 ? 0 : right / n;
}

/** One figure against its limit: `pass`/`fail`, or `info` where no limit applies to the mode. */
export type Verdict = { status: 'pass' | 'fail' | 'info'; text: string };

/** The figures of a preview. Fractions in [0, 1]; `accuracyDelta` = candidate - fp32. */
export type PreviewFigures = {
  rows: number;
  sizeBytes: number;
  parentSizeBytes: number;
  /** `sizeBytes / parentSizeBytes`. */
  ratio: number;
  fp32Accuracy: number;
  accuracy: number;
  accuracyDelta: number;
  agreement: Agreement;
  tolerance: Tolerance;
  toleranceVariant: 'fp16' | 'int8';
  verdicts: { size: Verdict; top1: Verdict; maxAbsDiff: Verdict };
  /** True when the mode's tolerance holds and the file is smaller. */
  ok: boolean;
};

const pct = (f: number) => `${(f * 100).toFixed(f === 1 ? 0 : 2)}%`;

/** Puts the measured numbers together and judges them against `TOLERANCES` of the mode. */
export function previewFigures(input: {
  mode: QuantizeMode;
  sizeBytes: number;
  parentSizeBytes: number;
  agreement: Agreement;
  accuracy: number;
  fp32Accuracy: number;
}): PreviewFigures {
  const { mode, sizeBytes, parentSizeBytes, agreement } = input;
  const variant = toleranceVariant(mode);
  const tolerance = TOLERANCES[variant];
  const judge = (limit: number | undefined, pass: boolean, text: string, none: string): Verdict =>
    limit === undefined ? { status: 'info', text: none } : { status: pass ? 'pass' : 'fail', text };
  const top1 = judge(
    tolerance.minTop1,
    agreement.top1Agreement >= (tolerance.minTop1 ?? 0),
    `needs ≥ ${pct(tolerance.minTop1 ?? 0)}`,
    `reported: the ${variant} limit is on max |Δp|`,
  );
  const maxAbsDiff = judge(
    tolerance.maxAbsDiff,
    agreement.maxAbsDiff <= (tolerance.maxAbsDiff ?? Infinity),
    `needs ≤ ${tolerance.maxAbsDiff ?? ''}`,
    `reported: the ${variant} limit is on top-1 agreement`,
  );
  const smaller = sizeBytes < parentSizeBytes;
  const size: Verdict = {
    status: smaller ? 'pass' : 'fail',
    text: smaller ? 'smaller than fp32' : 'not smaller than fp32',
  };
  return {
    rows: agreement.rows,
    sizeBytes,
    parentSizeBytes,
    ratio: sizeBytes / parentSizeBytes,
    fp32Accuracy: input.fp32Accuracy,
    accuracy: input.accuracy,
    accuracyDelta: input.accuracy - input.fp32Accuracy,
    agreement,
    tolerance,
    toleranceVariant: variant,
    verdicts: { size, top1, maxAbsDiff },
    ok: smaller && top1.status !== 'fail' && maxAbsDiff.status !== 'fail',
  };
}
