import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forward } from '../core/forward';
import { DEFAULT_HYPERPARAMETERS, type Hyperparameters } from '../core/mlp';
import { createRng } from '../core/rng';
import { buildMlp } from './train-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function batch(rows: number, features: number, nClasses: number) {
  const rng = createRng(11);
  const x = tf.tensor2d(
    Array.from({ length: rows * features }, () => rng.normal()),
    [rows, features],
  );
  const labels = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => i % nClasses),
    'int32',
  );
  const oneHot = tf.cast(tf.oneHot(labels, nClasses), 'float32') as tf.Tensor2D;
  return { x, labels, oneHot };
}

describe('buildMlp gradients', () => {
  it.each<[Hyperparameters['activation'], number[], number]>([
    ['relu', [6], 0.01],
    ['tanh', [5, 4], 0.1],
    ['sigmoid', [3, 3, 3], 0],
    ['relu', [], 0.5],
  ])('match tfjs autodiff of the loss (%s, hidden %j, l2 %d)', (activation, hidden, l2) => {
    const h: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, activation, hidden, l2 };
    const mlp = buildMlp(tf, 4, 3, h, createRng(3));
    const { x, labels, oneHot } = batch(9, 4, 3);
    const auto = tf.variableGrads(() => mlp.loss(x, oneHot), mlp.variables).grads;
    const mine = mlp.gradients(x, oneHot);
    expect(mine.map((g) => g.name).sort()).toEqual(Object.keys(auto).sort());
    for (const { name, tensor } of mine) {
      const diff = tf.max(tf.abs(tf.sub(tensor, auto[name]))).dataSync()[0];
      expect(diff, name).toBeLessThan(1e-6);
    }
    tf.dispose([x, labels, oneHot, ...Object.values(auto), ...mine.map((g) => g.tensor)]);
    mlp.dispose();
  });
});

describe('buildMlp weights', () => {
  it('reads weights that forward() evaluates like tfjs, and writes them back', async () => {
    const h: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, activation: 'tanh', hidden: [5] };
    const mlp = buildMlp(tf, 4, 3, h, createRng(4));
    const { x, labels, oneHot } = batch(6, 4, 3);
    const identity = { offset: new Float32Array(4), scale: new Float32Array(4).fill(1) };
    const weights = await mlp.read(identity);
    expect(weights.layers.map((l) => l.activation)).toEqual(['tanh', 'softmax']);
    const mine = forward(weights, x.dataSync() as Float32Array, 6);
    const theirs = await mlp.probabilities(x);
    mine.forEach((p, i) => expect(p).toBeCloseTo(theirs[i], 5));

    const other = buildMlp(tf, 4, 3, h, createRng(5));
    other.write(weights);
    expect(await other.probabilities(x)).toEqual(theirs);
    tf.dispose([x, labels, oneHot]);
    mlp.dispose();
    other.dispose();
  });

  it('starts from the same weights for the same rng seed', async () => {
    const h = { ...DEFAULT_HYPERPARAMETERS, hidden: [4] };
    const pre = { offset: new Float32Array(3), scale: new Float32Array(3).fill(1) };
    const [a, b, c] = [1, 1, 2].map((seed) => buildMlp(tf, 3, 2, h, createRng(seed)));
    const [wa, wb, wc] = await Promise.all([a, b, c].map((m) => m.read(pre)));
    expect(wb).toEqual(wa);
    expect(wc.layers[0].weights).not.toEqual(wa.layers[0].weights);
    expect(Array.from(wa.layers[0].bias)).toEqual([0, 0, 0, 0]);
    for (const m of [a, b, c]) m.dispose();
  });
});
