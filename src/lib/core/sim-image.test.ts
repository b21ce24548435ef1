import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { addNoise, brighten, PIXELS, rotate, thicken, translate } from './sim-image';

/** An image with value v at (x, y) and 0 elsewhere. */
const dot = (x: number, y: number, v = 10): Float32Array => {
  const a = new Float32Array(PIXELS);
  a[y * 8 + x] = v;
  return a;
};
const ramp = Float32Array.from({ length: PIXELS }, (_, i) => (i * 7) % 17);
const out = () => new Float32Array(PIXELS);
const inRange = (a: Float32Array) => a.every((v) => v >= 0 && v <= 16);

describe('digits image transforms', () => {
  it('brighten scales and clips to 0..16', () => {
    const d = out();
    brighten(ramp, d, 1.5);
    expect(d[1]).toBeCloseTo(10.5, 6);
    expect(Math.max(...d)).toBe(16);
    brighten(ramp, d, 0);
    expect(d.every((v) => v === 0)).toBe(true);
  });

  it('rotate by 0 is the identity; by 90 degrees moves the top-right corner to the top-left', () => {
    const d = out();
    rotate(ramp, d, 0);
    expect(Array.from(d)).toEqual(Array.from(ramp));
    for (const mode of ['nearest', 'bilinear'] as const) {
      rotate(dot(7, 0), d, 90, mode);
      expect(Array.from(d)).toEqual(Array.from(dot(0, 0)));
      rotate(dot(7, 0), d, -90, mode);
      expect(Array.from(d)).toEqual(Array.from(dot(7, 7)));
    }
  });

  it('four quarter turns (nearest) give the image back', () => {
    let a = Float32Array.from(ramp);
    for (let k = 0; k < 4; k++) {
      const d = out();
      rotate(a, d, 90, 'nearest');
      a = d;
    }
    expect(Array.from(a)).toEqual(Array.from(ramp));
  });

  it('rotate by 45 degrees keeps values in range and moves ink off the corners', () => {
    const d = out();
    rotate(
      Float32Array.from({ length: PIXELS }, () => 16),
      d,
      45,
    );
    expect(inRange(d)).toBe(true);
    expect(d[0]).toBeLessThan(8);
    expect(d[27]).toBe(16);
  });

  it('translate by whole pixels is exact with blank paper coming in', () => {
    const d = out();
    translate(dot(2, 3), d, 1, -2);
    expect(Array.from(d)).toEqual(Array.from(dot(3, 1)));
    translate(dot(7, 3), d, 1, 0);
    expect(d.every((v) => v === 0)).toBe(true);
  });

  it('translate by half a pixel splits the ink between neighbours (bilinear)', () => {
    const d = out();
    translate(dot(2, 2, 10), d, 0.5, 0);
    expect(d[2 * 8 + 2]).toBeCloseTo(5, 6);
    expect(d[2 * 8 + 3]).toBeCloseTo(5, 6);
    expect(d.reduce((s, v) => s + v, 0)).toBeCloseTo(10, 5);
  });

  it('thicken dilates a dot to its 3 x 3 neighbourhood, blended', () => {
    const d = out();
    thicken(dot(4, 4, 12), d, 1);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        expect(d[y * 8 + x]).toBe(Math.abs(x - 4) <= 1 && Math.abs(y - 4) <= 1 ? 12 : 0);
      }
    }
    thicken(dot(4, 4, 12), d, 0.25);
    expect(d[3 * 8 + 3]).toBeCloseTo(3, 6);
    expect(d[4 * 8 + 4]).toBeCloseTo(12, 6);
    thicken(ramp, d, 0);
    expect(Array.from(d)).toEqual(Array.from(ramp));
  });

  it('addNoise adds zero-mean noise of the given std (before clipping) and is seeded', () => {
    const mid = new Float32Array(PIXELS).fill(8);
    const d = out();
    let s = 0;
    let s2 = 0;
    const rng = createRng(1);
    for (let k = 0; k < 2000; k++) {
      addNoise(mid, d, 2, rng);
      d.forEach((v) => ((s += v - 8), (s2 += (v - 8) ** 2)));
    }
    const n = 2000 * PIXELS;
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.sqrt(s2 / n)).toBeCloseTo(2, 1);
    const [a, b] = [out(), out()];
    addNoise(ramp, a, 3, createRng(9));
    addNoise(ramp, b, 3, createRng(9));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(inRange(a)).toBe(true);
    addNoise(ramp, a, 0, createRng(9));
    expect(Array.from(a)).toEqual(Array.from(ramp));
  });
});
