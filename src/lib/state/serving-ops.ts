/**
 * Pure helpers of the Serve screen: which registry versions can be served and which is picked by
 * default, labels, the malformed requests of the "bad request" demo, latency percentiles, burst
 * figures, and a throttle for live stats. No DOM, no workers, no IndexedDB.
 */
import type { Tolerance } from '../core/agreement';
import type { RuntimeId } from '../protocol/serve';

/** How each runtime is named in pickers and tables. */
export const RUNTIME_LABELS: Readonly<Record<RuntimeId, string>> = Object.freeze({
  'ort-wasm': 'ONNX Runtime Web, WebAssembly',
  'ort-webgpu': 'ONNX Runtime Web, WebGPU (downloads ~17 MB once)',
  'tfjs-wasm': 'TensorFlow.js, WebAssembly',
  'tfjs-webgl': 'TensorFlow.js, WebGL',
  'tfjs-webgpu': 'TensorFlow.js, WebGPU',
  'plain-ts': 'Plain TypeScript (reference)',
});

/** Shorter names for result tables (the download note does not belong there). */
export const RUNTIME_SHORT: Readonly<Record<RuntimeId, string>> = Object.freeze({
  'ort-wasm': 'ONNX Runtime Web, WebAssembly',
  'ort-webgpu': 'ONNX Runtime Web, WebGPU',
  'tfjs-wasm': 'TensorFlow.js, WebAssembly',
  'tfjs-webgl': 'TensorFlow.js, WebGL',
  'tfjs-webgpu': 'TensorFlow.js, WebGPU',
  'plain-ts': 'Plain TypeScript (reference)',
});

/** Limits of the batching policy the screen lets the learner set. */
export const MAX_BATCH_LIMITS = Object.freeze({ min: 1, max: 256 });
export const MAX_WAIT_LIMITS = Object.freeze({ min: 0, max: 50 });
/** Responses kept for the playground log. */
export const LOG_LIMIT = 50;
/** Live stats are copied to the screen at most this often, milliseconds. */
export const STATS_INTERVAL_MS = 250;
/** The "last served" record is saved every this many requests (and when the endpoint stops). */
export const LAST_SERVED_EVERY = 100;

/** What the version picker needs of a registry version. */
export type VersionFacts = {
  id: string;
  modelName: string;
  version: number;
  createdAt: number;
  variant: string;
  datasetId: string;
};

/** One entry of the version picker. */
export type ServableVersion = VersionFacts & {
  /** Aliases pointing at it, sorted, e.g. ['champion']. */
  aliases: string[];
  /** E.g. "digits-classifier v2 (champion)". */
  label: string;
};

/** A model and its versions, as the registry lists them. */
export type ModelFacts = { name: string; aliases: Record<string, number> };

/** "digits-classifier v2 (champion, challenger)"; non-fp32 variants are named too. */
export function versionLabel(v: VersionFacts, aliases: readonly string[]): string {
  const tags = [...(v.variant === 'fp32' ? [] : [v.variant]), ...aliases];
  return `${v.modelName} v${v.version}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

/**
 * Every version of every model, grouped by model name (A to Z), versions newest first, each with
 * the aliases that point at it.
 */
export function servableVersions(
  models: readonly ModelFacts[],
  versions: readonly VersionFacts[],
): ServableVersion[] {
  const aliasesOf = new Map<string, Record<string, number>>(models.map((m) => [m.name, m.aliases]));
  return [...versions]
    .sort((a, b) =>
      a.modelName === b.modelName ? b.version - a.version : a.modelName < b.modelName ? -1 : 1,
    )
    .map((v) => {
      const aliases = Object.entries(aliasesOf.get(v.modelName) ?? {})
        .filter(([, n]) => n === v.version)
        .map(([a]) => a)
        .sort();
      return { ...v, aliases, label: versionLabel(v, aliases) };
    });
}

/**
 * The version served by default: of the model with the most recently registered version, its
 * `champion`, else its newest version. null when there is none.
 */
export function defaultVersionId(list: readonly ServableVersion[]): string | null {
  if (list.length === 0) return null;
  const newest = list.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  const same = list.filter((v) => v.modelName === newest.modelName);
  const champion = same.find((v) => v.aliases.includes('champion'));
  return (champion ?? same.reduce((a, b) => (b.version > a.version ? b : a))).id;
}

/** The malformed requests the playground can send. */
export type BadRequestKind = 'wrong-length' | 'nan' | 'infinity' | 'string';

export const BAD_REQUESTS: readonly { kind: BadRequestKind; label: string }[] = Object.freeze([
  { kind: 'wrong-length', label: 'Wrong length (one value missing)' },
  { kind: 'nan', label: 'A NaN value' },
  { kind: 'infinity', label: 'An Infinity value' },
  { kind: 'string', label: 'A string instead of a number' },
]);

/**
 * A malformed copy of a valid row, as a client bug would send it: one value short, a NaN or an
 * Infinity at index 3 (or the last index of a shorter row), or a numeric string ("7", as a form
 * field left unparsed) at index 0.
 */
export function badRequest(kind: BadRequestKind, row: ArrayLike<number>): unknown[] {
  const values: unknown[] = Array.from(row);
  const at = Math.min(3, values.length - 1);
  switch (kind) {
    case 'wrong-length':
      return values.slice(0, -1);
    case 'nan':
      values[at] = NaN;
      return values;
    case 'infinity':
      values[at] = Infinity;
      return values;
    case 'string':
      values[0] = String(values[0] ?? 7);
      return values;
  }
}

/**
 * A table cell's text as a request value: a number when the text is one, else the text itself
 * (the endpoint's schema check then refuses it, as a server would).
 */
export function cellValue(text: string): number | string {
  const t = text.trim();
  if (t === '') return text;
  const n = Number(t);
  return Number.isNaN(n) && t.toLowerCase() !== 'nan' ? text : n;
}

/**
 * The q-th quantile of `values` with numpy's default ('linear') method: sorted ascending, position
 * h = (n - 1) q, interpolated between the neighbours of h. NaN for no values.
 * @param q in [0, 1].
 */
export function percentile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`q must be in [0, 1] (got ${q}).`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return quantileSorted(sorted, q);
}

function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Latency percentiles over some samples (milliseconds), numpy's linear method. */
export type LatencySummary = { n: number; p50: number; p95: number; p99: number; max: number };

/** null for no samples. */
export function summarizeLatency(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1],
  };
}

/** A duration for people: microseconds below 1 ms ("45 µs"), else milliseconds ("1.25 ms"). */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${Math.round(ms)} ms`;
}

/** A tolerance in words: "max |Δp| ≤ 0.0001 and top-1 agreement ≥ 100%". */
export function describeTolerance(t: Tolerance): string {
  const parts = [
    ...(t.maxAbsDiff === undefined ? [] : [`max |Δp| ≤ ${t.maxAbsDiff}`]),
    ...(t.minTop1 === undefined ? [] : [`top-1 agreement ≥ ${+(t.minTop1 * 100).toFixed(2)}%`]),
  ];
  return parts.length ? parts.join(' and ') : 'none';
}

/** Batch sizes and how many batches had each, ascending by size. */
export function histogramBars(counts: Readonly<Record<number, number>>): {
  size: number;
  count: number;
}[] {
  return Object.entries(counts)
    .map(([size, count]) => ({ size: Number(size), count }))
    .filter((b) => b.count > 0)
    .sort((a, b) => a.size - b.size);
}

/** `after - before` per key (counters that only grow, e.g. batches per size during a burst). */
export function countsSince(
  before: Readonly<Record<number, number>>,
  after: Readonly<Record<number, number>>,
): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[Number(key)] ?? 0);
    if (d > 0) out[Number(key)] = d;
  }
  return out;
}

/** Rows for a burst of `n` requests: the test split, from its start, repeated as needed. */
export function burstRows(testRows: ArrayLike<number>, n: number): number[] {
  if (testRows.length === 0) return [];
  return Array.from({ length: n }, (_, i) => testRows[i % testRows.length]);
}

/** Predictions per second of a burst: answered requests over its wall time. */
export function perSecond(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : 0;
}

/** The thread counts that may be asked for: 1..cores when cross-origin isolated, else only 1. */
export function threadChoices(isolated: boolean, cores: number): number[] {
  const max = isolated ? Math.max(1, Math.floor(cores)) : 1;
  return Array.from({ length: max }, (_, i) => i + 1);
}

/** A whole number clamped to [min, max]; null for something that is not a finite number. */
export function clampInt(value: unknown, min: number, max: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A number clamped to [min, max]; null for something that is not a finite number. */
export function clampNumber(value: unknown, min: number, max: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, value));
}

/** `list` with `item` appended, keeping the last `limit` items (a new array). */
export function pushBounded<T>(list: readonly T[], item: T, limit = LOG_LIMIT): T[] {
  const next = [...list, item];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** Whether a request count crossed a multiple of `every` between two totals. */
export function crossedMultiple(before: number, after: number, every = LAST_SERVED_EVERY): boolean {
  return Math.floor(after / every) > Math.floor(before / every);
}

/** Timer functions, injectable for tests. */
export type Timers = {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

/**
 * Calls `fn` at most once per `intervalMs`: at once when the last call is older than that,
 * else once at the end of the interval (later requests in between merge into that call).
 */
export class Throttle {
  #last = -Infinity;
  #pending: unknown = null;
  readonly #fn: () => void;
  readonly #intervalMs: number;
  readonly #timers: Timers;

  constructor(fn: () => void, intervalMs: number, timers?: Timers) {
    this.#fn = fn;
    this.#intervalMs = intervalMs;
    this.#timers = timers ?? {
      now: () => performance.now(),
      setTimeout: (f, ms) => setTimeout(f, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  request(): void {
    if (this.#pending !== null) return;
    const wait = this.#last + this.#intervalMs - this.#timers.now();
    if (wait <= 0) {
      this.#run();
      return;
    }
    this.#pending = this.#timers.setTimeout(() => {
      this.#pending = null;
      this.#run();
    }, wait);
  }

  /** Drops a pending call. */
  cancel(): void {
    if (this.#pending !== null) this.#timers.clearTimeout(this.#pending);
    this.#pending = null;
  }

  #run(): void {
    this.#last = this.#timers.now();
    this.#fn();
  }
}
