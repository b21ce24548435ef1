/**
 * Validation of drift scenarios against the data set they will act on (scenarios.ts), so that a
 * bad scenario (typed by a learner, or imported in a lesson pack) fails with a clear message
 * before a run starts instead of producing NaN features mid-run.
 */
import type { DatasetKind, ImageTransform, Scenario } from './sim-scenario-types';

const IMAGE_KINDS = new Set(['brightness', 'noise', 'shift', 'rotation', 'thicker']);

type Context = { dataset: DatasetKind; features: number; nClasses: number };

function checkImage(t: ImageTransform, fail: (m: string) => never): void {
  const p = t.params as Record<string, unknown>;
  const num = (k: string, lo = -Infinity, hi = Infinity): void => {
    const v = p[k];
    if (typeof v !== 'number' || !(v >= lo && v <= hi)) {
      fail(`${k} must be a number in [${lo}, ${hi}], got ${String(v)}`);
    }
  };
  switch (t.kind) {
    case 'brightness':
      return num('factor', 0, 1e6);
    case 'noise':
      return num('std', 0, 1e6);
    case 'shift':
      return (num('dx', -8, 8), num('dy', -8, 8));
    case 'rotation':
      num('degrees', -360, 360);
      if (p.resample !== undefined && p.resample !== 'nearest' && p.resample !== 'bilinear') {
        fail(`resample must be 'nearest' or 'bilinear', got ${String(p.resample)}`);
      }
      return;
    case 'thicker':
      return num('blend', 0, 1);
    default:
      fail(`unknown image transform '${String((t as { kind: unknown }).kind)}'`);
  }
}

/**
 * Throws `scenario <index> (<kind>): <what is wrong>` when a scenario cannot run on this data.
 * @param poolCounts rows of each class in the source pool.
 */
export function checkScenario(
  s: Scenario,
  index: number,
  ctx: Context,
  poolCounts: readonly number[],
): void {
  const fail = (m: string): never => {
    throw new Error(`scenario ${index} (${String(s?.kind)}): ${m}`);
  };
  if (typeof s !== 'object' || s === null || typeof s.params !== 'object' || s.params === null) {
    fail('expected { kind, startMs, rampMs, params }');
  }
  if (!Number.isFinite(s.startMs)) fail(`startMs must be a finite number, got ${s.startMs}`);
  if (!(s.rampMs >= 0 && s.rampMs < Infinity)) fail(`rampMs must be >= 0, got ${s.rampMs}`);
  if (s.endMs !== undefined && !(s.endMs > s.startMs)) fail('endMs must be after startMs');
  const feature = (v: unknown, name = 'feature'): void => {
    if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) < ctx.features)) {
      fail(`${name} must be an integer in [0, ${ctx.features}), got ${String(v)}`);
    }
  };
  const cls = (v: unknown, name: string): void => {
    if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) < ctx.nClasses)) {
      fail(`${name} must be a class in [0, ${ctx.nClasses}), got ${String(v)}`);
    }
  };
  const finite = (v: unknown, name: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${name} must be a finite number`);
  };
  const share = (v: unknown, name: string): void => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${name} must be in [0, 1]`);
  };
  if (IMAGE_KINDS.has(s.kind) || s.kind === 'new-writer') {
    if (ctx.dataset !== 'digits' || ctx.features !== 64) {
      fail('image transforms need the 8 x 8 digits data set');
    }
  }
  switch (s.kind) {
    case 'brightness':
    case 'noise':
    case 'shift':
    case 'rotation':
    case 'thicker':
      return checkImage(s, fail);
    case 'new-writer':
      if (!Array.isArray(s.params.classes) || s.params.classes.length === 0) {
        fail('classes must list at least one class');
      }
      s.params.classes.forEach((c, i) => cls(c, `classes[${i}]`));
      return checkImage(s.params.transform, fail);
    case 'feature-scale':
    case 'unit-change':
      feature(s.params.feature);
      return finite(s.params.factor, 'factor');
    case 'feature-offset':
      feature(s.params.feature);
      return finite(s.params.offset, 'offset');
    case 'stuck-at-zero':
      return feature(s.params.feature);
    case 'swap-columns':
      feature(s.params.a, 'a');
      feature(s.params.b, 'b');
      if (s.params.a === s.params.b) fail('a and b must be different columns');
      return;
    case 'prior-shift': {
      const w = s.params.classWeights;
      if (!Array.isArray(w) || w.length !== ctx.nClasses) {
        fail(`classWeights must hold ${ctx.nClasses} weights`);
      }
      w.forEach((v, c) => {
        if (!(v >= 0 && v < Infinity)) fail(`classWeights[${c}] must be >= 0, got ${v}`);
        if (v > 0 && poolCounts[c] === 0) fail(`class ${c} has weight ${v} but no pool rows`);
      });
      if (!w.some((v) => v > 0)) fail('at least one class weight must be > 0');
      return;
    }
    case 'relabel':
      cls(s.params.from, 'from');
      cls(s.params.to, 'to');
      return share(s.params.share, 'share');
    case 'delayed-labels':
      if (!(s.params.delaySeconds >= 0 && s.params.delaySeconds < Infinity)) {
        fail('delaySeconds must be >= 0');
      }
      return share(s.params.fraction, 'fraction');
    default:
      fail(`unknown scenario kind '${String((s as { kind: unknown }).kind)}'`);
  }
}
