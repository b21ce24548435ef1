/**
 * How the Train screen words runs: numbers for people, and the side-by-side comparison of runs.
 * Pure functions (no DOM), unit tested beside this file.
 */
import type { RunListItem } from '../../../state/training.svelte';

/** A fraction as a percentage with one decimal: 0.9721 -> "97.2%". */
export function formatPercent(fraction: number | undefined): string {
  return fraction === undefined || !Number.isFinite(fraction)
    ? '–'
    : `${(fraction * 100).toFixed(1)}%`;
}

/** Milliseconds as seconds: "0.52 s" below 10 s, "12.3 s" above, "2 min 5 s" past a minute. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Shorter form for the live progress line: "0.4 s". */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : formatSeconds(ms);
}

/** The stored hyperparameters of a run, read defensively (older records may lack fields). */
export type StoredHyperparameters = {
  hidden?: unknown;
  activation?: unknown;
  learningRate?: unknown;
  epochs?: unknown;
  batchSize?: unknown;
  l2?: unknown;
  patience?: unknown;
};

function show(value: unknown): string {
  return value === undefined || value === null ? '–' : String(value);
}

/** Hidden layer sizes: "64", "128, 64", or "none" for logistic regression. */
export function formatLayers(hidden: unknown): string {
  if (!Array.isArray(hidden)) return '–';
  return hidden.length === 0 ? 'none' : hidden.join(', ');
}

/**
 * The settings of a run as short labelled parts for one table cell, e.g.
 * `['hidden 64', 'relu', 'lr 0.01', '30 epochs', 'batch 64', 'L2 0.001', 'patience 5',
 * 'init seed 0', 'split seed 0']`.
 */
export function settingsParts(run: RunListItem): string[] {
  const h: StoredHyperparameters = run.hyperparameters;
  const layers = formatLayers(h.hidden);
  return [
    layers === 'none' ? 'no hidden layer' : `hidden ${layers}`,
    show(h.activation),
    `lr ${show(h.learningRate)}`,
    `${show(h.epochs)} epochs`,
    `batch ${show(h.batchSize)}`,
    `L2 ${show(h.l2)}`,
    h.patience === 0 ? 'no early stop' : `patience ${show(h.patience)}`,
    `init seed ${show(run.seed)}`,
    `split seed ${show(run.splitSeed)}`,
  ];
}

/** The facts of a run, in table order, as text. */
export function runFacts(run: RunListItem): { label: string; value: string }[] {
  const h: StoredHyperparameters = run.hyperparameters;
  const m = run.metrics;
  return [
    { label: 'Data set', value: run.datasetId },
    { label: 'Hidden layers', value: formatLayers(h.hidden) },
    { label: 'Activation', value: show(h.activation) },
    { label: 'Learning rate', value: show(h.learningRate) },
    { label: 'Epochs (max)', value: show(h.epochs) },
    { label: 'Batch size', value: show(h.batchSize) },
    { label: 'L2', value: show(h.l2) },
    { label: 'Patience', value: show(h.patience) },
    { label: 'Initialisation seed', value: show(run.seed) },
    { label: 'Split seed', value: show(run.splitSeed) },
    { label: 'Data fingerprint', value: run.fingerprint.slice(0, 12) },
    { label: 'Backend', value: run.backend },
    { label: 'Status', value: run.status },
    { label: 'Duration', value: formatSeconds(run.durationMs) },
    { label: 'Epochs run', value: show(m?.epochsRun ?? (run.curves.length || undefined)) },
    { label: 'Best epoch', value: show(m?.bestEpoch) },
    { label: 'Validation accuracy', value: formatPercent(m?.validationAccuracy) },
    { label: 'Test accuracy', value: formatPercent(m?.testAccuracy) },
  ];
}

/** One row of the comparison: a fact, its value for each run, and whether the runs differ. */
export type ComparisonRow = { label: string; values: string[]; differs: boolean };

/** Facts of several runs side by side; `differs` marks rows whose values are not all equal. */
export function comparisonRows(runs: readonly RunListItem[]): ComparisonRow[] {
  const facts = runs.map(runFacts);
  if (facts.length === 0) return [];
  return facts[0].map(({ label }, i) => {
    const values = facts.map((f) => f[i].value);
    return { label, values, differs: values.some((v) => v !== values[0]) };
  });
}

/** The one-line result of a finished run, e.g. "Test accuracy 97.2% · stopped early at ...". */
export function resultLine(run: RunListItem): string {
  const m = run.metrics;
  if (!m) return '';
  const stop = m.stoppedEarly
    ? `stopped early at epoch ${m.epochsRun} (best ${m.bestEpoch})`
    : `ran all ${m.epochsRun} epochs (best ${m.bestEpoch})`;
  return `Test accuracy ${formatPercent(m.testAccuracy)} · ${stop} · ${formatSeconds(run.durationMs)} on ${run.backend}`;
}
