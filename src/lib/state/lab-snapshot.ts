import type { LabSnapshot } from '../lessons/checks';
import { listRuns } from '../storage';
import type { Ready } from './app.svelte';
import { summarizeRun } from './run-summary';

/**
 * Everything lesson checks may see, read fresh from storage at the moment of the check, so a
 * check grades what is saved (and survives a reload), not what a screen happens to hold.
 */
export async function buildLabSnapshot(ready: Ready): Promise<LabSnapshot> {
  const runs = await listRuns(ready.db);
  return ready.progress.snapshot(ready.storage.persist, runs.map(summarizeRun));
}
