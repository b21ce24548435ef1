/**
 * fp16 conversion against numpy's `np.float16` (tests/fixtures/quantize/gen_quantize.py): edge
 * values one by one, every fp16 bit pattern back to float32, and 2^18 float32 values to fp16.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromFloat16, toFloat16 } from './float16';

type Reference = {
  float16: {
    inputBits: number[];
    float16Bits: number[];
    fromFloat16AllSha256: string;
    toFloat16SweepCount: number;
    toFloat16SweepSha256: string;
  };
};
const REF = JSON.parse(
  readFileSync(
    new URL('../../../tests/fixtures/quantize/quantize-reference.json', import.meta.url),
    'utf8',
  ),
) as Reference;
const F = REF.float16;

const bitsToFloat32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
const sha256 = (a: ArrayBufferView) =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');

describe('toFloat16', () => {
  it('matches numpy on edge values (overflow, subnormals, ties, signed zeros, NaN)', () => {
    const got = toFloat16(bitsToFloat32(F.inputBits));
    const mismatches = F.inputBits
      .map((bits, i) => ({ bits, want: F.float16Bits[i], got: got[i] }))
      .filter((m) => m.want !== m.got);
    expect(mismatches).toEqual([]);
    expect(F.inputBits.length).toBeGreaterThan(250);
  });

  it('matches numpy on 2^18 float32 values across every fp16 exponent (sha256 of the bits)', () => {
    const n = F.toFloat16SweepCount;
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const mixed = Math.imul(i, 2654435761 | 0) >>> 0;
      bits[i] = ((mixed & 0x807fffff) | ((96 + (i % 50)) << 23)) >>> 0;
    }
    const h = toFloat16(new Float32Array(bits.buffer));
    expect(sha256(h)).toBe(F.toFloat16SweepSha256);
  });

  it('names the cases the contract lists', () => {
    const f = (v: number) => toFloat16(Float32Array.of(v))[0];
    expect(f(65504)).toBe(0x7bff); // largest normal
    expect(f(65520)).toBe(0x7c00); // rounds up past it: Infinity
    expect(f(-1e6)).toBe(0xfc00);
    expect(f(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(f(2 ** -25)).toBe(0x0000); // a tie between 0 and 2^-24: even, 0
    expect(f(3 * 2 ** -25)).toBe(0x0002); // a tie between 1 and 2 units: even, 2
    expect(f(1 + 2 ** -11)).toBe(0x3c00); // a tie: even, 1
    expect(f(-0)).toBe(0x8000);
    expect(f(Infinity)).toBe(0x7c00);
    expect(f(NaN)).toBe(0x7e00);
  });
});

describe('fromFloat16', () => {
  it('matches numpy on all 65,536 bit patterns (NaNs compared as NaN)', () => {
    const all = fromFloat16(Uint16Array.from({ length: 65536 }, (_, i) => i));
    const bits = new Uint32Array(all.buffer.slice(0));
    all.forEach((v, i) => {
      if (Number.isNaN(v)) bits[i] = 0x7fc00000;
    });
    expect(sha256(bits)).toBe(F.fromFloat16AllSha256);
  });

  it('round-trips every non-NaN fp16 value exactly', () => {
    const h = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const back = toFloat16(fromFloat16(h));
    const bad = [...h].filter((b, i) => (b & 0x7fff) <= 0x7c00 && back[i] !== b);
    expect(bad).toEqual([]);
    expect(Number.isNaN(fromFloat16(Uint16Array.of(0x7e00))[0])).toBe(true);
    expect(fromFloat16(Uint16Array.of(0x0001, 0x8000, 0xfc00, 0x3555))).toEqual(
      Float32Array.of(2 ** -24, -0, -Infinity, 0.333251953125),
    );
  });
});
