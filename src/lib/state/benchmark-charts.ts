/**
 * The benchmark lab's chart data, from a record's cells: latency bars per cell, throughput and
 * p99 against batch size (one line per model x runtime x threads), and the latency/accuracy
 * Pareto chart at one batch size. Pure: no DOM.
 */
import { paretoFront } from '../core/pareto';
import { RUNTIME_IDS, isRuntimeId, type RuntimeId } from '../protocol/serve';
import type { BenchmarkCell } from '../storage';
import { cellKey, versionName } from './benchmark-ops';
import { RUNTIME_SHORT } from './serving-ops';

/** Runtime names short enough for legends and table cells on a phone. */
export const RUNTIME_TINY: Readonly<Record<RuntimeId, string>> = Object.freeze({
  'ort-wasm': 'ORT wasm',
  'ort-webgpu': 'ORT WebGPU',
  'tfjs-wasm': 'tfjs wasm',
  'tfjs-webgl': 'tfjs WebGL',
  'tfjs-webgpu': 'tfjs WebGPU',
  'plain-ts': 'plain TS',
});

/**
 * How the grid's checkboxes name each runtime: the short name used in the table and charts, then
 * what it is. (Worded apart from the Serve screen's runtime names, which sit on the same page.)
 */
export const RUNTIME_CHOICE_LABELS: Readonly<Record<RuntimeId, string>> = Object.freeze({
  'ort-wasm': 'ORT wasm (ONNX Runtime Web on WebAssembly)',
  'ort-webgpu': 'ORT WebGPU (ONNX Runtime Web on WebGPU; downloads ~17 MB once)',
  'tfjs-wasm': 'tfjs wasm (TensorFlow.js on WebAssembly)',
  'tfjs-webgl': 'tfjs WebGL (TensorFlow.js on WebGL)',
  'tfjs-webgpu': 'tfjs WebGPU (TensorFlow.js on WebGPU)',
  'plain-ts': 'plain TS (the TypeScript forward pass, the reference)',
});

/** The full name of a runtime ("ONNX Runtime Web, WebAssembly"); unknown ids as given. */
export function runtimeName(runtime: string): string {
  return isRuntimeId(runtime) ? RUNTIME_SHORT[runtime] : runtime;
}

/** The short name of a runtime ("ORT wasm"); unknown ids as given. */
export function runtimeTiny(runtime: string): string {
  return isRuntimeId(runtime) ? RUNTIME_TINY[runtime] : runtime;
}

/** "digits-classifier v1 · ORT wasm · 2 threads" (a cell without its batch). */
export function lineLabel(c: Pick<BenchmarkCell, 'versionId' | 'actualRuntime' | 'threads'>) {
  const threads = c.threads === 1 ? '' : ` · ${c.threads} threads`;
  return `${versionName(c.versionId)} · ${runtimeTiny(c.actualRuntime)}${threads}`;
}

/** The batch sizes present, ascending. */
export function batchesOf(cells: readonly BenchmarkCell[]): number[] {
  return [...new Set(cells.map((c) => c.batch))].sort((a, b) => a - b);
}

/** Cells in display order: version, runtime (RUNTIME_IDS order), threads, batch. */
export function orderCells(cells: readonly BenchmarkCell[]): BenchmarkCell[] {
  const rank = (r: string) => {
    const i = (RUNTIME_IDS as readonly string[]).indexOf(r);
    return i < 0 ? RUNTIME_IDS.length : i;
  };
  return [...cells].sort(
    (a, b) =>
      a.versionId.localeCompare(b.versionId) ||
      rank(a.runtime) - rank(b.runtime) ||
      a.threads - b.threads ||
      a.batch - b.batch,
  );
}

/** One line of the batching charts. */
export type BatchLine = { label: string; points: { x: number; y: number }[] };

/**
 * Throughput (rows/s) or p99 (ms) against log2(batch size), one line per model x runtime (as
 * ran) x threads, points by increasing batch size. Lines with one point are kept (a dot).
 */
export function batchLines(
  cells: readonly BenchmarkCell[],
  metric: 'throughputPerSec' | 'p99',
): BatchLine[] {
  const lines = new Map<string, BatchLine>();
  for (const c of orderCells(cells)) {
    const label = lineLabel(c);
    const line = lines.get(label) ?? { label, points: [] };
    line.points.push({ x: Math.log2(c.batch), y: c[metric] });
    lines.set(label, line);
  }
  return [...lines.values()];
}

/** One mark of the Pareto chart. */
export type ParetoMark = {
  key: string;
  /** 1-based number shown on the mark and in the key below the chart. */
  n: number;
  label: string;
  /** p95 latency, ms. */
  latency: number;
  /** In [0, 1]. */
  accuracy: number;
  sizeBytes: number;
  onFront: boolean;
  cell: BenchmarkCell;
};

/**
 * The cells at one batch size that have an accuracy, as marks of p95 latency against accuracy,
 * with the Pareto front (minimum latency, maximum accuracy) flagged. Marks are numbered in
 * display order.
 */
export function paretoMarks(cells: readonly BenchmarkCell[], batch: number): ParetoMark[] {
  const at = orderCells(cells).filter(
    (c) => c.batch === batch && c.accuracy !== undefined && Number.isFinite(c.accuracy),
  );
  const front = new Set(paretoFront(at.map((c) => ({ latency: c.p95, accuracy: c.accuracy! }))));
  return at.map((c, i) => ({
    key: cellKey(c),
    n: i + 1,
    label: lineLabel(c),
    latency: c.p95,
    accuracy: c.accuracy!,
    sizeBytes: c.sizeBytes,
    onFront: front.has(i),
    cell: c,
  }));
}
