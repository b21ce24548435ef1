/**
 * Input checks of the monitor (monitor.ts): a bad configuration or observation fails at once
 * with the field that is wrong, instead of surfacing as NaN in a chart windows later.
 */
import type { AlertThresholds, MonitorConfig, Observation } from './sim-monitor-types';

const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** @throws Error naming the threshold that is out of range. */
export function checkThresholds(t: Partial<AlertThresholds>): void {
  const bad = (name: string, v: unknown, range: string): never => {
    throw new Error(`monitor: threshold ${name} must be ${range}, got ${String(v)}`);
  };
  if (t.driftShare !== undefined && !(t.driftShare > 0 && t.driftShare <= 1)) {
    bad('driftShare', t.driftShare, 'in (0, 1]');
  }
  for (const k of ['accuracyDropPoints', 'cbpeDropPoints', 'p99LatencyMs', 'errorRate'] as const) {
    const v = t[k];
    if (v !== undefined && !Number.isFinite(v)) bad(k, v, 'a finite number');
  }
  if (t.minLabels !== undefined && !(Number.isInteger(t.minLabels) && t.minLabels >= 1)) {
    bad('minLabels', t.minLabels, 'an integer >= 1');
  }
}

/** @throws Error naming the field of the config that is invalid. */
export function checkMonitorConfig(c: MonitorConfig): void {
  const fail = (m: string): never => {
    throw new Error(`monitor: ${m}`);
  };
  if (!(c.windowMs > 0 && c.windowMs < Infinity)) fail(`windowMs must be > 0, got ${c.windowMs}`);
  if (c.startMs !== undefined && !Number.isFinite(c.startMs)) fail('startMs must be finite');
  if (!positiveInt(c.features)) fail(`features must be an integer >= 1, got ${c.features}`);
  if (!(Number.isInteger(c.nClasses) && c.nClasses >= 2)) fail('nClasses must be an integer >= 2');
  const rows = c.reference.length / c.features;
  if (!(Number.isInteger(rows) && rows >= 1)) {
    fail(`reference holds ${c.reference.length} values, not whole rows of ${c.features} features`);
  }
  if (c.featureNames && c.featureNames.length !== c.features) {
    fail(`featureNames has ${c.featureNames.length} names for ${c.features} features`);
  }
  if (c.featureKinds && c.featureKinds.length !== c.features) {
    fail(`featureKinds has ${c.featureKinds.length} kinds for ${c.features} features`);
  }
  if (!(c.referenceAccuracy >= 0 && c.referenceAccuracy <= 1)) {
    fail(`referenceAccuracy must be a fraction in [0, 1], got ${c.referenceAccuracy}`);
  }
  if (c.driftSampleSize !== undefined && !positiveInt(c.driftSampleSize)) {
    fail(`driftSampleSize must be an integer >= 1, got ${c.driftSampleSize}`);
  }
  if (c.minDriftRows !== undefined && !positiveInt(c.minDriftRows)) {
    fail(`minDriftRows must be an integer >= 1, got ${c.minDriftRows}`);
  }
  if (c.confidenceBins !== undefined && !positiveInt(c.confidenceBins)) {
    fail(`confidenceBins must be an integer >= 1, got ${c.confidenceBins}`);
  }
  if (!Number.isSafeInteger(c.seed)) fail(`seed must be a safe integer, got ${c.seed}`);
  checkThresholds(c.thresholds ?? {});
}

/** @throws Error naming the field of an observation that is invalid. */
export function checkObservation(o: Observation, c: MonitorConfig): void {
  const fail = (m: string): never => {
    throw new Error(`monitor: observation at ${o.timeMs} ms: ${m}`);
  };
  if (!Number.isFinite(o.timeMs)) fail('timeMs must be finite');
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0 && o.latencyMs < Infinity)) {
    fail(`latencyMs must be >= 0, got ${o.latencyMs}`);
  }
  const outcome = o.outcome ?? 'ok';
  if (outcome !== 'ok') {
    if (outcome !== 'error' && outcome !== 'rejected') fail(`unknown outcome '${outcome}'`);
    return;
  }
  const p = o.predicted;
  if (!(Number.isInteger(p) && (p as number) >= 0 && (p as number) < c.nClasses)) {
    fail(`predicted must be a class in [0, ${c.nClasses}), got ${String(p)}`);
  }
  if (!((o.confidence as number) >= 0 && (o.confidence as number) <= 1)) {
    fail(`confidence must be in [0, 1], got ${String(o.confidence)}`);
  }
  const off = o.featuresOffset ?? 0;
  if (!o.features || !(Number.isInteger(off) && off >= 0) || o.features.length < off + c.features) {
    fail(`features must hold ${c.features} values from offset ${off}`);
  }
  const l = o.label;
  if (l !== undefined && !(Number.isInteger(l) && l >= 0 && l < c.nClasses)) {
    fail(`label must be a class in [0, ${c.nClasses}), got ${l}`);
  }
  if (o.labelAtMs !== undefined && !Number.isFinite(o.labelAtMs)) fail('labelAtMs must be finite');
}
