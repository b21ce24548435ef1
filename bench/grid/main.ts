/**
 * The latency grid harness page (see bench/vite.grid.config.ts), driven by bench/grid.mjs with
 * `page.evaluate`. Everything it runs is the app's own code, imported from src/:
 * - `prepare`: the default digits model trained by the app's Trainer (split seed 0, seed 0),
 *   registered the way the Registry does it (`runVersion`: ONNX with the run's metadata), and
 *   quantized the way the Quantize panel does it (`candidateMeta` + `buildCandidate`, i.e. core
 *   `quantizeModel`): fp16, int8 weight-only per channel, int8 dynamic (MatMulInteger);
 * - `group`: one version on one runtime at several batch sizes, measured by the Benchmark lab's
 *   engine (`BenchRunner` and the bundled bench.worker), turned into cells by the lab's `toCell`
 *   (so the labels are the lab's: emulated, software adapter, node placement...).
 */
import { DEFAULT_SPLIT, datasetFingerprint, stratifiedSplit } from '../../src/lib/core/data';
import { DEFAULT_HYPERPARAMETERS } from '../../src/lib/core/mlp';
import { decodeMlp, encodeMlp } from '../../src/lib/core/mlp-codec';
import { onnxToMlp } from '../../src/lib/core/onnx/import';
import { readOnnx } from '../../src/lib/core/onnx/inspect';
import { BenchRunner } from '../../src/lib/engine/bench-runner';
import { loadDataset } from '../../src/lib/engine/datasets';
import { Trainer } from '../../src/lib/engine/trainer';
import {
  DEFAULT_BENCH_SETTINGS,
  type BenchLoaded,
  type BenchSettings,
  type BenchTimed,
} from '../../src/lib/protocol/bench';
import type { RuntimeId } from '../../src/lib/protocol/serve';
import { toCell } from '../../src/lib/state/benchmark-ops';
import { readBenchEnvironment } from '../../src/lib/state/environment-facts';
import { buildCandidate, candidateMeta } from '../../src/lib/state/quantize-candidate';
import type { QuantizeSettings } from '../../src/lib/state/quantize-settings';
import { runVersion } from '../../src/lib/state/registry-ops';
import { completedRecord, runningRecord } from '../../src/lib/state/run-record';
import type { BenchmarkCell } from '../../src/lib/storage';

/** A version of the grid: the bytes each runtime reads, and what it is. */
type GridVersion = {
  key: string;
  variant: 'fp32' | 'fp16' | 'int8-weight' | 'int8-dynamic';
  /** The settings in words, e.g. "int8 weight-only, per-channel". */
  description: string;
  onnx: Uint8Array;
  /** `encodeMlp` bytes: the run's weights for fp32, else read back (dequantized) from the ONNX. */
  weights: ArrayBuffer;
};

const MODEL = 'digits-classifier';
const QUANTIZED: { key: string; settings: QuantizeSettings; description: string }[] = [
  { key: 'fp16', description: 'fp16 weights (Cast to float32)', settings: settings('fp16') },
  {
    key: 'int8-weight',
    description: 'int8 weight-only (QDQ), per-channel',
    settings: settings('int8-weight'),
  },
  {
    key: 'int8-dynamic',
    description: 'int8 dynamic (DynamicQuantizeLinear + MatMulInteger), per-channel',
    settings: settings('int8-dynamic'),
  },
];

function settings(mode: QuantizeSettings['mode']): QuantizeSettings {
  return {
    mode,
    perChannel: true,
    calibrationRows: 200,
    calibrationMethod: 'minmax',
    dynamicOp: 'MatMulInteger',
    staticFormat: 'qdq',
  };
}

let state: {
  versions: GridVersion[];
  testX: Float32Array;
  testY: Int32Array;
  features: number;
  nClasses: number;
} | null = null;

/** Trains, registers and quantizes; returns what each version is (sizes, settings). */
async function prepare() {
  const ds = await loadDataset('digits', '/');
  const splitSeed = 0;
  const split = stratifiedSplit(ds.y, DEFAULT_SPLIT, splitSeed);
  const hyperparameters = { ...DEFAULT_HYPERPARAMETERS, seed: 0 };
  const createdAt = Date.now();
  const running = runningRecord({
    id: `run-${createdAt}-grid00`,
    createdAt,
    datasetId: ds.id,
    splitSeed,
    hyperparameters,
    fingerprint: await datasetFingerprint(ds, split),
    backend: 'wasm',
  });
  const trainer = new Trainer();
  const t0 = performance.now();
  const { x, y, rows, features, nClasses } = ds;
  const result = await trainer.train({
    ...{ x, y, rows, features, nClasses, split, hyperparameters },
    backend: 'wasm',
  });
  const trainMs = performance.now() - t0;
  trainer.dispose();
  const run = completedRecord(running, result, {
    nClasses,
    testIndices: split.test,
    finishedAt: Date.now(),
  });
  const parent = runVersion(run, ds, { modelName: MODEL, note: '', appVersion: __APP_VERSION__ });
  const parentId = `${MODEL}@v1`;
  const model = decodeMlp(run.weights!);
  const summary = readOnnx(parent.bytes);
  const versions: GridVersion[] = [
    {
      key: 'fp32',
      variant: 'fp32',
      description: 'fp32 (as registered from the run)',
      onnx: parent.bytes,
      weights: run.weights!,
    },
  ];
  for (const q of QUANTIZED) {
    const meta = candidateMeta(summary, parentId, q.settings.mode);
    const onnx = buildCandidate(model, q.settings, meta);
    versions.push({
      key: q.key,
      variant: q.key as GridVersion['variant'],
      description: q.description,
      onnx,
      weights: encodeMlp(onnxToMlp(onnx).model),
    });
  }
  const testX = new Float32Array(split.test.length * features);
  split.test.forEach((r, i) =>
    testX.set(x.subarray(r * features, (r + 1) * features), i * features),
  );
  const testY = Int32Array.from(split.test, (r) => y[r]);
  state = { versions, testX, testY, features, nClasses };
  return {
    trainMs,
    trainBackend: result.backend,
    hyperparameters,
    runTestAccuracy: run.metrics?.testAccuracy ?? null,
    testRows: split.test.length,
    features,
    nClasses,
    versions: versions.map((v) => ({
      key: v.key,
      variant: v.variant,
      description: v.description,
      bytes: v.onnx.length,
      ratioToFp32: v.onnx.length / parent.bytes.length,
    })),
  };
}

/**
 * One group: `versionKey` on `runtime` with `threads`, at each of `batches`, in a fresh
 * bench.worker. Returns the worker's reports and the lab's cells (or the failure).
 */
async function group(
  versionKey: string,
  runtime: RuntimeId,
  threads: number,
  batches: number[],
  benchSettings: BenchSettings,
) {
  if (!state) throw new Error('call prepare() first');
  const v = state.versions.find((x) => x.key === versionKey);
  if (!v) throw new Error(`no version ${versionKey}`);
  const runner = new BenchRunner();
  const t0 = performance.now();
  try {
    const { loaded, timed } = await runner.measureGroup({
      runtime,
      threads,
      onnx: v.onnx,
      weights: v.weights,
      testX: state.testX,
      testY: state.testY,
      features: state.features,
      nClasses: state.nClasses,
      batches,
      settings: benchSettings,
    });
    const version = { id: `${MODEL}@${v.key}`, variant: v.variant, sizeBytes: v.onnx.length };
    const cells: BenchmarkCell[] = timed.map((t) => toCell(version, loaded, t, threads));
    return { ok: true as const, loaded, timed, cells, wallMs: performance.now() - t0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false as const, error: message, wallMs: performance.now() - t0 };
  } finally {
    runner.dispose();
  }
}

export type GroupReply = Awaited<ReturnType<typeof group>>;
export type { BenchLoaded, BenchTimed };

const api = {
  prepare,
  environment: readBenchEnvironment,
  group,
  /** The Benchmark lab's shipped settings (the grid may shorten the warm-ups). */
  defaults: () => ({ ...DEFAULT_BENCH_SETTINGS }),
};
(window as unknown as { __gridBench: typeof api }).__gridBench = api;
const status = document.getElementById('status');
if (status) {
  status.textContent = 'Ready.';
  status.dataset.status = 'ready';
}
