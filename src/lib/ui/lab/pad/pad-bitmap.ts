/**
 * The digit pad's drawing model, pure: a 32×32 ink bitmap (what the learner draws) and its 8×8
 * counts per 4×4 block (what the model reads), made the way the UCI digits were.
 */

/** Side of the 32×32 drawing grid the UCI digits were written on. */
export const PAD_SIZE = 32;
/** Each of the 8×8 features counts the inked pixels of one 4×4 block: 0..16. */
export const PAD_BLOCK = 4;

/**
 * Downsamples a 32×32 ink bitmap (0 or 1 per pixel, row-major) the way the UCI digits were made:
 * each of the 8×8 features is the number of inked pixels in a non-overlapping 4×4 block (0..16).
 * @throws Error unless `bitmap.length === 32 * 32`.
 */
export function poolBitmap(bitmap: ArrayLike<number>): Float32Array {
  if (bitmap.length !== PAD_SIZE * PAD_SIZE) {
    throw new Error(`poolBitmap: expected ${PAD_SIZE * PAD_SIZE} pixels, got ${bitmap.length}`);
  }
  const side = PAD_SIZE / PAD_BLOCK;
  const out = new Float32Array(side * side);
  for (let y = 0; y < PAD_SIZE; y++) {
    for (let x = 0; x < PAD_SIZE; x++) {
      if (bitmap[y * PAD_SIZE + x])
        out[Math.floor(y / PAD_BLOCK) * side + Math.floor(x / PAD_BLOCK)]++;
    }
  }
  return out;
}

/** Order in which a 4×4 block's pixels are inked to show a count 0..16 (a Bayer dither). */
const DITHER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/**
 * Sets block (`row`, `col`) of the 32×32 bitmap to `count` inked pixels (0..16, rounded and
 * clamped), spread evenly over the block, so that `poolBitmap` gives back exactly `count`.
 */
export function setBlock(bitmap: Uint8Array, row: number, col: number, count: number): void {
  const c = Math.max(0, Math.min(16, Math.round(count)));
  for (let y = 0; y < PAD_BLOCK; y++) {
    for (let x = 0; x < PAD_BLOCK; x++) {
      const i = (row * PAD_BLOCK + y) * PAD_SIZE + col * PAD_BLOCK + x;
      bitmap[i] = DITHER[y * PAD_BLOCK + x] < c ? 1 : 0;
    }
  }
}

/** A 32×32 bitmap whose pooled 8×8 values are `pixels` (64 values 0..16), e.g. a test example. */
export function bitmapFromPixels(pixels: ArrayLike<number>): Uint8Array {
  const side = PAD_SIZE / PAD_BLOCK;
  if (pixels.length !== side * side) {
    throw new Error(`bitmapFromPixels: expected ${side * side} values, got ${pixels.length}`);
  }
  const bitmap = new Uint8Array(PAD_SIZE * PAD_SIZE);
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) setBlock(bitmap, r, c, pixels[r * side + c]);
  return bitmap;
}

/**
 * Inks the pixels within `radius` of the segment from (x0, y0) to (x1, y1), in pixel units of the
 * 32×32 grid (a pen stroke between two pointer samples). Returns whether any pixel changed.
 */
export function inkSegment(
  bitmap: Uint8Array,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  radius = 1.5,
): boolean {
  let changed = false;
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
  for (let s = 0; s <= steps; s++) {
    const cx = x0 + ((x1 - x0) * s) / steps;
    const cy = y0 + ((y1 - y0) * s) / steps;
    const lo = (v: number) => Math.max(0, Math.floor(v - radius));
    const hi = (v: number) => Math.min(PAD_SIZE - 1, Math.ceil(v + radius));
    for (let y = lo(cy); y <= hi(cy); y++) {
      for (let x = lo(cx); x <= hi(cx); x++) {
        // Pixel centres at +0.5: a stroke through (cx, cy) inks the pixels it covers.
        if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius && !bitmap[y * PAD_SIZE + x]) {
          bitmap[y * PAD_SIZE + x] = 1;
          changed = true;
        }
      }
    }
  }
  return changed;
}
