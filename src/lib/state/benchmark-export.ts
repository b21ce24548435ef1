/**
 * Export of a benchmark record: CSV (one row per cell, the environment repeated on each row so
 * every row stands alone) and JSON (the record as stored, with a format tag). Pure: no DOM.
 */
import { checkSlo, type Slo } from '../core/slo';
import type { BenchmarkRecord } from '../storage';

/** The `format` tag of an exported JSON file. */
export const BENCHMARK_FILE_FORMAT = 'pocket-mlops-benchmark';

/** CSV columns, in order. Times in ms, throughput in rows per second, accuracy in [0, 1]. */
export const CSV_COLUMNS = [
  'created_at',
  'version',
  'variant',
  'runtime',
  'ran_as',
  'threads',
  'batch',
  'n',
  'timing',
  'group_size',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'max_ms',
  'mean_ms',
  'min_ms',
  'throughput_per_s',
  'cold_start_ms',
  'accuracy',
  'size_bytes',
  'label',
  'slo',
  'timer_resolution_ms',
  'overhead_ms',
  'browser',
  'cores',
  'cross_origin_isolated',
  'wasm_simd',
  'wasm_threads',
  'webgpu_adapter',
] as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The record as CSV text: a header row (`CSV_COLUMNS`), then one row per cell, CRLF line ends.
 * @param slo when given, the `slo` column says pass / fail for cells at its batch size (else '').
 */
export function benchmarkCsv(record: BenchmarkRecord, slo?: Slo | null): string {
  const env = record.environment;
  const gpu = env.webgpu.adapter
    ? [env.webgpu.vendor, env.webgpu.architecture, env.webgpu.description]
        .filter(Boolean)
        .join(' ') + (env.webgpu.isFallbackAdapter ? ' (fallback)' : '')
    : 'none';
  const rows = record.cells.map((c) => {
    const verdict = slo ? checkSlo(c, slo) : null;
    const values: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | undefined> = {
      created_at: new Date(record.createdAt).toISOString(),
      version: c.versionId,
      variant: c.variant,
      runtime: c.runtime,
      ran_as: c.actualRuntime,
      threads: c.threads,
      batch: c.batch,
      n: c.n,
      timing: c.timing,
      group_size: c.groupSize,
      p50_ms: c.p50,
      p95_ms: c.p95,
      p99_ms: c.p99,
      max_ms: c.max,
      mean_ms: c.mean,
      min_ms: c.min,
      throughput_per_s: c.throughputPerSec,
      cold_start_ms: c.coldStartMs,
      accuracy: c.accuracy,
      size_bytes: c.sizeBytes,
      label: c.label,
      slo: verdict?.applies ? (verdict.pass ? 'pass' : 'fail') : '',
      timer_resolution_ms: c.timerResolutionMs,
      overhead_ms: c.overheadMs,
      browser: env.browser,
      cores: env.cores,
      cross_origin_isolated: env.crossOriginIsolated,
      wasm_simd: env.wasmSimd,
      wasm_threads: env.wasmThreads,
      webgpu_adapter: gpu || 'unknown adapter',
    };
    return CSV_COLUMNS.map((k) => csvField(values[k])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** The record as pretty JSON, tagged `{ format, version: 1, ...record }`. */
export function benchmarkJson(record: BenchmarkRecord): string {
  return `${JSON.stringify({ format: BENCHMARK_FILE_FORMAT, version: 1, ...record }, null, 2)}\n`;
}

/** "pocket-mlops-benchmark-2024-05-01T08-00-00Z.csv" for a record made at that time. */
export function exportFileName(record: BenchmarkRecord, ext: 'csv' | 'json'): string {
  const stamp = new Date(record.createdAt)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `${BENCHMARK_FILE_FORMAT}-${stamp}.${ext}`;
}
