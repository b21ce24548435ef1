import { describe, expect, it } from 'vitest';
import {
  compareOutputs,
  TOLERANCES,
  toleranceProblems,
  withinTolerance,
  type Agreement,
} from './agreement';

const f32 = (values: number[]) => Float32Array.from(values);

describe('compareOutputs', () => {
  it('reports identical outputs as full agreement', () => {
    const p = f32([0.1, 0.9, 0.6, 0.4]);
    expect(compareOutputs(p, p.slice(), 2)).toEqual({
      rows: 2,
      maxAbsDiff: 0,
      meanAbsDiff: 0,
      top1Agreement: 1,
    });
  });

  it('measures the max and mean absolute difference and top-1 agreement', () => {
    const ref = f32([0.1, 0.9, 0.6, 0.4, 0.2, 0.8, 0.5, 0.5]);
    const cand = f32([0.1, 0.9, 0.4, 0.6, 0.2, 0.8, 0.5, 0.5]);
    const result = compareOutputs(ref, cand, 2);
    expect(result.rows).toBe(4);
    expect(result.maxAbsDiff).toBeCloseTo(0.2, 6);
    expect(result.meanAbsDiff).toBeCloseTo(0.4 / 8, 6);
    // Row 1 flips; row 3 ties in both, first index wins in both.
    expect(result.top1Agreement).toBe(0.75);
  });

  it('counts NaN in the candidate as infinitely far and never agreeing', () => {
    const result = compareOutputs(f32([0.3, 0.7]), f32([NaN, NaN]), 2);
    expect(result.maxAbsDiff).toBe(Infinity);
    expect(result.top1Agreement).toBe(0);
    expect(withinTolerance(result, TOLERANCES.fp32)).toBe(false);
  });

  it('handles no rows and refuses mismatched shapes', () => {
    expect(compareOutputs(f32([]), f32([]), 3)).toEqual({
      rows: 0,
      maxAbsDiff: 0,
      meanAbsDiff: 0,
      top1Agreement: 1,
    });
    expect(() => compareOutputs(f32([1, 0]), f32([1]), 2)).toThrow(/differ in length/);
    expect(() => compareOutputs(f32([1, 0, 0]), f32([1, 0, 0]), 2)).toThrow(/rows of 2/);
    expect(() => compareOutputs(f32([]), f32([]), 0)).toThrow(/nClasses/);
  });
});

describe('tolerances', () => {
  const agreement = (maxAbsDiff: number, top1Agreement: number): Agreement => ({
    rows: 100,
    maxAbsDiff,
    meanAbsDiff: maxAbsDiff / 2,
    top1Agreement,
  });

  it('holds the contract values', () => {
    expect(TOLERANCES.fp32).toEqual({ maxAbsDiff: 1e-4, minTop1: 1 });
    expect(TOLERANCES.fp16).toEqual({ maxAbsDiff: 2e-3 });
    expect(TOLERANCES.int8).toEqual({ minTop1: 0.98 });
  });

  it('passes at the limits and fails beyond them, saying why', () => {
    expect(withinTolerance(agreement(1e-4, 1), TOLERANCES.fp32)).toBe(true);
    expect(toleranceProblems(agreement(2e-4, 1), TOLERANCES.fp32)).toEqual([
      'max |delta p| 2.00e-4 exceeds 0.0001',
    ]);
    expect(toleranceProblems(agreement(0, 0.99), TOLERANCES.fp32)).toEqual([
      'top-1 agreement 99.00% is below 100.00%',
    ]);
    expect(withinTolerance(agreement(2e-3, 0.5), TOLERANCES.fp16)).toBe(true);
    expect(withinTolerance(agreement(2.1e-3, 1), TOLERANCES.fp16)).toBe(false);
    expect(withinTolerance(agreement(0.3, 0.98), TOLERANCES.int8)).toBe(true);
    expect(withinTolerance(agreement(0, 0.97), TOLERANCES.int8)).toBe(false);
    expect(withinTolerance(agreement(NaN, 1), { maxAbsDiff: 1 })).toBe(false);
    expect(withinTolerance(agreement(5, 0), {})).toBe(true);
  });
});
