/**
 * Monitoring over simulated time, as a production team would watch a model: fixed windows of
 * `windowMs` (a sliding view is a moving sum over consecutive windows), each closed when the
 * simulated clock passes its end, with request rate, errors, latency percentiles, the predicted
 * class mix, confidences, per-feature drift against the reference (Evidently's rules via
 * `datasetDrift`, applied to a reservoir sample of the window), accuracy on the labels that have
 * ARRIVED (delayed labels reach the monitor later), the CBPE estimate, and alerts with hysteresis.
 * Types and defaults: sim-monitor-types.ts; rules: sim-alerts.ts.
 */
import { prepareReference, type DatasetDriftResult, type PreparedReference } from './drift';
import { MAX_ROWS_FOR_P_VALUE_TESTS, type DriftKind } from './drift-rules';
import { AlertTracker, readRules } from './sim-alerts';
import { LabelQueue } from './sim-label-queue';
import {
  DEFAULT_ALERT_THRESHOLDS,
  type AlertEvent,
  type AlertRule,
  type AlertThresholds,
  type LabelTally,
  type MonitorConfig,
  type Observation,
  type WindowSummary,
} from './sim-monitor-types';
import { checkMonitorConfig, checkObservation, checkThresholds } from './sim-monitor-check';
import { tally, WindowAccumulator } from './sim-window';
import { windowDrift } from './sim-window-drift';

export * from './sim-monitor-types';
export { ALERT_RULES } from './sim-alerts';

export class Monitor {
  readonly windowMs: number;
  readonly startMs: number;
  readonly featureNames: readonly string[];
  /** Closed windows, oldest first. */
  readonly windows: WindowSummary[] = [];
  /** The alert timeline, in time order. */
  readonly alerts: AlertEvent[] = [];
  /** Full drift results (rules, evidence) of the most recent window that had a drift verdict. */
  lastDrift: DatasetDriftResult | null = null;
  #cfg: MonitorConfig;
  #thresholds: AlertThresholds;
  #refs: PreparedReference[];
  #kinds: DriftKind[];
  #refPredictions: PreparedReference | null;
  #acc: WindowAccumulator;
  #labels = new LabelQueue();
  #own = { labels: new Int32Array(64), correct: new Int32Array(64) };
  #tracker = new AlertTracker();
  #lastTime = -Infinity;

  /** @throws Error naming the field when the config is invalid (see MonitorConfig). */
  constructor(config: MonitorConfig) {
    checkMonitorConfig(config);
    const { features: f, nClasses, reference } = config;
    this.#cfg = { ...config };
    this.windowMs = config.windowMs;
    this.startMs = config.startMs ?? 0;
    this.featureNames = config.featureNames ?? Array.from({ length: f }, (_, i) => `feature ${i}`);
    this.#thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...config.thresholds };
    this.#kinds = [...(config.featureKinds ?? new Array<DriftKind>(f).fill('numerical'))];
    const rows = reference.length / f;
    // Each reference column is checked and sorted (or counted) once, not per window.
    this.#refs = this.#kinds.map((kind, j) => {
      const col = new Float64Array(rows);
      for (let r = 0; r < rows; r++) col[r] = reference[r * f + j];
      return prepareReference(col, kind);
    });
    this.#refPredictions = config.referencePredictions
      ? prepareReference(config.referencePredictions, 'categorical')
      : null;
    // Exact KS (references up to 1,000 rows) is O(n) on equal sizes, O(D n1 n2) otherwise.
    const size = config.driftSampleSize ?? (rows > MAX_ROWS_FOR_P_VALUE_TESTS ? 2000 : rows);
    const bins = config.confidenceBins ?? 10;
    this.#acc = new WindowAccumulator(f, nClasses, size, bins, config.seed, config.calibrator);
    this.#acc.reset(0, this.startMs, this.startMs + this.windowMs);
    this.#lastTime = this.startMs;
  }

  get thresholds(): Readonly<AlertThresholds> {
    return this.#thresholds;
  }

  /** Changes alert thresholds from the next window close on (a learner's setting). */
  setThresholds(t: Partial<AlertThresholds>): void {
    checkThresholds(t);
    this.#thresholds = { ...this.#thresholds, ...t };
  }

  /** Rules firing now. */
  get activeAlerts(): AlertRule[] {
    return this.#tracker.active;
  }

  /** Start of the open window, simulated ms. */
  get openWindowStartMs(): number {
    return this.#acc.startMs;
  }

  /**
   * Counts one request. Closes every window that ended before `o.timeMs` first.
   * @throws Error when time goes backwards (before the start, an earlier record or `advanceTo`)
   *   or a field is invalid (naming it).
   */
  record(o: Observation): void {
    if (!(o.timeMs >= this.#lastTime)) {
      throw new Error(`monitor: time went backwards (${o.timeMs} ms after ${this.#lastTime} ms)`);
    }
    checkObservation(o, this.#cfg);
    this.advanceTo(o.timeMs);
    this.#acc.add(o);
    if ((o.outcome ?? 'ok') !== 'ok' || o.label === undefined) return;
    const correct = o.label === o.predicted;
    const w = this.#acc.index;
    if (o.labelAtMs === undefined || o.labelAtMs <= o.timeMs) this.#labelArrived(w, correct);
    else this.#labels.push(o.labelAtMs, w, correct);
  }

  /** Moves the clock to `timeMs`: labels due by then arrive, and finished windows close. */
  advanceTo(timeMs: number): void {
    if (Number.isNaN(timeMs)) throw new Error('monitor: advanceTo(NaN)');
    this.#lastTime = Math.max(this.#lastTime, timeMs);
    while (timeMs >= this.#acc.endMs) {
      this.#deliver(this.#acc.endMs, false);
      this.#close();
    }
    this.#deliver(timeMs, true);
  }

  /**
   * Accuracy of window `w`'s own requests on the labels that have arrived so far (it grows as
   * delayed labels come in; compare with that window's CBPE).
   */
  revisedAccuracy(w: number): LabelTally {
    return w < this.#own.labels.length
      ? tally(this.#own.labels[w], this.#own.correct[w])
      : tally(0, 0);
  }

  #deliver(until: number, inclusive: boolean): void {
    const q = this.#labels;
    while (q.size > 0 && (inclusive ? q.peekTime() <= until : q.peekTime() < until)) {
      const { window, correct } = q.pop();
      this.#labelArrived(window, correct);
    }
  }

  #labelArrived(window: number, correct: boolean): void {
    this.#acc.labelArrived(correct);
    const own = this.#own;
    if (window >= own.labels.length) {
      const n = Math.max(window + 1, own.labels.length * 2);
      const [l, c] = [new Int32Array(n), new Int32Array(n)];
      l.set(own.labels);
      c.set(own.correct);
      [own.labels, own.correct] = [l, c];
    }
    own.labels[window]++;
    if (correct) own.correct[window]++;
  }

  #close(): void {
    const acc = this.#acc;
    const summary: WindowSummary = {
      ...acc.summary(this.revisedAccuracy(acc.index)),
      ...windowDrift(acc, this.#refs, this.#kinds, this.featureNames, this.#refPredictions, {
        share: this.#thresholds.driftShare,
        minRows: this.#cfg.minDriftRows ?? 30,
        onDetails: (d) => (this.lastDrift = d),
      }),
    };
    this.windows.push(summary);
    const readings = readRules(
      summary,
      this.#thresholds,
      this.#cfg.referenceAccuracy,
      this.featureNames,
    );
    this.alerts.push(...this.#tracker.update(summary, readings));
    acc.reset(acc.index + 1, acc.endMs, acc.endMs + this.windowMs);
  }
}
