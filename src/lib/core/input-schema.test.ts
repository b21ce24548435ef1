import { describe, expect, it } from 'vitest';
import { inputRanges, schemaProblem, validateRequest, type InputSchema } from './input-schema';

const schema: InputSchema = {
  features: 3,
  nClasses: 2,
  classNames: ['no', 'yes'],
  featureNames: ['a', 'b', 'c'],
  min: [0, -1, 10],
  max: [1, 1, 20],
};

describe('inputRanges', () => {
  const x = Float32Array.from([0, 5, 1, 2, -3, 2, 9, 9, 9]); // 3 rows x 3 features
  it('scans only the listed rows', () => {
    expect(inputRanges(x, 3, [0, 1])).toEqual({ min: [0, -3, 1], max: [2, 5, 2] });
    expect(inputRanges(x, 3, Int32Array.from([2]))).toEqual({ min: [9, 9, 9], max: [9, 9, 9] });
  });
  it('gives empty ranges for no rows and refuses bad indices', () => {
    expect(inputRanges(x, 3, [])).toEqual({
      min: [Infinity, Infinity, Infinity],
      max: [-Infinity, -Infinity, -Infinity],
    });
    expect(() => inputRanges(x, 3, [3])).toThrow(/Row index 3/);
    expect(() => inputRanges(x, 3, [0.5])).toThrow(/Row index 0.5/);
    expect(() => inputRanges(x, 0, [0])).toThrow(/features/);
  });
});

describe('schemaProblem', () => {
  it('accepts a consistent schema and names the first inconsistency', () => {
    expect(schemaProblem(schema)).toBeNull();
    expect(schemaProblem({ ...schema, classNames: ['x'] })).toMatch(/classNames has 1 names/);
    expect(schemaProblem({ ...schema, max: [1] })).toMatch(/max has 1 entries for 3/);
    expect(schemaProblem({ ...schema, features: 0 })).toMatch(/features/);
  });
});

describe('validateRequest', () => {
  it('accepts arrays and typed arrays, as a float32 copy', () => {
    const input = [0.5, 0, 15];
    const result = validateRequest(schema, input);
    expect(result).toEqual({ ok: true, x: Float32Array.from(input), outliers: [] });
    const typed = Float64Array.from(input);
    const fromTyped = validateRequest(schema, typed);
    expect(fromTyped.ok && fromTyped.x).toEqual(Float32Array.from(input));
    expect(fromTyped.ok && fromTyped.x.buffer).not.toBe(typed.buffer);
    expect(validateRequest(schema, Int8Array.from([1, 0, 12])).ok).toBe(true);
  });

  it('flags values outside the training range without refusing them', () => {
    const result = validateRequest(schema, [-0.1, 1, 25]);
    expect(result).toMatchObject({ ok: true, outliers: [0, 2] });
    // Bounds are inclusive.
    expect(validateRequest(schema, [0, -1, 20])).toMatchObject({ ok: true, outliers: [] });
  });

  it.each<[unknown, RegExp]>([
    ['0.5,0,15', /expected an array of 3 numbers, got a string/],
    [{ 0: 1, 1: 2, 2: 3, length: 3 }, /got an object/],
    [null, /got null/],
    [undefined, /got an undefined/],
    [new DataView(new ArrayBuffer(12)), /got an object/],
    [[1, 2], /^expected 3 values, got 2$/],
    [[1, 2, 3, 4], /^expected 3 values, got 4$/],
    [[1, '2', 3], /^value 1 is a string, not a number$/],
    [[1, 2, null], /^value 2 is null/],
    [[true, 2, 3], /^value 0 is a boolean/],
    [[1, [2], 3], /^value 1 is an array/],
    [[1, NaN, 3], /^value 1 is NaN$/],
    [[1, 2, Infinity], /^value 2 is \+Infinity$/],
    [Float32Array.from([-Infinity, 0, 0]), /^value 0 is -Infinity$/],
    [[1, 1e300, 3], /^value 1 \(1e\+300\) is too large for float32$/],
  ])('refuses %j with a reason', (input, reason) => {
    const result = validateRequest(schema, input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('names the index in a 64-feature request', () => {
    const wide: InputSchema = {
      features: 64,
      nClasses: 10,
      classNames: [...'0123456789'],
      featureNames: Array.from({ length: 64 }, (_, i) => `px${i}`),
      min: new Array(64).fill(0),
      max: new Array(64).fill(16),
    };
    expect(validateRequest(wide, new Array(63).fill(0))).toEqual({
      ok: false,
      reason: 'expected 64 values, got 63',
    });
    const row: unknown[] = new Array(64).fill(1);
    row[5] = 'x';
    expect(validateRequest(wide, row)).toEqual({
      ok: false,
      reason: 'value 5 is a string, not a number',
    });
  });
});
