/**
 * Pure helpers of the benchmark lab: the grid plan (versions x runtimes x threads x batch sizes),
 * the labels of cells no runtime runs natively (CONTRACTS.md), turning the worker's reports into
 * stored cells, and number formats. No DOM, no workers, no IndexedDB.
 */
import type { BenchLoaded, BenchTimed } from '../protocol/bench';
import { RUNTIME_IDS, type RuntimeId } from '../protocol/serve';
import type { BenchmarkCell } from '../storage';
import type { RegistryState } from './registry.svelte';

/** Batch sizes the grid offers, and those chosen by default. */
export const BATCH_CHOICES: readonly number[] = Object.freeze([1, 4, 16, 64, 256]);
export const DEFAULT_BATCHES: readonly number[] = Object.freeze([1, 16, 256]);
/** Runtimes chosen by default: the budgeted one and the reference. */
export const DEFAULT_RUNTIMES: readonly RuntimeId[] = Object.freeze(['ort-wasm', 'plain-ts']);

/** The label of plain-TS and tfjs cells of a quantized version. */
export const EMULATED_LABEL = 'emulated (dequantized)';

/** The label of WebGPU cells on a software (CPU-emulated) adapter such as SwiftShader. */
export const SOFTWARE_ADAPTER_LABEL = "software adapter: its timings are not a GPU's";

/** What the grid needs of a registry version. */
export type VersionChoice = {
  id: string;
  modelName: string;
  version: number;
  variant: string;
  sizeBytes: number;
  datasetId: string;
  /** E.g. "digits-classifier v2 (int8-dynamic)". */
  label: string;
};

/** Every registered version, newest first, with its grid label. */
export function versionChoices(
  registry: Pick<RegistryState, 'models' | 'versionsOf'>,
): VersionChoice[] {
  const versions = registry.models.flatMap((m) => [...registry.versionsOf(m.name)]);
  return versions
    .sort((a, b) => b.createdAt - a.createdAt || b.version - a.version)
    .map((v) => ({
      id: v.id,
      modelName: v.modelName,
      version: v.version,
      variant: v.variant,
      sizeBytes: v.sizeBytes,
      datasetId: v.lineage.datasetId,
      label: `${v.modelName} v${v.version}${v.variant === 'fp32' ? '' : ` (${v.variant})`}`,
    }));
}

/** One model on one runtime with one thread count, at every chosen batch size (one worker). */
export type PlannedGroup = {
  versionId: string;
  runtime: RuntimeId;
  threads: number;
  batches: number[];
};

/**
 * The grid as groups, in a stable order: versions as given, runtimes in `RUNTIME_IDS` order,
 * threads ascending. Only `ort-wasm` has a thread choice; every other runtime runs once, on
 * 1 thread. Duplicates are dropped; an empty choice gives an empty plan.
 */
export function planGrid(
  versionIds: readonly string[],
  runtimes: readonly RuntimeId[],
  threads: readonly number[],
  batches: readonly number[],
): PlannedGroup[] {
  const b = [...new Set(batches)]
    .filter((n) => Number.isInteger(n) && n >= 1)
    .sort((x, y) => x - y);
  const t = [...new Set(threads)]
    .filter((n) => Number.isInteger(n) && n >= 1)
    .sort((x, y) => x - y);
  if (b.length === 0) return [];
  const plan: PlannedGroup[] = [];
  for (const versionId of new Set(versionIds)) {
    for (const runtime of RUNTIME_IDS.filter((r) => runtimes.includes(r))) {
      for (const threadCount of runtime === 'ort-wasm' ? t : [1]) {
        plan.push({ versionId, runtime, threads: threadCount, batches: b });
      }
    }
  }
  return plan;
}

/** How many cells a plan measures. */
export function cellCount(plan: readonly PlannedGroup[]): number {
  return plan.reduce((sum, g) => sum + g.batches.length, 0);
}

/**
 * Why a cell's numbers are not the plain story, joined by '; ', or undefined:
 * - plain-TS and tfjs cells of a non-fp32 version run fp32 arithmetic on dequantized weights
 *   ("emulated (dequantized)"; tfjs runs fp32 models only);
 * - a WebGPU adapter that is a software fallback ({@link SOFTWARE_ADAPTER_LABEL});
 * - on ort-webgpu, where the nodes ran ("2 of 7 nodes on CPU: Cast, ArgMax");
 * - a runtime that fell back, or ran on fewer threads than asked.
 */
export function cellLabel(
  variant: string,
  loaded: Pick<BenchLoaded, 'runtime' | 'actualRuntime' | 'threads' | 'details' | 'fallbackReason'>,
  wantedThreads: number,
): string | undefined {
  const labels: string[] = [];
  const ran = loaded.actualRuntime;
  if (variant !== 'fp32' && ran === 'plain-ts') labels.push(EMULATED_LABEL);
  if (variant !== 'fp32' && ran.startsWith('tfjs-'))
    labels.push(`${EMULATED_LABEL}: tfjs runs fp32 models only`);
  const adapter = `${loaded.details.adapter ?? ''}`;
  if (
    ran.endsWith('webgpu') &&
    (loaded.details.isFallbackAdapter === 'true' || /swiftshader/i.test(adapter))
  )
    labels.push(SOFTWARE_ADAPTER_LABEL);
  // CONTRACTS.md: on WebGPU, say which nodes ran on the CPU (read from onnxruntime's log).
  if (ran === 'ort-webgpu' && loaded.details.nodePlacement)
    labels.push(loaded.details.nodePlacement);
  if (ran !== loaded.runtime) labels.push(`fell back from ${loaded.runtime}`);
  if (loaded.threads !== wantedThreads)
    labels.push(
      `${loaded.threads} thread${loaded.threads === 1 ? '' : 's'} (asked for ${wantedThreads})`,
    );
  return labels.length > 0 ? labels.join('; ') : undefined;
}

/** A stored cell from the worker's `loaded` and `timed` reports. */
export function toCell(
  version: Pick<VersionChoice, 'id' | 'variant' | 'sizeBytes'>,
  loaded: BenchLoaded,
  timed: BenchTimed,
  wantedThreads: number,
): BenchmarkCell {
  const s = timed.summary;
  const label = cellLabel(version.variant, loaded, wantedThreads);
  const finite = (v: number) => (Number.isFinite(v) && v >= 0 ? v : 0);
  return {
    versionId: version.id,
    variant: version.variant,
    runtime: loaded.runtime,
    actualRuntime: loaded.actualRuntime,
    threads: loaded.threads,
    batch: timed.batch,
    n: s.n,
    timing: timed.timing,
    groupSize: timed.groupSize,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    max: s.max,
    mean: s.mean,
    min: s.min,
    throughputPerSec: s.mean > 0 ? (timed.batch * 1000) / s.mean : 0,
    coldStartMs: loaded.coldStartMs,
    timerResolutionMs: finite(timed.timerResolutionMs),
    overheadMs: finite(timed.overheadMs),
    ...(label ? { label } : {}),
    ...(Number.isFinite(loaded.accuracy) ? { accuracy: loaded.accuracy } : {}),
    sizeBytes: version.sizeBytes,
  };
}

/** A stable key for a cell within one record. */
export function cellKey(c: Pick<BenchmarkCell, 'versionId' | 'runtime' | 'threads' | 'batch'>) {
  return `${c.versionId}|${c.runtime}|${c.threads}|${c.batch}`;
}

/** "digits-classifier@v2" -> "digits-classifier v2". */
export function versionName(versionId: string): string {
  return versionId.replace('@', ' ');
}

/**
 * A duration with its unit: below 1 ms in µs ("4.12 µs", "312 µs"), else in ms ("1.25 ms",
 * "250 ms", "1,250 ms"); 3 significant digits. '–' for a non-finite value.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) {
    const us = ms * 1000;
    return `${us === 0 ? '0' : us < 100 ? +us.toPrecision(3) : Math.round(us)} µs`;
  }
  if (ms < 100) return `${+ms.toPrecision(3)} ms`;
  return `${Math.round(ms).toLocaleString('en')} ms`;
}

/** "55,556/s" (rows per second, whole). */
export function formatRate(perSec: number): string {
  return Number.isFinite(perSec) ? `${Math.round(perSec).toLocaleString('en')}/s` : '–';
}

/** "97.5%" (two decimals at most), or '–'. */
export function formatAccuracy(fraction: number | undefined): string {
  return fraction === undefined || !Number.isFinite(fraction)
    ? '–'
    : `${+(fraction * 100).toFixed(2)}%`;
}
