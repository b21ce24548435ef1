import { describe, expect, it } from 'vitest';
import { forward } from './forward';
import { decodeMlp, encodeMlp } from './mlp-codec';
import type { MlpWeights } from './mlp';

const model: MlpWeights = {
  inputSize: 3,
  preprocess: { offset: new Float32Array([1, 2, 3]), scale: new Float32Array([0.5, 0.25, 2]) },
  layers: [
    {
      weights: Float32Array.from({ length: 6 }, (_, i) => i / 7 - 0.3),
      bias: new Float32Array([0.1, -0.2]),
      activation: 'relu',
    },
    {
      weights: new Float32Array([1, -1, 0.5, 2, -0.25, 0.75]),
      bias: new Float32Array([0, 0.1, -0.1]),
      activation: 'softmax',
    },
  ],
};

describe('mlp codec', () => {
  it('round-trips every value exactly and predicts the same', () => {
    const back = decodeMlp(encodeMlp(model));
    expect(back.inputSize).toBe(3);
    expect(back.preprocess?.offset).toEqual(model.preprocess?.offset);
    expect(back.preprocess?.scale).toEqual(model.preprocess?.scale);
    expect(back.layers.map((l) => l.activation)).toEqual(['relu', 'softmax']);
    back.layers.forEach((l, i) => {
      expect(l.weights).toEqual(model.layers[i].weights);
      expect(l.bias).toEqual(model.layers[i].bias);
    });
    const x = new Float32Array([0.3, 4, -1, 2, 2, 2]);
    expect(forward(back, x, 2)).toEqual(forward(model, x, 2));
  });

  it('round-trips a model without preprocessing', () => {
    const { preprocess: _, ...bare } = model;
    expect(decodeMlp(encodeMlp(bare)).preprocess).toBeUndefined();
  });

  it('refuses inconsistent shapes and malformed bytes with a reason', () => {
    const bad = { ...model, layers: [{ ...model.layers[0], weights: new Float32Array(5) }] };
    expect(() => encodeMlp(bad)).toThrow(/expected 3×2/);
    const bytes = encodeMlp(model);
    expect(() => decodeMlp(bytes.slice(0, 2))).toThrow(/truncated/);
    expect(() => decodeMlp(bytes.slice(0, bytes.byteLength - 4))).toThrow(/truncated \(data\)/);
    const junk = new Uint8Array(bytes.slice(0));
    junk[5] = 0x7b;
    junk[6] = 0x7b;
    expect(() => decodeMlp(junk.buffer)).toThrow(/not valid JSON|not a Pocket MLOps/);
  });
});
