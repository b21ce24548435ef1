/**
 * The onnxruntime-web adapter against Node's onnxruntime-web build (the bare import works in Node
 * without wasmPaths; the browser's `onnxruntime-web/wasm` does not), on models from `mlpToOnnx`.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { forward } from '../../core/forward';
import type { Activation, MlpWeights } from '../../core/mlp';
import { mlpToOnnx } from '../../core/onnx/export';
import { createRng, type Rng } from '../../core/rng';
import { OrtRuntime, type OrtContext, type OrtModule } from './ort';

const NODE: OrtContext = { crossOriginIsolated: false, hardwareConcurrency: 2 };
const nodeOrt = async (): Promise<OrtModule> => ort;

function randomModel(rng: Rng, sizes: number[], hidden: Activation, pre: boolean): MlpWeights {
  const rand = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.normal() * s);
  const layers = sizes.slice(1).map((out, k) => ({
    weights: rand(sizes[k] * out, 1 / Math.sqrt(sizes[k])),
    bias: rand(out, 0.1),
    activation: (k === sizes.length - 2 ? 'softmax' : hidden) as Activation,
  }));
  const n = sizes[0];
  return {
    inputSize: n,
    layers,
    ...(pre
      ? {
          preprocess: {
            offset: rand(n, 1),
            scale: Float32Array.from(rand(n, 0.5), (v) => 1 + Math.abs(v)),
          },
        }
      : {}),
  };
}

const meta = { inputName: 'x', outputName: 'probabilities', properties: {} };

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('OrtRuntime (wasm provider, Node build)', () => {
  it.each<[number[], Activation, boolean]>([
    [[4, 3], 'linear', false],
    [[64, 32, 10], 'relu', true],
    [[30, 16, 8, 2], 'tanh', true],
    [[8, 5, 3], 'sigmoid', false],
    [[12, 7, 7, 4], 'linear', true],
  ])('equals forward within 1e-5 on a random %j %s model', async (sizes, activation, pre) => {
    const rng = createRng(sizes.reduce((a, b) => a * 31 + b, 7));
    const model = randomModel(rng, sizes, activation, pre);
    const runtime = new OrtRuntime(nodeOrt, 'wasm', NODE);
    const info = await runtime.load({ onnx: mlpToOnnx(model, meta), model }, { threads: 1 });
    expect(info).toEqual({ threads: 1, details: { executionProvider: 'wasm' } });
    for (const batch of [1, 5, 64]) {
      const x = Float32Array.from({ length: batch * sizes[0] }, () => rng.normal() * 2);
      const out = await runtime.run(x, batch);
      expect(out.byteOffset).toBe(0);
      expect(out.buffer.byteLength).toBe(out.byteLength); // transferable as is
      expect(maxDiff(out, forward(model, x, batch))).toBeLessThanOrEqual(1e-5);
    }
    await runtime.dispose();
    await runtime.dispose(); // twice is fine
    await expect(runtime.run(new Float32Array(sizes[0]), 1)).rejects.toThrow(/No model/);
  });

  it('refuses a file that is not ONNX with the runtime message', async () => {
    const model = randomModel(createRng(3), [4, 2], 'relu', false);
    const runtime = new OrtRuntime(nodeOrt, 'wasm', NODE);
    await expect(
      runtime.load({ onnx: Uint8Array.from([1, 2, 3, 4]), model }, { threads: 1 }),
    ).rejects.toThrow(/./);
  });
});

/** A stand-in ORT module that records how it was configured and can fail session creation. */
function fakeOrt(createError?: Error) {
  const env = { wasm: {} as { numThreads?: number; proxy?: boolean }, logLevel: 'warning' };
  const module = {
    env,
    Tensor: ort.Tensor,
    InferenceSession: {
      create: async () => {
        if (createError) throw createError;
        return { inputNames: ['x'], outputNames: ['y'], release: async () => undefined };
      },
    },
  };
  return { env, module: module as unknown as OrtModule };
}

const tinySource = () => {
  const model = randomModel(createRng(1), [2, 2], 'relu', false);
  return { onnx: new Uint8Array(1), model };
};

describe('OrtRuntime threads and fallbacks', () => {
  it('uses the threads asked for only when cross-origin isolated, and says why not', async () => {
    const notIsolated = fakeOrt();
    const a = new OrtRuntime(async () => notIsolated.module, 'wasm', NODE);
    const info = await a.load(tinySource(), { threads: 4 });
    expect(notIsolated.env.wasm.numThreads).toBe(1);
    expect(info.threads).toBe(1);
    expect(info.details.threads).toMatch(/asked for 4; wasm threads need a cross-origin isolated/);

    const isolated = fakeOrt();
    const context = { crossOriginIsolated: true, hardwareConcurrency: 4 };
    const b = new OrtRuntime(async () => isolated.module, 'wasm', context);
    expect((await b.load(tinySource(), { threads: 2 })).threads).toBe(2);
    expect(isolated.env.wasm).toEqual({ numThreads: 2, proxy: false });
  });

  it('caps threads at the core count, and keeps the count a module started with', async () => {
    const fake = fakeOrt();
    const context = { crossOriginIsolated: true, hardwareConcurrency: 2 };
    const first = await new OrtRuntime(async () => fake.module, 'wasm', context).load(
      tinySource(),
      {
        threads: 8,
      },
    );
    expect(first.threads).toBe(2);
    expect(first.details.threads).toMatch(/asked for 8; this device has 2 logical cores/);
    const again = await new OrtRuntime(async () => fake.module, 'wasm', context).load(
      tinySource(),
      {
        threads: 1,
      },
    );
    expect(again.threads).toBe(2);
    expect(again.details.threads).toMatch(/fixes the thread count when it first starts/);
  });

  it('fails WebGPU without navigator.gpu or an adapter, before downloading the module', async () => {
    let imported = 0;
    const load = async () => {
      imported++;
      return fakeOrt().module;
    };
    await expect(
      new OrtRuntime(load, 'webgpu', NODE).load(tinySource(), { threads: 1 }),
    ).rejects.toThrow(/no WebGPU \(navigator.gpu is missing\)/);
    const noAdapter = { ...NODE, gpu: { requestAdapter: async () => null } };
    await expect(
      new OrtRuntime(load, 'webgpu', noAdapter).load(tinySource(), { threads: 1 }),
    ).rejects.toThrow(/no WebGPU adapter/);
    expect(imported).toBe(0);
  });

  it('reports the WebGPU adapter it found', async () => {
    const gpu = {
      requestAdapter: async () => ({
        info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
      }),
    };
    const runtime = new OrtRuntime(
      async () => fakeOrt().module,
      'webgpu',
      { ...NODE, gpu },
      'jsep',
    );
    const info = await runtime.load(tinySource(), { threads: 1 });
    expect(info.details).toEqual({
      adapter: 'google swiftshader',
      isFallbackAdapter: 'true',
      executionProvider: 'webgpu',
      build: 'jsep',
    });
  });

  it('names the CSP when a build needs eval', async () => {
    const blocked = new Error(
      "Evaluating a string as JavaScript violates the following Content Security Policy directive because 'unsafe-eval' is not an allowed source of script",
    );
    blocked.name = 'EvalError';
    const runtime = new OrtRuntime(async () => fakeOrt(blocked).module, 'wasm', NODE);
    await expect(runtime.load(tinySource(), { threads: 1 })).rejects.toThrow(
      /needs eval\/new Function, which our CSP forbids/,
    );
  });
});
