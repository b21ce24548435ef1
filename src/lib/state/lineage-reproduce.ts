/**
 * "Reproduce this run": retrains with a run's recorded data set, split seed, training seed,
 * backend and hyperparameters through the ordinary trainer, then compares what a reproduction can
 * be judged on: the data fingerprint, the test accuracy and the weights' bytes. The outcome is
 * saved for the `run-reproduced` check.
 */
import type { DatasetId } from '../core/data';
import type { Hyperparameters } from '../core/mlp';
import type { TrainBackend } from '../protocol/train';
import { getRun, type AppDb } from '../storage';
import { hiddenLayersText } from './train-form';
import type { TrainingState } from './training.svelte';
import { reproductionSettings } from './lineage';
import { saveWidgetOutcome } from './widget-outcomes';

export interface Reproduction {
  originalRunId: string;
  reproRunId: string;
  fingerprintMatch: boolean;
  /** Every byte of the kept weights is equal. */
  weightsIdentical: boolean;
  /** Fractions. */
  originalAccuracy: number;
  reproAccuracy: number;
  /** reproAccuracy - originalAccuracy, in accuracy points. */
  diffPoints: number;
}

export type ReproduceResult = { ok: true; value: Reproduction } | { ok: false; message: string };

/** Retrains `runId` with its recorded settings (puts them in the Train form) and compares. */
export async function reproduceRun(
  db: AppDb,
  training: TrainingState,
  runId: string,
): Promise<ReproduceResult> {
  const original = training.runs.find((r) => r.id === runId);
  if (!original) return { ok: false, message: `Run ${runId} is not in this lab any more.` };
  const settings = reproductionSettings(original);
  if (!settings || original.metrics === undefined)
    return { ok: false, message: 'Only a completed run with recorded settings can be reproduced.' };
  if (training.busy) return { ok: false, message: 'A training run is in progress; wait for it.' };
  const form = training.form;
  const h = settings.hyperparameters as Hyperparameters;
  form.dataset = settings.datasetId as DatasetId;
  form.splitSeed = settings.splitSeed;
  form.backend = settings.backend as TrainBackend;
  form.hiddenText = hiddenLayersText(h.hidden);
  Object.assign(form.hyperparameters, { ...h, hidden: [...h.hidden] });
  await training.start();
  const repro = training.outcome;
  if (training.status !== 'completed' || !repro?.metrics)
    return { ok: false, message: training.failure ?? 'The reproduction did not complete.' };
  const [a, b] = await Promise.all([getRun(db, original.id), getRun(db, repro.id)]);
  const value: Reproduction = {
    originalRunId: original.id,
    reproRunId: repro.id,
    fingerprintMatch: original.fingerprint === repro.fingerprint,
    weightsIdentical: sameBytes(a?.weights, b?.weights),
    originalAccuracy: original.metrics.testAccuracy,
    reproAccuracy: repro.metrics.testAccuracy,
    diffPoints: (repro.metrics.testAccuracy - original.metrics.testAccuracy) * 100,
  };
  await saveWidgetOutcome(db, 'lineage-explorer', { ...value });
  return { ok: true, value };
}

function sameBytes(x: ArrayBuffer | undefined, y: ArrayBuffer | undefined): boolean {
  if (!x || !y || x.byteLength !== y.byteLength) return false;
  const a = new Uint8Array(x);
  const b = new Uint8Array(y);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
