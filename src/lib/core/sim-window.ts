/**
 * One monitoring window being filled (monitor.ts owns the windows): counts, latencies, the
 * predicted-class mix, the confidence histogram, the CBPE sum, labels that arrived, and a
 * uniform reservoir sample (Vitter's algorithm R) of at most `sampleSize` served rows for the
 * drift tests. Everything is preallocated; `add` does no allocation except when latencies grow.
 */
import { calibrateConfidence, type Calibrator } from './cbpe';
import { summarize } from './latency';
import { createRng, type Rng } from './rng';
import { subSeed } from './sim-random';
import type { LabelTally, Observation, WindowSummary } from './sim-monitor-types';

export const tally = (labels: number, correct: number): LabelTally => ({
  labels,
  correct,
  accuracy: labels > 0 ? correct / labels : null,
});

export class WindowAccumulator {
  index = 0;
  startMs = 0;
  endMs = 0;
  requests = 0;
  errors = 0;
  rejections = 0;
  served = 0;
  cbpeSum = 0;
  arrived = 0;
  arrivedCorrect = 0;
  latencies = new Float64Array(1024);
  nLatencies = 0;
  readonly classCounts: Int32Array;
  readonly confidenceCounts: Int32Array;
  /** Reservoir: rows [sampleRows, features] and their predicted classes. */
  readonly sample: Float32Array;
  readonly samplePredicted: Int32Array;
  sampleRows = 0;
  #rng: Rng = createRng(0);

  constructor(
    readonly features: number,
    readonly nClasses: number,
    readonly sampleSize: number,
    confidenceBins: number,
    readonly seed: number,
    readonly calibrator?: Calibrator,
  ) {
    this.classCounts = new Int32Array(nClasses);
    this.confidenceCounts = new Int32Array(confidenceBins);
    this.sample = new Float32Array(sampleSize * features);
    this.samplePredicted = new Int32Array(sampleSize);
  }

  /** Empties the accumulator for window `index` = [startMs, endMs). */
  reset(index: number, startMs: number, endMs: number): void {
    [this.index, this.startMs, this.endMs] = [index, startMs, endMs];
    this.requests = this.errors = this.rejections = this.served = 0;
    this.cbpeSum = this.arrived = this.arrivedCorrect = this.nLatencies = this.sampleRows = 0;
    this.classCounts.fill(0);
    this.confidenceCounts.fill(0);
    this.#rng = createRng(subSeed(this.seed, 'monitor-sample', index));
  }

  /** Counts one request (see Observation); the caller has checked its fields. */
  add(o: Observation): void {
    this.requests++;
    if (o.latencyMs !== undefined) {
      if (this.nLatencies === this.latencies.length) {
        const grown = new Float64Array(this.latencies.length * 2);
        grown.set(this.latencies);
        this.latencies = grown;
      }
      this.latencies[this.nLatencies++] = o.latencyMs;
    }
    const outcome = o.outcome ?? 'ok';
    if (outcome === 'error') this.errors++;
    if (outcome === 'rejected') this.rejections++;
    if (outcome !== 'ok') return;
    const predicted = o.predicted as number;
    const confidence = o.confidence as number;
    this.classCounts[predicted]++;
    const bins = this.confidenceCounts.length;
    this.confidenceCounts[Math.min(bins - 1, Math.floor(confidence * bins))]++;
    this.cbpeSum += this.calibrator ? calibrateConfidence(this.calibrator, confidence) : confidence;
    // Algorithm R: row k (0-based) replaces a random slot with probability size / (k + 1).
    const k = this.served++;
    let slot = k;
    if (k >= this.sampleSize) {
      slot = this.#rng.int(k + 1);
      if (slot >= this.sampleSize) return;
    } else {
      this.sampleRows++;
    }
    const f = this.features;
    const src = o.features as ArrayLike<number>;
    const off = o.featuresOffset ?? 0;
    const base = slot * f;
    for (let j = 0; j < f; j++) this.sample[base + j] = src[off + j];
    this.samplePredicted[slot] = predicted;
  }

  /** Counts a label that arrived during this window. */
  labelArrived(correct: boolean): void {
    this.arrived++;
    if (correct) this.arrivedCorrect++;
  }

  /** The window's summary without drift (monitor.ts adds drift and own-label tallies). */
  summary(own: LabelTally): Omit<WindowSummary, 'drift' | 'predictionDrift'> {
    const seconds = (this.endMs - this.startMs) / 1000;
    const n = this.requests;
    return {
      index: this.index,
      startMs: this.startMs,
      endMs: this.endMs,
      requests: n,
      ratePerSecond: n / seconds,
      errors: this.errors,
      rejections: this.rejections,
      errorRate: n > 0 ? this.errors / n : null,
      rejectionRate: n > 0 ? this.rejections / n : null,
      latency: this.nLatencies > 0 ? summarize(this.latencies.subarray(0, this.nLatencies)) : null,
      classMix: Array.from(this.classCounts),
      confidenceHistogram: Array.from(this.confidenceCounts),
      cbpe: this.served > 0 ? this.cbpeSum / this.served : null,
      accuracy: tally(this.arrived, this.arrivedCorrect),
      ownAccuracy: own,
    };
  }
}
