/**
 * The drift scenarios a learner injects into simulated traffic (scenarios.ts applies them): what
 * each one is, when it is active, and one line of text for the UI. Times are simulated ms.
 */
import type { Resample } from './sim-image';

/** Which transforms make sense: image transforms need the 8 x 8 digits layout. */
export type DatasetKind = 'digits' | 'tabular';

/** A digits image transform at full strength (a ramp scales it towards "no change"). */
export type ImageTransform =
  /** Pixels x factor (>= 0), clipped to 0..16. */
  | { kind: 'brightness'; params: { factor: number } }
  /** Gaussian noise of `std` pixel units (>= 0), clipped. */
  | { kind: 'noise'; params: { std: number } }
  /** Translation by dx (right) and dy (down) pixels. */
  | { kind: 'shift'; params: { dx: number; dy: number } }
  /** Counter-clockwise rotation by `degrees`; bilinear resampling unless told otherwise. */
  | { kind: 'rotation'; params: { degrees: number; resample?: Resample } }
  /** Thicker strokes: a 3 x 3 max filter blended in with weight `blend` (0..1). */
  | { kind: 'thicker'; params: { blend: number } };

export type ScenarioEffect =
  | ImageTransform
  /** Tabular covariate shift: feature x factor. */
  | { kind: 'feature-scale'; params: { feature: number; factor: number } }
  /** Tabular covariate shift: feature + offset (in the feature's unit). */
  | { kind: 'feature-offset'; params: { feature: number; offset: number } }
  /** Prior shift: pool rows re-drawn so that classes come in these relative weights. */
  | { kind: 'prior-shift'; params: { classWeights: number[] } }
  /** Concept drift: the true label of `share` (0..1) of class `from` rows becomes `to`. */
  | { kind: 'relabel'; params: { from: number; to: number; share: number } }
  /** Concept drift, digits: a new writer's style (a fixed transform) for some classes only. */
  | { kind: 'new-writer'; params: { classes: number[]; transform: ImageTransform } }
  /** Upstream bug: a feature arrives as 0. */
  | { kind: 'stuck-at-zero'; params: { feature: number } }
  /** Upstream bug: two columns arrive swapped. */
  | { kind: 'swap-columns'; params: { a: number; b: number } }
  /** Upstream bug: a unit change, feature x factor (for example 1000: kg sent as g). */
  | { kind: 'unit-change'; params: { feature: number; factor: number } }
  /** Ground truth arrives `delaySeconds` after the request, for `fraction` (0..1) of requests. */
  | { kind: 'delayed-labels'; params: { delaySeconds: number; fraction: number } };

/**
 * A scenario: an effect, active from `startMs` (until `endMs` when given), reaching full
 * strength linearly over `rampMs` (0 = at once). During a ramp, continuous effects scale their
 * parameter (a factor f acts as 1 + s (f - 1), an angle as s x angle...) and discrete ones hit
 * a share s of the rows (stuck, swapped, unit change, relabel, prior shift, delayed labels).
 */
export type Scenario = ScenarioEffect & { startMs: number; rampMs: number; endMs?: number };

export type ScenarioKind = Scenario['kind'];

/** Strength of a scenario at simulated time t: 0 before the start (and from endMs), then 0..1. */
export function intensity(s: Scenario, timeMs: number): number {
  if (timeMs < s.startMs || (s.endMs !== undefined && timeMs >= s.endMs)) return 0;
  if (s.rampMs <= 0) return 1;
  return Math.min(1, (timeMs - s.startMs) / s.rampMs);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Simulated time as "day D, HH:MM:SS" (day 0 starts at 0 ms). */
export function formatSimTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const day = Math.floor(s / 86400);
  const r = s - day * 86400;
  return `day ${day}, ${pad(Math.floor(r / 3600))}:${pad(Math.floor(r / 60) % 60)}:${pad(r % 60)}`;
}

/** A duration in ms as "45 s", "30 min", "2.5 h". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(2)} h`;
}

function effectText(e: ScenarioEffect, names?: readonly string[]): string {
  const f = (i: number): string => names?.[i] ?? `feature ${i}`;
  switch (e.kind) {
    case 'brightness':
      return `brightness x${e.params.factor} (covariate shift)`;
    case 'noise':
      return `noise, std ${e.params.std} pixel units (covariate shift)`;
    case 'shift':
      return `image shifted by (${e.params.dx}, ${e.params.dy}) pixels (covariate shift)`;
    case 'rotation':
      return `image rotated ${e.params.degrees} degrees (covariate shift)`;
    case 'thicker':
      return `thicker strokes, blend ${e.params.blend} (covariate shift)`;
    case 'feature-scale':
      return `${f(e.params.feature)} x${e.params.factor} (covariate shift)`;
    case 'feature-offset':
      return `${f(e.params.feature)} ${e.params.offset >= 0 ? '+' : ''}${e.params.offset} (covariate shift)`;
    case 'prior-shift':
      return `class mix becomes ${e.params.classWeights.join(':')} (prior shift)`;
    case 'relabel':
      return `${Math.round(e.params.share * 100)}% of class ${e.params.from} is now labelled ${e.params.to} (concept drift)`;
    case 'new-writer':
      return `a new writer for classes ${e.params.classes.join(', ')}: ${effectText(e.params.transform).replace(' (covariate shift)', '')} (concept drift)`;
    case 'stuck-at-zero':
      return `${f(e.params.feature)} stuck at 0 (upstream bug)`;
    case 'swap-columns':
      return `${f(e.params.a)} and ${f(e.params.b)} swapped (upstream bug)`;
    case 'unit-change':
      return `${f(e.params.feature)} in a new unit, x${e.params.factor} (upstream bug)`;
    case 'delayed-labels':
      return `labels arrive after ${formatDuration(e.params.delaySeconds * 1000)} for ${Math.round(e.params.fraction * 100)}% of requests`;
  }
}

/**
 * One line for the UI: the effect and its timing, e.g.
 * "Brightness x0.6 (covariate shift) from day 0, 02:00:00 at once".
 */
export function describe(s: Scenario, featureNames?: readonly string[]): string {
  const text = effectText(s, featureNames);
  const ramp = s.rampMs > 0 ? `, ramping up over ${formatDuration(s.rampMs)}` : ' at once';
  const end = s.endMs !== undefined ? ` until ${formatSimTime(s.endMs)}` : '';
  return `${text[0].toUpperCase()}${text.slice(1)} from ${formatSimTime(s.startMs)}${ramp}${end}`;
}
