import type { LabSnapshot } from '../lessons/checks';
import { getMeta, listModels, listRuns, listVersions, type AppDb } from '../storage';
import type { Ready } from './app.svelte';
import { summarizeRun } from './run-summary';

/**
 * Everything lesson checks may see, read fresh from storage at the moment of the check, so a
 * check grades what is saved (and survives a reload), not what a screen happens to hold.
 */
export async function buildLabSnapshot(ready: Ready): Promise<LabSnapshot> {
  const [runs, models, lastServed] = await Promise.all([
    listRuns(ready.db),
    registrySummary(ready.db),
    getMeta(ready.db, 'lastServed'),
  ]);
  return {
    ...ready.progress.snapshot(),
    storagePersistAnswer: ready.storage.persist,
    runs: runs.map(summarizeRun),
    models,
    lastServed: lastServed ?? null,
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
      })),
    })),
  );
}
