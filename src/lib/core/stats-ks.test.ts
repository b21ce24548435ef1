import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/drift/drift.json';
import { numbers, type SampleSpec } from '../../../tests/fixtures/drift/samples';
import { kolmogorovSf, smirnovSf } from './stats-kolmogorov';
import { ksTest } from './stats-ks';

/** The contract: |p - scipy| <= 1e-6 (1 + p). */
const pTol = (p: number): number => 1e-6 * (1 + p);

describe('ksTest against scipy 1.10 ks_2samp (two-sided, auto)', () => {
  for (const c of fixture.ks) {
    it(c.name, () => {
      const r = ksTest(numbers(c.ref as SampleSpec), numbers(c.cur as SampleSpec));
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThanOrEqual(1e-12);
      // Including scipy's fall-back to 'asymp' when the exact sum rounds above 1.
      expect(r.mode).toBe(c.mode);
      const err = Math.abs(r.pValue - c.pValue);
      expect(err, `p ${r.pValue} vs ${c.pValue} (${r.mode})`).toBeLessThanOrEqual(pTol(c.pValue));
    });
  }
  it('reports the mode scipy used', () => {
    const a = Array.from({ length: 10000 }, (_, i) => i / 10000);
    const b = Array.from({ length: 10001 }, (_, i) => i / 10001 + 0.001);
    expect(ksTest(a, a.slice(0, 9999)).mode).toBe('exact');
    expect(ksTest(a, b).mode).toBe('asymp');
  });
});

describe('kstwo.sf and smirnov against scipy', () => {
  it('kolmogorovSf over every branch', () => {
    for (const c of fixture.kstwo) {
      const v = kolmogorovSf(c.n, c.x);
      expect(Math.abs(v - c.sf), `n=${c.n} x=${c.x}: ${v} vs ${c.sf}`).toBeLessThanOrEqual(
        1e-8 * c.sf + 1e-15,
      );
    }
  });
  it('smirnovSf', () => {
    for (const c of fixture.smirnov) {
      const v = smirnovSf(c.n, c.x);
      expect(Math.abs(v - c.sf), `n=${c.n} x=${c.x}: ${v} vs ${c.sf}`).toBeLessThanOrEqual(
        1e-9 * c.sf + 1e-300,
      );
    }
  });
});

describe('ksTest input', () => {
  it('refuses empty samples and NaN, naming the place', () => {
    expect(() => ksTest([], [1])).toThrow(/ksTest: ref is empty/);
    expect(() => ksTest([1], [])).toThrow(/ksTest: cur is empty/);
    expect(() => ksTest([1, NaN], [1])).toThrow(/ref\[1\] is NaN/);
    expect(() => ksTest([1], [Infinity])).toThrow(/cur\[0\] is Infinity/);
  });
  it('is symmetric in p and flips the sign', () => {
    const a = [0.1, 0.5, 0.9, 1.3];
    const b = [0.7, 1.1, 1.2, 2.5, 3];
    const ab = ksTest(a, b);
    const ba = ksTest(b, a);
    expect(ab.pValue).toBe(ba.pValue);
    expect(ab.sign).toBe(-ba.sign);
  });
});
