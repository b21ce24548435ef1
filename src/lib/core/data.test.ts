import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/data/data.json';
import { DIGITS_ROWS, parseBreastCancerCsv, parseDigitsCsv, type Dataset } from './data';

const root = new URL('../../../', import.meta.url);
const digitsText = gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString(
  'utf8',
);
const cancerText = readFileSync(new URL('public/data/breast_cancer.csv', root), 'utf8');

type Summary = (typeof fixture)['digits'];

/** Compares a parsed data set with the scikit-learn summary written by gen_data.py. */
function expectMatchesSklearn(ds: Dataset, ref: Summary): void {
  expect(ds.rows).toBe(ref.rows);
  expect(ds.features).toBe(ref.features);
  expect(ds.nClasses).toBe(ref.nClasses);
  expect(ds.classNames).toEqual(ref.classNames);
  expect(ds.featureNames).toEqual(ref.featureNames);
  expect(ds.x.length).toBe(ds.rows * ds.features);
  expect(ds.y.length).toBe(ds.rows);
  const counts = new Array<number>(ds.nClasses).fill(0);
  const classSums = new Array<number>(ds.nClasses).fill(0);
  const featureSums = new Array<number>(ds.features).fill(0);
  for (let r = 0; r < ds.rows; r++) {
    counts[ds.y[r]]++;
    for (let c = 0; c < ds.features; c++) {
      classSums[ds.y[r]] += ds.x[r * ds.features + c];
      featureSums[c] += ds.x[r * ds.features + c];
    }
  }
  expect(counts).toEqual(ref.classCounts);
  // Summation order differs from numpy's pairwise sum: allow rounding, nothing more.
  classSums.forEach((s, k) => expect(s).toBeCloseTo(ref.classFeatureSums[k], 6));
  featureSums.forEach((s, c) => expect(s).toBeCloseTo(ref.featureSums[c], 6));
  expect(Array.from(ds.x.subarray(0, ds.features))).toEqual(ref.firstRow);
  expect(ds.y[ds.rows - 1]).toBe(ref.lastLabel);
}

describe('parseDigitsCsv', () => {
  it('parses the shipped file exactly as scikit-learn loads it', () => {
    const ds = parseDigitsCsv(digitsText, { expectedRows: DIGITS_ROWS });
    expect(ds.id).toBe('digits');
    expect(ds.rows).toBe(1797);
    expect(ds.featureNames[0]).toBe('px_r0c0');
    expect(ds.featureNames[63]).toBe('px_r7c7');
    expectMatchesSklearn(ds, fixture.digits);
  });

  it('accepts CRLF line endings and a missing final newline', () => {
    const lines = digitsText.trim().split('\n').slice(0, 3);
    const ds = parseDigitsCsv(lines.join('\r\n'));
    expect(ds.rows).toBe(3);
    expect(Array.from(ds.y)).toEqual([0, 1, 2]);
  });

  it('rejects bad input with the line number and the problem', () => {
    const lines = digitsText.trim().split('\n').slice(0, 4);
    const truncated = [...lines.slice(0, 3), lines[3].slice(0, 20)].join('\n');
    expect(() => parseDigitsCsv(truncated)).toThrow(/line 4: expected 65 columns .* found \d+/);
    expect(() => parseDigitsCsv('')).toThrow(/empty/);
    expect(() => parseDigitsCsv('\n \n')).toThrow(/empty/);
    expect(() => parseDigitsCsv('hello world')).toThrow(/line 1: expected 65 columns/);
    const text = lines[1].replace(/^0,/, 'abc,');
    expect(() => parseDigitsCsv([lines[0], text].join('\n'))).toThrow(
      /line 2, column 1: 'abc' is not a number/,
    );
    const empty = lines[0].replace(/^0,/, ',');
    expect(() => parseDigitsCsv(empty)).toThrow(/line 1, column 1: '' is not a number/);
    const bigPixel = lines[0].replace(/^0,/, '17,');
    expect(() => parseDigitsCsv(bigPixel)).toThrow(/line 1, column 1: pixel value 17/);
    const badLabel = lines[0].replace(/,0$/, ',10');
    expect(() => parseDigitsCsv(badLabel)).toThrow(/line 1: label 10 is out of range/);
    const fracLabel = lines[0].replace(/,0$/, ',1.5');
    expect(() => parseDigitsCsv(fracLabel)).toThrow(/line 1: label 1.5 is out of range/);
    expect(() => parseDigitsCsv(lines.join('\n'), { expectedRows: DIGITS_ROWS })).toThrow(
      /expected 1797 rows, found 4/,
    );
    const blankInside = [lines[0], '', lines[1]].join('\n');
    expect(() => parseDigitsCsv(blankInside)).toThrow(/line 2: expected 65 columns/);
  });
});

describe('parseBreastCancerCsv', () => {
  it('parses the shipped file exactly as scikit-learn loads it', () => {
    const ds = parseBreastCancerCsv(cancerText);
    expect(ds.id).toBe('breast_cancer');
    expect(ds.classNames).toEqual(['malignant', 'benign']);
    expect(ds.featureNames[0]).toBe('mean radius');
    expect(ds.featureNames[29]).toBe('worst fractal dimension');
    expectMatchesSklearn(ds, fixture.breast_cancer);
  });

  it('rejects bad input with the line number and the problem', () => {
    const lines = cancerText.trim().split('\n');
    expect(() => parseBreastCancerCsv('')).toThrow(/empty/);
    expect(() => parseBreastCancerCsv('not,a,header')).toThrow(/line 1: expected a header/);
    expect(() => parseBreastCancerCsv(lines[0])).toThrow(/line 2: no data rows/);
    expect(() => parseBreastCancerCsv(lines.slice(0, -1).join('\n'))).toThrow(
      /line 1: the header declares 569 rows, found 568/,
    );
    const cut = [...lines.slice(0, 10), lines[10].slice(0, 40)];
    const header = `9,30,malignant,benign`;
    expect(() => parseBreastCancerCsv([header, ...cut.slice(2)].join('\n'))).toThrow(
      /line 10: expected 31 columns/,
    );
    const nan = lines[5].replace(/^[^,]*,/, 'NaN,');
    expect(() => parseBreastCancerCsv(['1,30,m,b', nan].join('\n'))).toThrow(
      /line 2, column 1: 'NaN' is not a number/,
    );
    const label2 = lines[5].replace(/,[01]$/, ',2');
    expect(() => parseBreastCancerCsv(['1,30,m,b', label2].join('\n'))).toThrow(
      /line 2: label 2 is out of range \(expected an integer 0..1\)/,
    );
  });
});
