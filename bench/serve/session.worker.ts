/**
 * Times the runtime call itself, without the serve worker's messaging: the app's runtime adapters
 * (src/lib/workers/runtimes), started the way src/lib/workers/serve.worker.ts starts them, called
 * in a worker like the app calls them. Two timings per batch size:
 * - per call: `performance.now()` around each `adapter.run` (what the serve worker's `computeMs`
 *   measures; quantised by the timer resolution, 5 us when cross-origin isolated);
 * - groups: `performance.now()` around `groupSize` back-to-back calls, divided by `groupSize`
 *   ("percentile of group means", CONTRACTS.md), so calls shorter than the resolution still get
 *   a usable figure.
 * No fallback here: a runtime that does not start is reported as such.
 */
import { decodeMlp } from '../../src/lib/core/mlp-codec';
import type { RuntimeId } from '../../src/lib/protocol/serve';
import type { RuntimeAdapter } from '../../src/lib/workers/runtimes/adapter';
import { makeAdapter } from '../../src/lib/workers/runtimes/make-adapter';
import type { OrtContext } from '../../src/lib/workers/runtimes/ort';
import { PlainRuntime } from '../../src/lib/workers/runtimes/plain';
import { timerResolutionMs } from './timer';

export type SessionRequest = {
  runtime: RuntimeId;
  threads: number;
  onnx: Uint8Array;
  weights: ArrayBuffer;
  /** Rows to feed, row-major `[rows, features]`; batches cycle through them. */
  x: Float32Array;
  features: number;
  batchSizes: number[];
  /** Timed single calls per batch size (after warm-up). */
  calls: number;
  /** Timed groups per batch size. */
  groups: number;
  /** Untimed calls before timing, per batch size. */
  warmup: number;
  /** A group lasts about this long (its size is picked from the single calls), milliseconds. */
  groupTargetMs: number;
  /** The clock's step, milliseconds (set by the worker itself before timing). */
  timerResolutionMs: number;
  /** Stop timing a batch size after this long, milliseconds (slow software adapters). */
  maxPhaseMs: number;
};

export type SessionBatchResult = {
  batch: number;
  perCallMs: number[];
  groupSize: number;
  groupMeansMs: number[];
  /** The paired plain TS baseline (batch 1 only; else size 0 and no samples). */
  plainGroupSize: number;
  plainGroupMeansMs: number[];
};

export type SessionReply =
  | {
      ok: true;
      threads: number;
      details: Record<string, string>;
      loadMs: number;
      timerResolutionMs: number;
      crossOriginIsolated: boolean;
      batches: SessionBatchResult[];
    }
  | { ok: false; error: string; timerResolutionMs: number; crossOriginIsolated: boolean };

type WorkerScope = {
  postMessage(message: SessionReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<SessionRequest>) => void): void;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; gpu?: OrtContext['gpu'] };
};
const scope = globalThis as unknown as WorkerScope;

/** `batch` rows starting at row `start` of `x` (wrapping), as a fresh array (as a request is). */
function rowsAt(x: Float32Array, features: number, start: number, batch: number): Float32Array {
  const total = x.length / features;
  const out = new Float32Array(batch * features);
  for (let i = 0; i < batch; i++) {
    const r = (start + i) % total;
    out.set(x.subarray(r * features, (r + 1) * features), i * features);
  }
  return out;
}

/** The mean time of `size` back-to-back calls, milliseconds. */
async function groupMean(
  adapter: RuntimeAdapter,
  input: (i: number) => Float32Array,
  batch: number,
  size: number,
  offset: number,
): Promise<number> {
  const t0 = performance.now();
  for (let k = 0; k < size; k++) await adapter.run(input(offset + k), batch);
  return (performance.now() - t0) / size;
}

/**
 * Group size from the median single call (at least one timer step), so that a group lasts about
 * groupTargetMs; calls that already last that long are not grouped (size 1).
 */
function groupSizeFor(perCallMs: number[], request: SessionRequest): number {
  const sorted = Float64Array.from(perCallMs).sort();
  const typicalMs = Math.max(sorted[sorted.length >> 1] ?? 0, request.timerResolutionMs);
  return Math.max(1, Math.min(200, Math.round(request.groupTargetMs / typicalMs)));
}

/**
 * Times `adapter` at one batch size. With `plain`, the plain forward pass is timed in the same
 * worker as a paired baseline: one plain group after each of the runtime's groups, so that both
 * see the same machine state (the ratio to plain TS is taken from these pairs).
 */
async function timeBatch(
  adapter: RuntimeAdapter,
  request: SessionRequest,
  batch: number,
  plain: RuntimeAdapter | null,
): Promise<SessionBatchResult> {
  const { x, features } = request;
  const total = x.length / features;
  // Inputs prepared ahead, so only the call is timed (the adapter copies nothing it owns).
  const pool = Array.from({ length: 64 }, (_, i) =>
    rowsAt(x, features, (i * batch) % total, batch),
  );
  const input = (i: number) => pool[i % pool.length];
  for (let i = 0; i < request.warmup; i++) await adapter.run(input(i), batch);
  const perCallMs: number[] = [];
  const phaseStart = performance.now();
  for (let i = 0; i < request.calls; i++) {
    const xi = input(i);
    const t0 = performance.now();
    await adapter.run(xi, batch);
    perCallMs.push(performance.now() - t0);
    if (performance.now() - phaseStart > request.maxPhaseMs) break;
  }
  let plainGroupSize = 0;
  const plainGroupMeansMs: number[] = [];
  if (plain) {
    const plainCalls: number[] = [];
    for (let i = 0; i < request.warmup + 200; i++) {
      const xi = input(i);
      const t0 = performance.now();
      await plain.run(xi, batch);
      if (i >= request.warmup) plainCalls.push(performance.now() - t0);
    }
    plainGroupSize = groupSizeFor(plainCalls, request);
  }
  const groupSize = groupSizeFor(perCallMs, request);
  const groupMeansMs: number[] = [];
  const groupStart = performance.now();
  for (let g = 0; groupSize > 1 && g < request.groups; g++) {
    groupMeansMs.push(await groupMean(adapter, input, batch, groupSize, g * groupSize));
    if (plain)
      plainGroupMeansMs.push(
        await groupMean(plain, input, batch, plainGroupSize, g * plainGroupSize),
      );
    if (performance.now() - groupStart > request.maxPhaseMs) break;
  }
  // Runtimes too slow to group: the baseline is taken right after their single calls.
  for (let g = 0; plain && plainGroupMeansMs.length === 0 && g < 300; g++)
    plainGroupMeansMs.push(
      await groupMean(plain, input, batch, plainGroupSize, g * plainGroupSize),
    );
  return { batch, perCallMs, groupSize, groupMeansMs, plainGroupSize, plainGroupMeansMs };
}

scope.addEventListener('message', async (event) => {
  const timer = timerResolutionMs();
  const request = { ...event.data, timerResolutionMs: timer };
  const crossOriginIsolated = scope.crossOriginIsolated === true;
  const adapter = makeAdapter(request.runtime);
  try {
    const start = performance.now();
    const info = await adapter.load(
      { onnx: request.onnx, model: decodeMlp(request.weights) },
      { threads: request.threads },
    );
    const loadMs = performance.now() - start;
    const batches: SessionBatchResult[] = [];
    // The paired plain TS baseline, at batch 1 (where DESIGN.md's ratio is budgeted).
    const plain = new PlainRuntime();
    await plain.load({ onnx: request.onnx, model: decodeMlp(request.weights) });
    for (const batch of request.batchSizes)
      batches.push(await timeBatch(adapter, request, batch, batch === 1 ? plain : null));
    scope.postMessage({
      ok: true,
      threads: info.threads,
      details: info.details,
      loadMs,
      timerResolutionMs: timer,
      crossOriginIsolated,
      batches,
    });
  } catch (error) {
    scope.postMessage({
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      timerResolutionMs: timer,
      crossOriginIsolated,
    });
  } finally {
    await adapter.dispose().catch(() => undefined);
  }
});
