/**
 * mlpToOnnx against the reference forward pass, in onnxruntime-web's Node build (the same
 * operator kernels as the browser's wasm build), on random models of several shapes.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  META,
  randomInput,
  randomModel,
  type ModelSpec,
} from '../../../../tests/fixtures/onnx/models';
import { forward } from '../forward';
import type { Activation } from '../mlp';
import { mlpToOnnx } from './export';
import { onnx } from './proto';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
});

const HIDDEN: number[][] = [[], [7], [6, 5], [8, 5, 4]];
const ACTIVATIONS: Activation[] = ['relu', 'tanh', 'sigmoid', 'linear', 'softmax'];

/** Every depth with every hidden activation, each output activation, with and without preprocess. */
function specs(): ModelSpec[] {
  const out: ModelSpec[] = [];
  let seed = 1;
  for (const hidden of HIDDEN) {
    for (const act of ACTIVATIONS) {
      const preprocess = seed % 2 === 0;
      const output: Activation = hidden.length === 0 ? act : 'softmax';
      const activations = [...hidden.map(() => act), output];
      out.push({ inputSize: 5, sizes: [...hidden, 3], activations, preprocess, seed: seed++ });
      out.push({
        inputSize: 4,
        sizes: [...hidden, 4],
        activations,
        preprocess: !preprocess,
        seed: seed++,
      });
    }
  }
  return out;
}

const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

describe('mlpToOnnx in onnxruntime-web', () => {
  it.each(
    specs().map((s) => [s.sizes.join('-'), s.activations.join(','), s.preprocess, s] as const),
  )(
    'layers %s, activations %s, preprocess %s: equals forward within 1e-5',
    async (_sizes, _acts, _pre, spec) => {
      const model = randomModel(spec);
      const bytes = mlpToOnnx(model, META);
      const session = await ort.InferenceSession.create(bytes);
      sessions.push(session);
      expect(session.inputNames).toEqual([META.inputName]);
      expect(session.outputNames).toEqual([META.outputName]);
      const nClasses = spec.sizes[spec.sizes.length - 1];
      for (const batch of [1, 7]) {
        const x = randomInput(spec.inputSize, batch, spec.seed * 100 + batch);
        const feeds = { [META.inputName]: new ort.Tensor('float32', x, [batch, spec.inputSize]) };
        const result = (await session.run(feeds))[META.outputName];
        expect(result.dims).toEqual([batch, nClasses]);
        const got = result.data as Float32Array;
        const want = forward(model, x, batch);
        let maxDiff = 0;
        for (let i = 0; i < want.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
        expect(maxDiff).toBeLessThanOrEqual(1e-5);
      }
    },
  );
});

describe('mlpToOnnx file layout', () => {
  const spec: ModelSpec = {
    inputSize: 3,
    sizes: [4, 2],
    activations: ['relu', 'softmax'],
    preprocess: true,
    seed: 9,
  };
  const bytes = mlpToOnnx(randomModel(spec), META);

  it('returns a plain Uint8Array that owns its buffer', () => {
    expect(bytes.constructor).toBe(Uint8Array);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('passes protobufjs verify and names nodes and tensors readably', () => {
    const m = onnx.ModelProto.decode(bytes);
    expect(onnx.ModelProto.verify(m)).toBeNull();
    const g = m.graph as onnx.IGraphProto;
    expect(g.node?.map((n) => n.name)).toEqual([
      'preprocess/Sub',
      'preprocess/Mul',
      'layer0/MatMul',
      'layer0/Add',
      'layer0/Relu',
      'layer1/MatMul',
      'layer1/Add',
      'layer1/Softmax',
    ]);
    expect(g.initializer?.map((t) => t.name)).toEqual([
      'preprocess.offset',
      'preprocess.scale',
      'layer0.weight',
      'layer0.bias',
      'layer1.weight',
      'layer1.bias',
    ]);
    expect(g.valueInfo?.map((v) => v.name)).toEqual([
      'preprocess/centered',
      'preprocess/scaled',
      'layer0/matmul',
      'layer0/linear',
      'layer0/relu',
      'layer1/matmul',
      'layer1/linear',
    ]);
  });

  it('is deterministic', () => {
    expect(mlpToOnnx(randomModel(spec), META)).toEqual(bytes);
  });

  it('refuses models whose shapes do not chain, and unusable names', () => {
    const model = randomModel(spec);
    const broken = { ...model, layers: [model.layers[1]] };
    expect(() => mlpToOnnx(broken, META)).toThrow(/Layer 0 weights hold 8 values, not 3 x 2/);
    expect(() => mlpToOnnx({ ...model, layers: [] }, META)).toThrow(/no layers/);
    expect(() => mlpToOnnx(model, { ...META, outputName: META.inputName })).toThrow(/different/);
    expect(() => mlpToOnnx(model, { ...META, inputName: 'layer0.weight' })).toThrow(/layerN/);
  });
});
