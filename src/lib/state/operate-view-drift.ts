/**
 * Per-feature drift for the Operate dashboard: how far each score sits from its threshold (for
 * the heat strip's colors), sortable table rows, the evidence behind one verdict as labelled
 * lines, and alert values in their units. Pure: no DOM.
 */
import type { DatasetDriftResult, DriftResult } from '../core/drift';
import { DEFAULT_THRESHOLDS, METHOD_NAMES, type DriftMethod } from '../core/drift-rules';
import type { AlertEvent, AlertRule } from '../core/sim-monitor-types';

const P_VALUE: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare', 'z']);

/** Whether a method's score is a p-value (drift when small) rather than a distance (when large). */
export const isPValueMethod = (m: DriftMethod): boolean => P_VALUE.has(m);

/**
 * How far a score is towards drift, on one scale for every method: 0 = no evidence, 1 = exactly
 * at the threshold, above 1 = past it. Distances: score / threshold. p-values: log(p) / log(t),
 * so p = 1 gives 0, p = t gives 1 and p = t^2 gives 2 (p-values shrink geometrically with
 * evidence). p = 0 gives Infinity.
 */
export function driftSeverity(method: DriftMethod, score: number, threshold: number): number {
  if (!isPValueMethod(method)) return Math.max(0, score / threshold);
  if (score <= 0) return Infinity;
  return Math.max(0, Math.log(Math.min(score, 1)) / Math.log(threshold));
}

/** A heat cell's fill and text color, as CSS (theme variables, so both themes work). */
export type HeatColor = { fill: string; text: string };

/**
 * Heat colors by severity: below the threshold a ramp from the surface to the warning color
 * (up to 55%), at or past it the alarm color from 60% (severity 1) to 100% (severity >= 3).
 * The verdict itself is also marked with a symbol in the UI: color is never the only cue.
 */
export function heatColor(severity: number, drifted: boolean): HeatColor {
  if (!drifted) {
    const p = Math.round(Math.min(Math.max(severity, 0), 1) * 55);
    return { fill: `color-mix(in srgb, var(--warn) ${p}%, var(--surface-2))`, text: 'var(--text)' };
  }
  const s = Number.isFinite(severity) ? Math.max(severity, 1) : 3;
  const p = Math.round(60 + (Math.min(s, 3) - 1) * 20);
  return {
    fill: `color-mix(in srgb, var(--bad) ${p}%, var(--surface-2))`,
    text: 'var(--accent-text)',
  };
}

/** One row of the per-feature table. */
export type DriftRow = {
  index: number;
  name: string;
  method: DriftMethod;
  score: number;
  threshold: number;
  drifted: boolean;
  severity: number;
};

export type DriftSortKey = 'index' | 'name' | 'method' | 'score' | 'severity' | 'drifted';

/** The rows of a dataset drift result, in feature order. */
export function driftRows(result: DatasetDriftResult, names: readonly string[]): DriftRow[] {
  return result.columns.map((c, index) => ({
    index,
    name: names[index] ?? c.name,
    method: c.method,
    score: c.score,
    threshold: c.threshold,
    drifted: c.drifted,
    severity: driftSeverity(c.method, c.score, c.threshold),
  }));
}

/**
 * The feature to explain by default: the one with the highest severity (ties: the lowest index),
 * drifted or not; null for a result without columns.
 */
export function mostDriftedFeature(result: DatasetDriftResult): number | null {
  let best: number | null = null;
  let top = -1;
  result.columns.forEach((c, i) => {
    const s = driftSeverity(c.method, c.score, c.threshold);
    if (s > top) [best, top] = [i, s];
  });
  return best;
}

/** Rows sorted by a key (ties by feature order); a new array. */
export function sortDriftRows(
  rows: readonly DriftRow[],
  key: DriftSortKey,
  dir: 'ascending' | 'descending',
): DriftRow[] {
  const sign = dir === 'ascending' ? 1 : -1;
  const cmp = (a: DriftRow, b: DriftRow): number => {
    const va = a[key];
    const vb = b[key];
    if (typeof va === 'string' && typeof vb === 'string') return va.localeCompare(vb);
    return Number(va) - Number(vb);
  };
  return [...rows].sort((a, b) => sign * cmp(a, b) || a.index - b.index);
}

/** A score as text: p-values in scientific notation when tiny, distances with 3 decimals. */
export function formatScore(method: DriftMethod, score: number): string {
  if (!isPValueMethod(method)) return score.toFixed(3);
  if (score === 0) return '0 (below double precision)';
  return score < 0.001 ? score.toExponential(1) : score.toFixed(3);
}

/** "p = 0.012 <= 0.05: drifted" / "distance 0.04 < 0.1: no drift". */
export function verdictText(r: Pick<DriftResult, 'method' | 'score' | 'threshold' | 'drifted'>) {
  const p = isPValueMethod(r.method);
  const cmp = r.drifted
    ? r.method === 'ks'
      ? '<='
      : p
        ? '<'
        : '>='
    : r.method === 'ks'
      ? '>'
      : p
        ? '>='
        : '<';
  const name = p ? 'p' : 'distance';
  return `${name} = ${formatScore(r.method, r.score)} ${cmp} ${r.threshold}: ${r.drifted ? 'drifted' : 'no drift'}`;
}

const n = (v: number, d = 4): string => String(Number(v.toPrecision(d)));

/** The evidence behind one verdict as [label, value] lines, for a disclosure. */
export function evidenceLines(r: DriftResult): [string, string][] {
  const { rule, evidence: e } = r.details;
  const lines: [string, string][] = [
    ['Rule', rule.text],
    ['Sample sizes', `reference ${rule.referenceSize} rows, current ${rule.currentSize} rows`],
    ['Distinct values', `${rule.uniqueValues} (reference and current together)`],
    ['Test', METHOD_NAMES[r.method]],
  ];
  switch (e.method) {
    case 'ks':
      lines.push(
        [
          'Statistic',
          `D = ${n(e.statistic)} (largest gap between the two ECDFs, at x = ${n(e.location)})`,
        ],
        [
          'p-value',
          `${formatScore('ks', e.pValue)} (${e.mode === 'exact' ? 'exact' : 'asymptotic'})`,
        ],
      );
      break;
    case 'chisquare':
      lines.push(
        [
          'Bins',
          e.categories
            .map((c, i) => `${c}: ${e.observed[i]} vs ${n(e.expected[i], 3)} expected`)
            .join('; '),
        ],
        ['Statistic', `chi-square = ${n(e.statistic)}, ${e.df} degrees of freedom`],
        ['p-value', formatScore('chisquare', e.pValue)],
      );
      break;
    case 'z':
      lines.push(
        [
          'Bins',
          `share of ${String(e.categories[1] ?? e.categories[0])}: reference ${n(e.referenceShare)}, current ${n(e.currentShare)}`,
        ],
        ['Statistic', `z = ${n(e.statistic)}`],
        ['p-value', formatScore('z', e.pValue)],
      );
      break;
    case 'wasserstein':
      lines.push(
        [
          'Statistic',
          `Wasserstein distance ${n(e.distance)} / max(reference std ${n(e.referenceStd)}, 0.001)`,
        ],
        ['Score', `${n(e.score)} (normed distance)`],
      );
      break;
    case 'jensenshannon': {
      const b = e.binning;
      const bins =
        b.kind === 'edges'
          ? `${b.edges.length - 1} Sturges bins from ${n(b.edges[0])} to ${n(b.edges[b.edges.length - 1])}`
          : `one bin per value (${b.categories.length})`;
      lines.push(['Bins', bins], ['Score', `Jensen-Shannon distance ${n(e.score)} (natural log)`]);
      break;
    }
  }
  lines.push(['Threshold', `${r.threshold}: ${verdictText(r)}`]);
  return lines;
}

const ALERT_TITLES: Readonly<Record<AlertRule, string>> = {
  'data-drift': 'Data drift',
  'prediction-drift': 'Prediction drift (class mix)',
  'accuracy-drop': 'Accuracy drop',
  'cbpe-drop': 'Estimated accuracy (CBPE) drop',
  'p99-latency': 'p99 latency',
  'error-rate': 'Error rate',
};

/** The rule's name for people. */
export const alertTitle = (rule: AlertRule): string => ALERT_TITLES[rule];

/** An alert's value against its threshold, in the rule's unit ("62.5% >= 50% of features"). */
export function alertValueText(a: Pick<AlertEvent, 'rule' | 'value' | 'threshold' | 'state'>) {
  const on = a.state === 'firing';
  switch (a.rule) {
    case 'data-drift':
      return `${n(a.value * 100, 3)}% of features drifted ${on ? '>=' : '<'} ${n(a.threshold * 100, 3)}%`;
    case 'prediction-drift':
      // The event keeps the test's threshold, not its method: Evidently's categorical tests
      // use 0.1 only for the Jensen-Shannon distance, 0.05 for the p-values.
      return a.threshold === DEFAULT_THRESHOLDS.jensenshannon
        ? `class-mix distance ${formatScore('jensenshannon', a.value)} ${on ? '>=' : '<'} ${a.threshold}`
        : `class-mix p = ${formatScore('chisquare', a.value)} ${on ? '<' : '>='} ${a.threshold}`;
    case 'accuracy-drop':
    case 'cbpe-drop':
      return `${a.value.toFixed(1)} points below reference ${on ? '>' : '<='} ${a.threshold}`;
    case 'p99-latency':
      return `${a.value.toFixed(1)} ms ${on ? '>' : '<='} ${a.threshold} ms`;
    case 'error-rate':
      return `${n(a.value * 100, 3)}% of requests ${on ? '>' : '<='} ${n(a.threshold * 100, 3)}%`;
  }
}
