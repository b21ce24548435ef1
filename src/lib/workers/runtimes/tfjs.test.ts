/** The tfjs adapter on tfjs's cpu backend (the browser backends are checked in Chromium). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { forward } from '../../core/forward';
import type { Activation, MlpWeights } from '../../core/mlp';
import { createRng } from '../../core/rng';
import { TfjsRuntime, type TfModule } from './tfjs';

const loadTf = async (): Promise<TfModule> => tf;

function model(seed: number, sizes: number[], hidden: Activation): MlpWeights {
  const rng = createRng(seed);
  const rand = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  return {
    inputSize: sizes[0],
    layers: sizes.slice(1).map((out, k) => ({
      weights: rand(sizes[k] * out, 0.5),
      bias: rand(out, 0.1),
      activation: (k === sizes.length - 2 ? 'softmax' : hidden) as Activation,
    })),
    preprocess: {
      offset: rand(sizes[0], 1),
      scale: Float32Array.from(rand(sizes[0], 1), (v) => 0.5 + Math.abs(v)),
    },
  };
}

describe('TfjsRuntime', () => {
  it.each<Activation>(['relu', 'tanh', 'sigmoid', 'linear'])(
    'equals forward within 1e-5 with %s hidden units',
    async (activation) => {
      const m = model(activation.length, [10, 8, 4], activation);
      const runtime = new TfjsRuntime(loadTf, 'cpu');
      const info = await runtime.load({ onnx: new Uint8Array(0), model: m }, { threads: 1 });
      expect(info).toEqual({
        threads: 1,
        details: { backend: 'cpu', executionProvider: 'tfjs ops' },
      });
      const rng = createRng(9);
      const x = Float32Array.from({ length: 7 * 10 }, () => rng.normal());
      const out = await runtime.run(x, 7);
      const ref = forward(m, x, 7);
      expect(out.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(out[i] - ref[i])).toBeLessThan(1e-5);
      const before = tf.memory().numTensors;
      await runtime.run(x, 7);
      expect(tf.memory().numTensors).toBe(before); // nothing leaks per call
      await runtime.dispose();
      expect(tf.memory().numTensors).toBe(before - 6); // 2 layers x (W, b) + offset + scale
    },
  );

  it('refuses a backend that is not installed, saying which package', async () => {
    const runtime = new TfjsRuntime(loadTf, 'webgpu');
    await expect(
      runtime.load({ onnx: new Uint8Array(0), model: model(1, [2, 2], 'relu') }, { threads: 1 }),
    ).rejects.toThrow(/@tensorflow\/tfjs-backend-webgpu\) is not installed/);
  });
});
