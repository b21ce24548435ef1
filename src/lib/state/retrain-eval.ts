/**
 * The pure parts of a retrain's report: accuracy on the fresh holdout (the plain TypeScript
 * forward pass on weights read back from each version's ONNX bytes, the same way for the new
 * model and the champion), the verdict, the alias reason and the lineage in words.
 */
import { argmaxRows, forward } from '../core/forward';
import { accuracy } from '../core/metrics';
import type { MlpWeights } from '../core/mlp';
import type { LabelledRows } from '../core/retrain-data';
import type { SelectionCounts } from '../core/retrain-data-select';
import type { AlertEvent } from '../core/sim-monitor-types';
import { formatSimTime } from '../core/sim-scenario-types';

/** Share of the holdout a model gets right, in [0, 1]. */
export function holdoutAccuracy(model: MlpWeights, holdout: LabelledRows): number {
  if (holdout.rows === 0) throw new Error('the holdout is empty');
  const probs = forward(model, holdout.x, holdout.rows);
  const nClasses = probs.length / holdout.rows;
  return accuracy(holdout.y, argmaxRows(probs, holdout.rows, nClasses));
}

/** A fraction as a percentage with one decimal, e.g. "91.4%". */
export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/**
 * The verdict in words: which model is more accurate on the holdout and by how many points (one
 * request of n is 100/n points: say so, so a one-request lead is not read as a win).
 */
export function verdict(newAcc: number, championAcc: number, n: number): string {
  const diff = 100 * (newAcc - championAcc);
  const step = (100 / n).toFixed(2);
  if (Math.abs(diff) < 1e-9)
    return `The same accuracy on the ${n} holdout requests (one request is ${step} points).`;
  const who = diff > 0 ? 'The new model is better' : 'The champion is better';
  return `${who} by ${Math.abs(diff).toFixed(1)} points on the ${n} holdout requests (one request is ${step} points).`;
}

/**
 * The reason recorded with the `challenger` alias, e.g. "retrained after data-drift at day 0,
 * 03:00:00 (retrain at day 0, 06:00:00): holdout accuracy 93.0% vs champion 71.2%".
 */
export function aliasReason(
  alert: AlertEvent | null,
  simTimeMs: number,
  newAcc: number,
  championAcc: number,
  championIsAlias: boolean,
): string {
  const after = alert
    ? `retrained after ${alert.rule} at ${formatSimTime(alert.atMs)} (retrain at ${formatSimTime(simTimeMs)})`
    : `retrained by the learner at ${formatSimTime(simTimeMs)} (no alert firing)`;
  const other = championIsAlias ? 'champion' : 'the served version';
  return `${after}: holdout accuracy ${pct(newAcc)} vs ${other} ${pct(championAcc)}`;
}

/** What the new run was trained on, for the version's note and the log. */
export function lineageText(p: {
  baseFingerprint: string;
  datasetId: string;
  splitSeed: number;
  baseTrainRows: number;
  counts: SelectionCounts;
  sessionId: string;
  trainingWindowMs: [number, number];
  /** First and last request used (the cap keeps the newest). */
  usedSpanMs: [number, number] | null;
  holdout: LabelledRows;
  testRows: number;
}): string {
  const [a, b] = p.trainingWindowMs;
  const [h1, h2] = p.holdout.windowMs;
  const c = p.counts;
  return (
    `Trained on ${p.datasetId} (data fingerprint ${p.baseFingerprint.slice(0, 12)}, split seed ${p.splitSeed}, ` +
    `${p.baseTrainRows} train rows) + ${c.used} production rows from session ${p.sessionId}, ` +
    `simulated window [${formatSimTime(a)}, ${formatSimTime(b)})` +
    (p.usedSpanMs
      ? ` (the rows used span ${formatSimTime(p.usedSpanMs[0])} to ${formatSimTime(p.usedSpanMs[1])}) `
      : ' ') +
    `(labelled by the retrain time; of ${c.scanned} requests: ${c.heldOut} from held-out pool rows, ` +
    `${c.pending} labels not arrived yet, ${c.missing} never labelled, ${c.available - c.used} over the cap). ` +
    `Test split: the ${p.testRows} held-out pool rows. Fresh holdout: ${p.holdout.rows} requests in ` +
    `[${formatSimTime(h1)}, ${formatSimTime(h2)}).`
  );
}

/** Alerts firing at `atMs`: those whose latest event at or before it is 'firing', oldest first. */
export function firingAt(alerts: readonly AlertEvent[], atMs: number): AlertEvent[] {
  const on = new Map<string, AlertEvent>();
  for (const a of alerts) {
    if (a.atMs > atMs) break;
    if (a.state === 'firing') on.set(a.rule, a);
    else on.delete(a.rule);
  }
  return [...on.values()].sort((a, b) => a.atMs - b.atMs);
}
