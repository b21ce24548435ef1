/**
 * The Benchmark lab's choices kept across reloads (in the settings store): the grid (versions,
 * runtimes, threads, batch sizes) and the SLO form. What is restored is checked against what the
 * lab offers now: anything unreadable, unknown or no longer offered is dropped without an error
 * (a deleted version, a thread count this page cannot use, a hand-edited value). Pure: no DOM,
 * no IndexedDB (BenchmarkState reads and writes the setting).
 */
import { sloProblems } from '../core/slo';
import { RUNTIME_IDS, type RuntimeId } from '../protocol/serve';

/** The settings key. */
export const BENCH_PREFS_KEY = 'benchmark-lab.grid';

/** The SLO form as the learner typed it (accuracy in percent). */
export type SloForm = { p99Ms: number; batch: number; minAccuracyPct: number };

/** What is saved. `versions: null` means "the default" (the newest version). */
export type BenchPrefs = {
  versions: string[] | null;
  runtimes: RuntimeId[];
  threads: number[];
  batches: number[];
  slo: SloForm | null;
};

/** What the lab offers now. */
export type PrefChoices = {
  threads: readonly number[];
  batches: readonly number[];
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The members of `value` (an array) that are in `allowed`, in `allowed`'s order; null if not an array. */
function pick<T>(value: unknown, allowed: readonly T[]): T[] | null {
  if (!Array.isArray(value)) return null;
  return allowed.filter((a) => value.includes(a));
}

/** A valid SLO form, or null (every field a number that `sloProblems` accepts). */
export function readSloForm(value: unknown): SloForm | null {
  if (!isRecord(value)) return null;
  const { p99Ms, batch, minAccuracyPct } = value;
  if (typeof p99Ms !== 'number' || typeof batch !== 'number' || typeof minAccuracyPct !== 'number')
    return null;
  const problems = sloProblems({ p99Ms, batch, minAccuracy: minAccuracyPct / 100 });
  return Object.keys(problems).length === 0 ? { p99Ms, batch, minAccuracyPct } : null;
}

/**
 * What of a saved value can be restored. Fields that are missing, malformed or (threads) no
 * longer possible are left out, so the lab keeps its defaults for them. Versions are kept as
 * saved (strings only): the registry may not be loaded yet; {@link keptVersions} filters them.
 */
export function readPrefs(saved: unknown, choices: PrefChoices): Partial<BenchPrefs> {
  if (!isRecord(saved)) return {};
  const out: Partial<BenchPrefs> = {};
  if (saved.versions === null) out.versions = null;
  else if (Array.isArray(saved.versions))
    out.versions = [...new Set(saved.versions.filter((v): v is string => typeof v === 'string'))];
  const runtimes = pick(saved.runtimes, RUNTIME_IDS);
  if (runtimes) out.runtimes = runtimes;
  // An empty thread choice is never saved by the lab; one that lost all its members (8 threads
  // saved, a page that is not isolated now) falls back to the default.
  const threads = pick(saved.threads, choices.threads);
  if (threads && threads.length > 0) out.threads = threads;
  const batches = pick(saved.batches, choices.batches);
  if (batches) out.batches = batches;
  const slo = readSloForm(saved.slo);
  if (slo) out.slo = slo;
  return out;
}

/**
 * The chosen versions that still exist, in the order chosen. A restored choice whose versions
 * were all deleted gives the default (null) rather than an empty grid.
 * @param restored the choice came from the settings store, not from the learner in this session.
 */
export function keptVersions(
  chosen: readonly string[] | null,
  ids: readonly string[],
  restored: boolean,
): string[] | null {
  if (chosen === null) return null;
  const kept = chosen.filter((id) => ids.includes(id));
  return restored && chosen.length > 0 && kept.length === 0 ? null : kept;
}
