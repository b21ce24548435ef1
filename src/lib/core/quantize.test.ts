/**
 * quantizeAffine and dequantize against onnxruntime's quantization formulas, written out in numpy
 * by tests/fixtures/quantize/gen_quantize.py (the source is named there), plus the edge cases
 * the contract lists: all-zero tensor, one channel, constant channel, int8 limits, NaN refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  affineParams,
  dequantize,
  fromFloat16,
  quantizeAffine,
  roundHalfEven,
  toFloat16,
  type AffineOptions,
} from './quantize';

type AffineCase = {
  name: string;
  opts: AffineOptions;
  valueBits: number[];
  q: number[];
  scale: number[];
  zeroPoint: number[];
  dequantized: number[];
};
const REF = JSON.parse(
  readFileSync(
    new URL('../../../tests/fixtures/quantize/quantize-reference.json', import.meta.url),
    'utf8',
  ),
) as { affine: AffineCase[] };

const f32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);

describe('quantizeAffine matches onnxruntime formulas (numpy fixtures)', () => {
  it.each(REF.affine.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const values = f32(c.valueBits);
    const got = quantizeAffine(values, c.opts);
    expect(got.q).toBeInstanceOf(c.opts.signed ? Int8Array : Uint8Array);
    expect([...got.q]).toEqual(c.q);
    expect([...got.scale]).toEqual(c.scale); // float32 values, exactly
    expect([...got.zeroPoint]).toEqual(c.zeroPoint);
    const back = dequantize(got.q, got.scale, got.zeroPoint, {
      axis: c.opts.axis,
      channels: c.opts.channels,
    });
    expect([...back]).toEqual(c.dequantized);
  });

  it('covers every combination and the listed edge cases', () => {
    const names = REF.affine.map((c) => c.name).join('\n');
    for (const edge of [
      'all zero',
      'one channel',
      'constant channels',
      'limits and ties',
      'empty',
    ]) {
      expect(names).toContain(edge);
    }
    expect(REF.affine.length).toBeGreaterThanOrEqual(50);
  });
});

describe('quantizeAffine edge cases', () => {
  const sym = { bits: 8, signed: true, symmetric: true } as const;
  const asym = { bits: 8, signed: false, symmetric: false } as const;

  it('gives an all-zero tensor scale 1 and zero point 0', () => {
    for (const opts of [sym, asym]) {
      const r = quantizeAffine(new Float32Array(5), opts);
      expect([...r.scale, ...r.zeroPoint, ...r.q]).toEqual([1, 0, 0, 0, 0, 0, 0]);
    }
  });

  it('keeps symmetric int8 in [-127, 127] with zero point 0, hitting both limits', () => {
    const r = quantizeAffine(Float32Array.of(-2, 2, 1, -1e-9, 0), sym);
    expect([...r.q]).toEqual([-127, 127, 64, -0, 0].map((v) => v | 0));
    expect(r.zeroPoint[0]).toBe(0);
    expect(r.scale[0]).toBe(Math.fround(4 / 254));
  });

  it('includes 0 in the range: positive-only data still maps 0 to the zero point exactly', () => {
    const r = quantizeAffine(Float32Array.of(2, 3, 4), asym);
    expect(r.zeroPoint[0]).toBe(0);
    expect([...r.q]).toEqual([127, 191, 255]); // 2 / float32(4 / 255) = 127.49999
    const neg = quantizeAffine(Float32Array.of(-4, -1), asym);
    expect(neg.zeroPoint[0]).toBe(255);
    expect(dequantize(neg.q, neg.scale, neg.zeroPoint)[1]).toBeCloseTo(-1, 1);
  });

  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.4999].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, -2, 3,
    ]);
  });

  it('quantizes one channel like the whole tensor, and each constant channel on its own', () => {
    const col = Float32Array.of(0.5, -0.25, 0.125);
    const one = quantizeAffine(col, { ...sym, axis: 1, channels: 1 });
    expect(one).toEqual(quantizeAffine(col, sym));
    // Columns: constant 0.3, all zero, constant -2.
    const m = Float32Array.of(0.3, 0, -2, 0.3, 0, -2);
    const r = quantizeAffine(m, { ...sym, axis: 1, channels: 3 });
    expect([...r.scale]).toEqual([Math.fround(0.6 / 254), 1, Math.fround(4 / 254)]);
    expect([...r.q]).toEqual([127, 0, -127, 127, 0, -127]);
    expect([...dequantize(r.q, r.scale, r.zeroPoint, { axis: 1, channels: 3 })]).toEqual([...m]);
  });

  it('refuses NaN and infinite values, naming the index', () => {
    expect(() => quantizeAffine(Float32Array.of(1, NaN), sym)).toThrow(/value NaN at index 1/);
    expect(() => quantizeAffine(Float32Array.of(-Infinity), asym)).toThrow(/index 0/);
    expect(() => quantizeAffine(Float32Array.of(3e38, -3e38), sym)).toThrow(/wider than float32/);
  });

  it('refuses options it cannot honour', () => {
    const v = new Float32Array(6);
    expect(() => quantizeAffine(v, { ...sym, bits: 4 as 8 })).toThrow(/bits must be 8/);
    expect(() => quantizeAffine(v, { ...sym, axis: 0, channels: 2 })).toThrow(/axis 0/);
    expect(() => quantizeAffine(v, { ...sym, axis: 1 })).toThrow(/needs channels/);
    expect(() => quantizeAffine(v, { ...sym, axis: 1, channels: 4 })).toThrow(/rows of 4/);
    expect(() => quantizeAffine(v, { ...sym, channels: 3 })).toThrow(/without axis/);
    expect(() => dequantize(Int8Array.of(1, 2), Float32Array.of(1, 2), [0])).toThrow(/same/);
    expect(() => dequantize(Int8Array.of(1, 2, 3), Float32Array.of(1, 2), [0, 0])).toThrow(
      /rows of 2/,
    );
    expect(() => affineParams(1, 0, true, true)).toThrow(/min <= max/);
  });
});

describe('quantize.ts re-exports the fp16 conversion', () => {
  it('toFloat16 / fromFloat16', () => {
    expect(fromFloat16(toFloat16(Float32Array.of(0.1)))[0]).toBe(0.0999755859375);
  });
});
