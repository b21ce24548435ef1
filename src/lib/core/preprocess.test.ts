import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/data/data.json';
import { parseBreastCancerCsv, parseDigitsCsv } from './data';
import { applyStandardizer, gatherRows, standardizer } from './preprocess';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const cancer = parseBreastCancerCsv(
  readFileSync(new URL('public/data/breast_cancer.csv', root), 'utf8'),
);

describe('gatherRows', () => {
  it('copies the chosen rows in the given order', () => {
    const out = gatherRows(cancer, [3, 0, 3]);
    expect(out.rows).toBe(3);
    expect(Array.from(out.y)).toEqual([cancer.y[3], cancer.y[0], cancer.y[3]]);
    expect(Array.from(out.x.subarray(30, 60))).toEqual(Array.from(cancer.x.subarray(0, 30)));
    expect(Array.from(out.x.subarray(0, 30))).toEqual(Array.from(cancer.x.subarray(90, 120)));
    out.x[0] = -1;
    expect(cancer.x[90]).not.toBe(-1);
    expect(gatherRows(cancer, []).rows).toBe(0);
  });

  it('rejects indices outside the data set', () => {
    expect(() => gatherRows(cancer, [0, 569])).toThrow(/index 569 at position 1 is outside 0..568/);
    expect(() => gatherRows(cancer, [-1])).toThrow(/position 0/);
    expect(() => gatherRows(cancer, [1.5])).toThrow(/index 1.5/);
  });
});

describe('standardizer', () => {
  it('matches numpy mean and std (ddof=0), with scale 1 for constant features', () => {
    for (const [ds, ref] of [
      [digits, fixture.digits],
      [cancer, fixture.breast_cancer],
    ] as const) {
      const { offset, scale } = standardizer(ds.x, ds.rows, ds.features);
      for (let c = 0; c < ds.features; c++) {
        expect(offset[c]).toBe(Math.fround(ref.featureMeans[c]));
        const std = ref.featureStds[c];
        expect(scale[c]).toBe(std === 0 ? 1 : Math.fround(1 / std));
      }
    }
    // Digits' top-left pixel is always 0.
    expect(standardizer(digits.x, digits.rows, 64).scale[0]).toBe(1);
  });

  it('gives zero mean and unit variance after applying it', () => {
    const st = standardizer(cancer.x, cancer.rows, cancer.features);
    const z = applyStandardizer(cancer.x, cancer.features, st);
    for (let c = 0; c < cancer.features; c++) {
      let s = 0;
      let sq = 0;
      for (let r = 0; r < cancer.rows; r++) {
        s += z[r * 30 + c];
        sq += z[r * 30 + c] ** 2;
      }
      expect(Math.abs(s / cancer.rows)).toBeLessThan(1e-5);
      expect(Math.abs(sq / cancer.rows - 1)).toBeLessThan(1e-5);
    }
  });

  it('rounds like float32 Sub then Mul', () => {
    const st = { offset: Float32Array.of(0.1), scale: Float32Array.of(3.3) };
    const z = applyStandardizer(Float32Array.of(1.7), 1, st);
    const expected = Math.fround(Math.fround(Math.fround(1.7) - st.offset[0]) * st.scale[0]);
    expect(z[0]).toBe(expected);
  });

  it('rejects empty or mis-shaped input', () => {
    expect(() => standardizer(new Float32Array(0), 0, 3)).toThrow(/empty input/);
    expect(() => standardizer(new Float32Array(5), 2, 3)).toThrow(/expected rows \* features = 6/);
    const st = standardizer(new Float32Array(6), 2, 3);
    expect(() => applyStandardizer(new Float32Array(5), 3, st)).toThrow(/do not fit 3 features/);
  });
});
