import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPERPARAMETERS,
  layerSizes,
  validateHyperparameters,
  type Hyperparameters,
} from './mlp';

const ok: Hyperparameters = {
  ...DEFAULT_HYPERPARAMETERS,
  hidden: [...DEFAULT_HYPERPARAMETERS.hidden],
};

/** Errors for one changed field (the rest are the defaults). */
function errorsFor(
  change: Partial<Record<keyof Hyperparameters, unknown>>,
): Record<string, string> {
  const result = validateHyperparameters({ ...ok, ...change } as Hyperparameters);
  return result.ok ? {} : result.errors;
}

describe('validateHyperparameters', () => {
  it('accepts the defaults and edge values', () => {
    expect(validateHyperparameters(ok)).toEqual({ ok: true });
    expect(validateHyperparameters({ ...ok, hidden: [] })).toEqual({ ok: true });
    expect(
      validateHyperparameters({ ...ok, hidden: Array(8).fill(1024), learningRate: 1, epochs: 500 }),
    ).toEqual({ ok: true });
    expect(validateHyperparameters({ ...ok, batchSize: 4096, l2: 0, patience: 0 })).toEqual({
      ok: true,
    });
    expect(
      validateHyperparameters({ ...ok, batchSize: 1, l2: 1, epochs: 1, activation: 'tanh' }),
    ).toEqual({ ok: true });
  });

  it.each<[string, Partial<Record<keyof Hyperparameters, unknown>>, string, RegExp]>([
    ['a zero-unit layer', { hidden: [64, 0] }, 'hidden', /layer 2 has 0 units/i],
    ['a negative layer', { hidden: [-3] }, 'hidden', /at least 1 unit/],
    ['a fractional layer', { hidden: [12.5] }, 'hidden', /whole number/],
    ['too many layers', { hidden: Array(9).fill(8) }, 'hidden', /At most 8 hidden layers/],
    ['a huge layer', { hidden: [2048] }, 'hidden', /between 1 and 1024/],
    ['a layer list that is not a list', { hidden: 64 }, 'hidden', /list of layer sizes/],
    ['an unknown activation', { activation: 'softmax' }, 'activation', /relu, tanh, sigmoid/],
    ['learning rate 0', { learningRate: 0 }, 'learningRate', /above 0/],
    ['a negative learning rate', { learningRate: -0.1 }, 'learningRate', /above 0/],
    ['learning rate above 1', { learningRate: 1.5 }, 'learningRate', /at most 1/],
    ['a NaN learning rate', { learningRate: Number.NaN }, 'learningRate', /must be a number/],
    ['0 epochs', { epochs: 0 }, 'epochs', /between 1 and 500/],
    ['too many epochs', { epochs: 501 }, 'epochs', /between 1 and 500/],
    ['fractional epochs', { epochs: 2.5 }, 'epochs', /whole number/],
    ['batch size 0', { batchSize: 0 }, 'batchSize', /between 1 and 4096/],
    ['a huge batch', { batchSize: 5000 }, 'batchSize', /between 1 and 4096/],
    ['a negative l2', { l2: -0.01 }, 'l2', /0 or more/],
    ['l2 above 1', { l2: 2 }, 'l2', /at most 1/],
    ['negative patience', { patience: -1 }, 'patience', /0 or more/],
    ['fractional patience', { patience: 1.5 }, 'patience', /whole number/],
    ['a fractional seed', { seed: 0.5 }, 'seed', /whole number/],
    ['a string for a number', { epochs: '10' }, 'epochs', /must be a number/],
  ])('refuses %s with a reason', (_name, change, field, reason) => {
    const errors = errorsFor(change);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(reason);
  });

  it('reports every problem at once', () => {
    const errors = errorsFor({
      hidden: [0],
      learningRate: 0,
      epochs: 0,
      batchSize: 0,
      l2: -1,
      patience: -1,
    });
    expect(Object.keys(errors).sort()).toEqual([
      'batchSize',
      'epochs',
      'hidden',
      'l2',
      'learningRate',
      'patience',
    ]);
  });
});

describe('DEFAULT_HYPERPARAMETERS', () => {
  it('is frozen, hidden sizes included', () => {
    expect(Object.isFrozen(DEFAULT_HYPERPARAMETERS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_HYPERPARAMETERS.hidden)).toBe(true);
  });
});

describe('layerSizes', () => {
  it('lists the output size of each layer', () => {
    const layer = (inp: number, out: number) => ({
      weights: new Float32Array(inp * out),
      bias: new Float32Array(out),
      activation: 'relu' as const,
    });
    expect(layerSizes({ inputSize: 4, layers: [layer(4, 3), layer(3, 2)] })).toEqual([3, 2]);
  });
});
