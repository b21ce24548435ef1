/**
 * Running a benchmark grid: each planned group (a version on a runtime with a thread count) is
 * measured in its own worker by the engine's BenchRunner, and each measured batch size becomes a
 * stored cell. Plain code (no runes): BenchmarkState calls it and copies what it reports into
 * reactive state.
 */
import type { BenchGroupProgress, BenchRunner } from '../engine/bench-runner';
import type { BenchLoaded, BenchSettings } from '../protocol/bench';
import type { AppDb, BenchmarkCell, BenchmarkFailure } from '../storage';
import * as ops from './benchmark-ops';
import type { PreparedModel } from './serving-model';

/** The worker owner and the model loader. */
export type GridLib = {
  runner: BenchRunner;
  prepare: (db: AppDb, versionId: string) => Promise<PreparedModel>;
};

/** The engine and the model loader, imported on the first run (not on first paint). */
export async function loadGridLib(): Promise<GridLib> {
  const [engine, model] = await Promise.all([
    import('../engine/bench-runner'),
    import('./serving-model'),
  ]);
  return { runner: new engine.BenchRunner(), prepare: model.prepareVersion };
}

export type GridRun = {
  db: AppDb;
  lib: GridLib;
  plan: readonly ops.PlannedGroup[];
  versions: readonly ops.VersionChoice[];
  signal: AbortSignal;
  /** Tests only; the app measures with the shipped defaults. */
  settings?: BenchSettings;
};

export type GridEvents = {
  /** `fraction` of the whole grid in [0, 1], and what is happening, in words. */
  onProgress: (fraction: number, text: string) => void;
  /** After each measured cell or failed group, with everything so far. */
  onChange: (cells: BenchmarkCell[], failures: BenchmarkFailure[]) => void;
};

/** The test split's rows and labels, row-major. */
export function testRows(model: PreparedModel): { testX: Float32Array; testY: Int32Array } {
  const f = model.dataset.features;
  const rows = model.testRows;
  const testX = new Float32Array(rows.length * f);
  rows.forEach((r, i) => testX.set(model.dataset.x.subarray(r * f, (r + 1) * f), i * f));
  return { testX, testY: Int32Array.from(rows, (r) => model.dataset.y[r]) };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Measures every group of the plan in order. A group that fails (its model cannot be read, no
 * runtime starts) is recorded as a failure and the run goes on.
 * @throws the abort reason once `signal` aborts (what was measured so far was reported).
 */
export async function runGrid(
  run: GridRun,
  events: GridEvents,
): Promise<{ cells: BenchmarkCell[]; failures: BenchmarkFailure[] }> {
  const { plan, signal, lib } = run;
  const total = ops.cellCount(plan);
  const cells: BenchmarkCell[] = [];
  const failures: BenchmarkFailure[] = [];
  const prepared = new Map<string, PreparedModel>();
  let done = 0;
  for (const group of plan) {
    signal.throwIfAborted();
    const version = run.versions.find((v) => v.id === group.versionId);
    if (!version) {
      done += group.batches.length; // deleted from the registry meanwhile
      continue;
    }
    const name = ops.versionName(version.id);
    const what = `${name} on ${group.runtime}${group.threads > 1 ? ` (${group.threads} threads)` : ''}`;
    try {
      events.onProgress(done / total, `Preparing ${name}…`);
      if (!prepared.has(version.id))
        prepared.set(version.id, await lib.prepare(run.db, version.id));
      const model = prepared.get(version.id)!;
      const { testX, testY } = testRows(model);
      const n = group.batches.length;
      const onProgress = (p: BenchGroupProgress) => {
        const batch = group.batches[Math.min(p.batchIndex, n - 1)];
        events.onProgress(
          (done + p.fraction * n) / total,
          p.phase === 'loading'
            ? `Starting ${what} (cold start)…`
            : `Cell ${Math.min(total, done + p.batchIndex + 1)} of ${total}: ${what}, batch ${batch} (${p.phase})…`,
        );
      };
      let loaded: BenchLoaded | null = null;
      await lib.runner.measureGroup(
        {
          runtime: group.runtime,
          threads: group.threads,
          onnx: model.onnx,
          weights: model.weights,
          testX,
          testY,
          features: model.dataset.features,
          nClasses: model.dataset.nClasses,
          batches: group.batches,
          ...(run.settings ? { settings: run.settings } : {}),
        },
        {
          signal,
          onProgress,
          onLoaded: (info) => (loaded = info),
          onTimed: (timed) => {
            if (!loaded) return;
            cells.push(ops.toCell(version, loaded, timed, group.threads));
            events.onChange([...cells], [...failures]);
          },
        },
      );
    } catch (err) {
      if (signal.aborted) throw err;
      failures.push({
        versionId: version.id,
        runtime: group.runtime,
        threads: group.threads,
        message: message(err),
      });
      events.onChange([...cells], [...failures]);
    }
    done += group.batches.length;
    events.onProgress(done / total, '');
  }
  return { cells, failures };
}
