import { describe, expect, it } from 'vitest';
import { argmaxRows, forward } from './forward';
import type { Activation, MlpWeights } from './mlp';

const f32 = (values: number[]) => Float32Array.from(values);

/** 2 inputs -> 2 ReLU units -> 3 softmax outputs, computed by hand below. */
const tiny: MlpWeights = {
  inputSize: 2,
  layers: [
    { weights: f32([1, -1, 2, 0.5]), bias: f32([0, 1]), activation: 'relu' },
    { weights: f32([1, 0, -1, 0, 1, 1]), bias: f32([0, 0, 0]), activation: 'softmax' },
  ],
};

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function expectClose(actual: Float32Array, expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

/** One layer of `n` units with identity weights, so the output is the activation of the input. */
function identity(n: number, activation: Activation): MlpWeights {
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) weights[i * n + i] = 1;
  return { inputSize: n, layers: [{ weights, bias: new Float32Array(n), activation }] };
}

describe('forward', () => {
  it('matches a hand-computed two-layer model', () => {
    // hidden = relu([1*1 + 2*2 + 0, 1*-1 + 2*0.5 + 1]) = [5, 1]; logits = [5, 1, -5 + 1] = [5, 1, -4]
    expectClose(forward(tiny, f32([1, 2]), 1), softmax([5, 1, -4]));
    // hidden = relu([-1 + 0, 1 + 0 + 1]) = [0, 2]; logits = [0, 2, 2]
    expectClose(forward(tiny, f32([-1, 0]), 1), softmax([0, 2, 2]));
  });

  it('applies preprocess as (x - offset) * scale before the first layer', () => {
    const model: MlpWeights = {
      ...tiny,
      preprocess: { offset: f32([1, 0]), scale: f32([0.5, 1]) },
    };
    // (3 - 1) * 0.5 = 1, (2 - 0) * 1 = 2: the same row as the first case above.
    expectClose(forward(model, f32([3, 2]), 1), softmax([5, 1, -4]));
  });

  it.each<[Activation, (v: number) => number]>([
    ['linear', (v) => v],
    ['relu', (v) => Math.max(0, v)],
    ['tanh', Math.tanh],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
  ])('computes %s element-wise', (activation, fn) => {
    const input = [-2, -0.5, 0, 0.75, 3];
    expectClose(forward(identity(5, activation), f32(input), 1), input.map(fn));
  });

  it('computes softmax per row, rows summing to 1', () => {
    const input = [-2, -0.5, 0, 0.75, 3, 1, 1, 1, 1, 1];
    const out = forward(identity(5, 'softmax'), f32(input), 2);
    expectClose(out.subarray(0, 5), softmax(input.slice(0, 5)));
    expectClose(out.subarray(5), [0.2, 0.2, 0.2, 0.2, 0.2]);
    for (let r = 0; r < 2; r++) {
      expect(out.subarray(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });

  it('keeps softmax finite for huge logits', () => {
    const out = forward(identity(3, 'softmax'), f32([1000, 0, -1000]), 1);
    expectClose(out, [1, 0, 0]);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('handles a batch exactly like row by row, and batch 0', () => {
    const rows = [
      [1, 2],
      [-1, 0],
      [0.3, -0.7],
    ];
    const batched = forward(tiny, f32(rows.flat()), 3);
    rows.forEach((row, r) => {
      expect(Array.from(batched.subarray(r * 3, r * 3 + 3))).toEqual(
        Array.from(forward(tiny, f32(row), 1)),
      );
    });
    expect(forward(tiny, new Float32Array(0), 0)).toEqual(new Float32Array(0));
  });

  it('throws on a wrong input length or batch', () => {
    expect(() => forward(tiny, f32([1, 2, 3]), 1)).toThrow(
      /Expected 1 x 2 = 2 input values, got 3/,
    );
    expect(() => forward(tiny, f32([1, 2]), 2)).toThrow(/input values/);
    expect(() => forward(tiny, f32([1, 2]), 0.5)).toThrow(/batch/);
  });

  it('throws when layer shapes do not chain', () => {
    const broken: MlpWeights = {
      ...tiny,
      layers: [tiny.layers[0], { ...tiny.layers[1], weights: f32([1, 2, 3]) }],
    };
    expect(() => forward(broken, f32([1, 2]), 1)).toThrow(
      /Layer 1 weights have 3 values; expected 2 x 3 = 6/,
    );
    const badPre: MlpWeights = { ...tiny, preprocess: { offset: f32([0]), scale: f32([1, 1]) } };
    expect(() => forward(badPre, f32([1, 2]), 1)).toThrow(/preprocess/);
  });
});

describe('argmaxRows', () => {
  it('returns the index of each row maximum, the first on ties', () => {
    const probs = f32([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1]);
    expect(Array.from(argmaxRows(probs, 3, 3))).toEqual([1, 0, 2]);
  });

  it('throws when the length does not match', () => {
    expect(() => argmaxRows(f32([0.1, 0.9]), 2, 2)).toThrow(/Expected 2 x 2/);
  });
});
