import type { LabSnapshot } from '../lessons/checks';
import {
  aliasHistory,
  getMeta,
  listBenchmarks,
  listModels,
  listRuns,
  listVersions,
  type AppDb,
} from '../storage';
import type { Ready } from './app.svelte';
import { summarizeRun } from './run-summary';
import { readWidgetOutcomes } from './widget-outcomes';

/**
 * Everything lesson checks may see, read fresh from storage at the moment of the check, so a
 * check grades what is saved (and survives a reload), not what a screen happens to hold.
 */
export async function buildLabSnapshot(ready: Ready): Promise<LabSnapshot> {
  const [runs, models, lastServed, benchmarks, outcomes] = await Promise.all([
    listRuns(ready.db),
    registrySummary(ready.db),
    getMeta(ready.db, 'lastServed'),
    listBenchmarks(ready.db),
    readWidgetOutcomes(ready.db),
  ]);
  return {
    ...ready.progress.snapshot(),
    storagePersistAnswer: ready.storage.persist,
    runs: runs.map((r) => ({
      ...summarizeRun(r),
      fingerprint: r.fingerprint,
      seed: r.seed,
      splitSeed: r.splitSeed,
    })),
    models,
    lastServed: lastServed ?? null,
    benchmarks: benchmarks.slice(0, 5).map((b) => ({
      cells: b.cells.map((c) => ({
        versionId: c.versionId,
        runtime: c.runtime,
        batch: c.batch,
        p99: c.p99,
        throughputPerSec: c.throughputPerSec,
      })),
    })),
    widgetOutcomes: Object.fromEntries(
      Object.entries(outcomes).map(([name, entry]) => [name, entry.values]),
    ),
  };
}

async function registrySummary(db: AppDb): Promise<LabSnapshot['models']> {
  const models = await listModels(db);
  return Promise.all(
    models.map(async (m) => ({
      name: m.name,
      aliases: { ...m.aliases },
      versions: (await listVersions(db, m.name)).map((v) => ({
        version: v.version,
        variant: v.variant,
        sizeBytes: v.sizeBytes,
        testAccuracy: v.metrics.testAccuracy,
        ...(parentNumber(v.lineage.parentVersionId, m.name) !== undefined && {
          parentVersion: parentNumber(v.lineage.parentVersionId, m.name),
        }),
        ...(v.lineage.runId !== undefined && { runId: v.lineage.runId }),
        ...(v.lineage.fingerprint !== undefined && { fingerprint: v.lineage.fingerprint }),
        note: v.note,
      })),
      aliasMoves: (await aliasHistory(db, m.name)).map((e) => ({
        alias: e.alias,
        toVersion: e.toVersion,
        reason: e.reason,
        actor: e.actor,
      })),
    })),
  );
}

/** 'digits-classifier@v1' → 1 for model 'digits-classifier'; undefined when absent or another model's. */
export function parentNumber(id: string | undefined, model: string): number | undefined {
  if (id === undefined || !id.startsWith(`${model}@v`)) return undefined;
  const n = Number(id.slice(model.length + 2));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
