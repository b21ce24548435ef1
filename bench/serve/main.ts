/**
 * The serving benchmark harness page (see bench/vite.serve.config.ts). It exposes
 * `window.__serveBench`, which bench/serve.mjs drives step by step with `page.evaluate`; every
 * step returns raw samples (milliseconds) and Node summarises them. What is timed is the app's
 * own code, imported from src/:
 * - `session`: the runtime adapters called in a worker (session.worker.ts), per call and in groups;
 * - `client`: `ServeClient` and the bundled serve worker (`createServeWorker`), the path every
 *   Endpoint request takes: the round trip as the page sees it, and `computeMs` from the worker;
 * - `endpoint`: `Endpoint` (validation, queue, dynamic batching) one request at a time, then load
 *   bursts measured like the Serve screen's "Send a burst" (answers / wall time).
 * The model is the app's default digits MLP, trained here by the app's Trainer on split seed 0.
 */
import { DEFAULT_SPLIT, stratifiedSplit, type Dataset } from '../../src/lib/core/data';
import { argmaxRows, forward } from '../../src/lib/core/forward';
import { inputRanges, type InputSchema } from '../../src/lib/core/input-schema';
import { DEFAULT_HYPERPARAMETERS, type MlpWeights } from '../../src/lib/core/mlp';
import { encodeMlp } from '../../src/lib/core/mlp-codec';
import { mlpToOnnx } from '../../src/lib/core/onnx/export';
import { loadDataset } from '../../src/lib/engine/datasets';
import { Endpoint } from '../../src/lib/engine/endpoint';
import { createServeWorker, ServeClient } from '../../src/lib/engine/serve-client';
import { Trainer } from '../../src/lib/engine/trainer';
import type { LoadInfo, RuntimeId } from '../../src/lib/protocol/serve';
import type { SessionReply, SessionRequest } from './session.worker';
import { timerResolutionMs } from './timer';

type LongTask = { startTime: number; duration: number };
const longTasks: LongTask[] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      longTasks.push({ startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API: `longestTaskMs` reads null.
}

/** The longest main-thread task overlapping [t0, t1] (page clock), or null without the API. */
function longestTask(t0: number, t1: number): number | null {
  if (!PerformanceObserver.supportedEntryTypes?.includes('longtask')) return null;
  const during = longTasks.filter((t) => t.startTime < t1 && t.startTime + t.duration > t0);
  return Math.max(0, ...during.map((t) => t.duration));
}

/** A pause that lets the observer deliver entries and the workers settle. */
const settle = (ms = 100) => new Promise((done) => setTimeout(done, ms));

type Prepared = {
  dataset: Dataset;
  model: MlpWeights;
  onnx: Uint8Array;
  weights: ArrayBuffer;
  schema: InputSchema;
  testRows: Int32Array;
  /** Row-major test rows, and the plain forward pass on them (the reference). */
  testX: Float32Array;
  testY: Int32Array;
  reference: Float32Array;
};
let prepared: Prepared | null = null;

function need(): Prepared {
  if (!prepared) throw new Error('call prepare() first');
  return prepared;
}

/** Trains the default digits model with the app's Trainer and exports it the way the app does. */
async function prepare() {
  const dataset = await loadDataset('digits', '/');
  const split = stratifiedSplit(dataset.y, DEFAULT_SPLIT, 0);
  const trainer = new Trainer();
  const start = performance.now();
  const result = await trainer.train({
    x: dataset.x,
    y: dataset.y,
    rows: dataset.rows,
    features: dataset.features,
    nClasses: dataset.nClasses,
    split,
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, seed: 0 },
    backend: 'wasm',
  });
  const trainMs = performance.now() - start;
  trainer.dispose();
  const model = result.weights;
  const onnx = mlpToOnnx(model, {
    inputName: 'input',
    outputName: 'probabilities',
    properties: { purpose: 'serving benchmark' },
  });
  const { min, max } = inputRanges(dataset.x, dataset.features, split.train);
  const schema: InputSchema = {
    features: dataset.features,
    nClasses: dataset.nClasses,
    classNames: dataset.classNames,
    featureNames: dataset.featureNames,
    min,
    max,
  };
  const f = dataset.features;
  const testRows = split.test;
  const testX = new Float32Array(testRows.length * f);
  testRows.forEach((r, i) => testX.set(dataset.x.subarray(r * f, (r + 1) * f), i * f));
  const testY = Int32Array.from(testRows, (r) => dataset.y[r]);
  const reference = forward(model, testX, testRows.length);
  prepared = {
    dataset,
    model,
    onnx,
    weights: encodeMlp(model),
    schema,
    testRows,
    testX,
    testY,
    reference,
  };
  const predicted = argmaxRows(reference, testRows.length, dataset.nClasses);
  return {
    trainMs,
    trainBackend: result.backend,
    hidden: DEFAULT_HYPERPARAMETERS.hidden,
    features: f,
    nClasses: dataset.nClasses,
    testRows: testRows.length,
    testAccuracy: predicted.filter((p, i) => p === testY[i]).length / testRows.length,
    onnxBytes: onnx.length,
  };
}

/** What the page knows about its context: isolation, cores, clock, GPU adapters. */
async function environment() {
  let webgl: string | null = null;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      webgl = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
  } catch {
    webgl = null;
  }
  let webgpu: string | null = null;
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu) {
    try {
      const adapter = (await gpu.requestAdapter()) as {
        info?: { vendor?: string; architecture?: string; description?: string };
        isFallbackAdapter?: boolean;
      } | null;
      webgpu = adapter
        ? [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description]
            .filter(Boolean)
            .join(' ') || 'unknown adapter'
        : null;
    } catch {
      webgpu = null;
    }
  }
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    timerResolutionMs: timerResolutionMs(),
    userAgent: navigator.userAgent,
    webgl,
    webgpu,
  };
}

type Counts = { calls: number; groups: number; warmup: number; maxPhaseMs: number };

/** The runtime adapter alone, in a worker: per call and group means, batch 1 and 64. */
function session(runtime: RuntimeId, threads: number, counts: Counts): Promise<SessionReply> {
  const p = need();
  const worker = new Worker(new URL('./session.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<SessionReply>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<SessionReply>) => resolve(event.data));
    worker.addEventListener('error', (event) =>
      reject(new Error(`session worker: ${event.message}`)),
    );
    const request: SessionRequest = {
      runtime,
      threads,
      onnx: p.onnx.slice(),
      weights: p.weights.slice(0),
      x: p.testX,
      features: p.dataset.features,
      batchSizes: [1, 64],
      groupTargetMs: 0.5,
      timerResolutionMs: 0, // measured in the worker
      ...counts,
    };
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/** Up to `batch` test rows from test row `start` on (wrapping), as a fresh array. */
function testBatch(start: number, batch: number): Float32Array {
  const p = need();
  const f = p.dataset.features;
  const n = p.testRows.length;
  const out = new Float32Array(batch * f);
  for (let i = 0; i < batch; i++) {
    const r = (start + i) % n;
    out.set(p.testX.subarray(r * f, (r + 1) * f), i * f);
  }
  return out;
}

/**
 * ServeClient + the app's serve worker: load, agreement with the plain forward pass on the whole
 * test split, then per batch size the round trip seen by the page and the worker's `computeMs`.
 */
async function client(runtime: RuntimeId, threads: number, counts: Counts) {
  const p = need();
  const c = new ServeClient(createServeWorker);
  try {
    const t0 = performance.now();
    const info: LoadInfo = await c.load({
      runtime,
      onnx: p.onnx.slice(),
      weights: p.weights.slice(0),
      threads,
    });
    const startMs = performance.now() - t0;
    // Agreement on the test split, in batches of 64.
    const n = p.testRows.length;
    const k = p.dataset.nClasses;
    let maxAbsDiff = 0;
    let agree = 0;
    let correct = 0;
    for (let start = 0; start < n; start += 64) {
      const batch = Math.min(64, n - start);
      const { probabilities } = await c.infer(testBatch(start, batch), batch);
      const got = argmaxRows(probabilities, batch, k);
      const want = argmaxRows(p.reference.subarray(start * k, (start + batch) * k), batch, k);
      for (let i = 0; i < batch * k; i++)
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(probabilities[i] - p.reference[start * k + i]));
      for (let i = 0; i < batch; i++) {
        if (got[i] === want[i]) agree++;
        if (got[i] === p.testY[start + i]) correct++;
      }
    }
    const batches = [];
    for (const batch of [1, 64]) {
      const pool = Array.from({ length: 64 }, (_, i) => testBatch(i * batch, batch));
      // infer transfers (detaches) its input, so each call gets a copy made before the timer.
      for (let i = 0; i < counts.warmup; i++) await c.infer(pool[i % 64].slice(), batch);
      const roundTripMs: number[] = [];
      const computeMs: number[] = [];
      const phaseStart = performance.now();
      for (let i = 0; i < counts.calls; i++) {
        const x = pool[i % 64].slice();
        const s = performance.now();
        const result = await c.infer(x, batch);
        roundTripMs.push(performance.now() - s);
        computeMs.push(result.computeMs);
        if (performance.now() - phaseStart > counts.maxPhaseMs) break;
      }
      batches.push({ batch, roundTripMs, computeMs });
    }
    return {
      ok: true as const,
      info,
      startMs,
      agreement: { rows: n, maxAbsDiff, top1Agreement: agree / n, accuracy: correct / n },
      batches,
    };
  } catch (error) {
    return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  } finally {
    c.terminate();
  }
}

type BurstOptions = {
  size: number;
  repeats: number;
  policies: { maxBatch: number; maxWaitMs: number }[];
};

/**
 * The Endpoint: `calls` requests one at a time with no batching (max batch 1), then per batching
 * policy `repeats` bursts of `size` requests, each timed from the first send to the last answer
 * (as the Serve screen's "Send a burst" does).
 */
async function endpoint(runtime: RuntimeId, threads: number, counts: Counts, burst: BurstOptions) {
  const p = need();
  const f = p.dataset.features;
  const n = p.testRows.length;
  const row = (i: number) => p.testX.subarray((i % n) * f, ((i % n) + 1) * f);
  const e = new Endpoint({ policy: { maxBatch: 1, maxWaitMs: 0 }, idleTimeoutMs: 0 });
  try {
    const info = await e.start({
      runtime,
      onnx: p.onnx,
      weights: p.weights,
      schema: p.schema,
      versionId: `bench@${runtime}`,
      threads,
    });
    for (let i = 0; i < counts.warmup; i++) await e.predict(row(i));
    const requestMs: number[] = [];
    const latencyMs: number[] = [];
    let failed = 0;
    const phaseStart = performance.now();
    for (let i = 0; i < counts.calls; i++) {
      const s = performance.now();
      const answer = await e.predict(row(i));
      requestMs.push(performance.now() - s);
      if (answer.ok) latencyMs.push(answer.latencyMs);
      else failed++;
      if (performance.now() - phaseStart > counts.maxPhaseMs) break;
    }
    const inputs = Array.from({ length: burst.size }, (_, i) => row(i));
    const bursts = [];
    const warmups = [];
    for (const policy of burst.policies) {
      e.setPolicy(policy);
      // A warm-up burst of the Serve screen's default size (2,000): its long tasks are kept.
      const w0 = performance.now();
      const warm = await e.burst(inputs.slice(0, Math.min(2000, burst.size)));
      const w1 = performance.now();
      await settle();
      warmups.push({
        ...policy,
        size: warm.length,
        wallMs: w1 - w0,
        longestTaskMs: longestTask(w0, w1),
      });
      for (let r = 0; r < burst.repeats; r++) {
        const before = e.stats.batchSizes;
        const t0 = performance.now();
        const results = await e.burst(inputs);
        const t1 = performance.now();
        const after = e.stats.batchSizes;
        const batchSizes: Record<string, number> = {};
        for (const [size, count] of Object.entries(after)) {
          const d = count - (before[Number(size)] ?? 0);
          if (d > 0) batchSizes[size] = d;
        }
        await settle();
        const answered = results.filter((x) => x.ok).length;
        bursts.push({
          ...policy,
          size: burst.size,
          answered,
          wallMs: t1 - t0,
          perSecond: answered / ((t1 - t0) / 1000),
          batchSizes,
          longestTaskMs: longestTask(t0, t1),
        });
      }
    }
    return { ok: true as const, info, requestMs, latencyMs, failed, bursts, warmups };
  } catch (error) {
    return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  } finally {
    e.stop();
  }
}

const api = { prepare, environment, session, client, endpoint };
export type ServeBenchApi = typeof api;
(window as unknown as { __serveBench: ServeBenchApi }).__serveBench = api;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'Ready.';
  status.dataset.status = 'ready';
}
