/**
 * Covariate-shift transforms of one digits image: 8 x 8 pixels, row-major (index = 8 row + col),
 * values are pen-stroke counts in [0, 16]. Every transform writes its result clipped to [0, 16]
 * and keeps fractional values (a drifted image need not hold integers). Pixels sampled from
 * outside the image read as 0 (blank paper). `src` and `dst` must be different arrays of 64.
 */
import type { Rng } from './rng';
import { normalTable16 } from './sim-random';

export const SIDE = 8;
export const PIXELS = SIDE * SIDE;
export const MAX_PIXEL = 16;
/** The image centre in pixel coordinates (rotation is about it). */
const CENTRE = (SIDE - 1) / 2;

export type Resample = 'nearest' | 'bilinear';

const clip = (v: number): number => (v < 0 ? 0 : v > MAX_PIXEL ? MAX_PIXEL : v);

/**
 * A resampling plan: output pixel p reads up to 4 source pixels idx[4p + k] (-1: outside, reads
 * 0) with weights w[4p + k]. Rotation and translation build one per parameter set and reuse it
 * while the parameters stay the same (the common case: a scenario at full strength).
 */
type Plan = { idx: Int8Array; w: Float32Array };

/** The plan that reads each output pixel at source position at(x, y) = [sx, sy]. */
function makePlan(at: (x: number, y: number) => [number, number], mode: Resample): Plan {
  const idx = new Int8Array(4 * PIXELS).fill(-1);
  const w = new Float32Array(4 * PIXELS);
  const put = (p: number, k: number, x: number, y: number, weight: number): void => {
    if (x < 0 || x >= SIDE || y < 0 || y >= SIDE || weight === 0) return;
    idx[4 * p + k] = y * SIDE + x;
    w[4 * p + k] = weight;
  };
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      // Snap float noise (cos 90 deg is 6e-17) so that whole-pixel maps stay exact.
      const [sx, sy] = at(x, y).map((v) => Math.round(v * 1e9) / 1e9);
      const p = y * SIDE + x;
      if (mode === 'nearest') {
        put(p, 0, Math.round(sx), Math.round(sy), 1);
        continue;
      }
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [fx, fy] = [sx - x0, sy - y0];
      put(p, 0, x0, y0, (1 - fx) * (1 - fy));
      put(p, 1, x0 + 1, y0, fx * (1 - fy));
      put(p, 2, x0, y0 + 1, (1 - fx) * fy);
      put(p, 3, x0 + 1, y0 + 1, fx * fy);
    }
  }
  return { idx, w };
}

function applyPlan(src: ArrayLike<number>, dst: Float32Array, { idx, w }: Plan): void {
  for (let p = 0; p < PIXELS; p++) {
    let v = 0;
    for (let k = 4 * p; k < 4 * p + 4; k++) if (idx[k] >= 0) v += w[k] * src[idx[k]];
    dst[p] = clip(v);
  }
}

/** A one-entry cache of plans per transform, keyed by its parameters. */
function planCache(build: (a: number, b: number, mode: Resample) => Plan) {
  let key: [number, number, Resample] | null = null;
  let plan: Plan | null = null;
  return (a: number, b: number, mode: Resample): Plan => {
    if (!key || !plan || key[0] !== a || key[1] !== b || key[2] !== mode) {
      [key, plan] = [[a, b, mode], build(a, b, mode)];
    }
    return plan;
  };
}

const translatePlan = planCache((dx, dy, mode) => makePlan((x, y) => [x - dx, y - dy], mode));
const rotatePlan = planCache((degrees, _unused, mode) => {
  const th = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(th), Math.sin(th)];
  // Mathematical axes (v up): (u', v') = (x - c0, c0 - y); the source is R(-th) (u', v').
  return makePlan((x, y) => {
    const [u1, v1] = [x - CENTRE, CENTRE - y];
    return [CENTRE + u1 * c + v1 * s, CENTRE - (-u1 * s + v1 * c)];
  }, mode);
});

/** Brightness: every pixel times `factor` (>= 0), clipped. */
export function brighten(src: ArrayLike<number>, dst: Float32Array, factor: number): void {
  for (let i = 0; i < PIXELS; i++) dst[i] = clip(src[i] * factor);
}

/**
 * Sensor noise: every pixel plus `std` (pixel units) times a standard normal draw, clipped. The
 * draws come two per 32-bit number from `normalTable16` (normal quantiles on a 1/65536 grid,
 * tails cut at +-4.33 sd: invisible once pixels are clipped to 0..16).
 */
export function addNoise(src: ArrayLike<number>, dst: Float32Array, std: number, rng: Rng): void {
  const z = normalTable16();
  for (let i = 0; i < PIXELS; i += 2) {
    const r = rng.uint32();
    dst[i] = clip(src[i] + std * z[r & 0xffff]);
    dst[i + 1] = clip(src[i + 1] + std * z[r >>> 16]);
  }
}

/**
 * Translation by (dx, dy) pixels: right and down are positive; dst(x, y) = src(x - dx, y - dy).
 * Whole-pixel shifts are exact; fractional ones use `mode`.
 */
export function translate(
  src: ArrayLike<number>,
  dst: Float32Array,
  dx: number,
  dy: number,
  mode: Resample = 'bilinear',
): void {
  applyPlan(src, dst, translatePlan(dx, dy, mode));
}

/**
 * Rotation by `degrees` about the image centre, counter-clockwise as displayed (row 0 on top):
 * each output pixel reads the source at the inversely rotated position.
 */
export function rotate(
  src: ArrayLike<number>,
  dst: Float32Array,
  degrees: number,
  mode: Resample = 'bilinear',
): void {
  applyPlan(src, dst, rotatePlan(degrees, 0, mode));
}

/** For each pixel, its 3 x 3 neighbourhood inside the image (itself included), -1 padded. */
const NEIGHBOURS = (() => {
  const nb = new Int8Array(9 * PIXELS).fill(-1);
  for (let p = 0; p < PIXELS; p++) {
    const [x, y] = [p % SIDE, Math.floor(p / SIDE)];
    let k = 9 * p;
    for (let yy = y - 1; yy <= y + 1; yy++) {
      for (let xx = x - 1; xx <= x + 1; xx++) {
        if (xx >= 0 && xx < SIDE && yy >= 0 && yy < SIDE) nb[k++] = yy * SIDE + xx;
      }
    }
  }
  return nb;
})();

/**
 * Thicker strokes: a 3 x 3 maximum filter (a grey dilation, neighbours inside the image only)
 * blended with the original: dst = (1 - blend) src + blend max3x3(src), blend in [0, 1].
 */
export function thicken(src: ArrayLike<number>, dst: Float32Array, blend: number): void {
  for (let p = 0; p < PIXELS; p++) {
    let m = 0;
    for (let k = 9 * p; k < 9 * p + 9; k++) {
      const q = NEIGHBOURS[k];
      if (q < 0) break;
      if (src[q] > m) m = src[q];
    }
    dst[p] = clip((1 - blend) * src[p] + blend * m);
  }
}
