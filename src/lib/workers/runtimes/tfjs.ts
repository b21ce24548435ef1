/**
 * tfjs runtimes: the MLP rebuilt from its weights with tfjs ops (matMul, add, activation; no
 * layers API) on a chosen backend. tfjs is injected (`loadTf`) so that tests run it on `cpu`;
 * the worker passes a lazy import, so tfjs is only fetched when a tfjs runtime is chosen.
 */
import type * as TfTypes from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { Activation, MlpWeights } from '../../core/mlp';
import {
  ownedCopy,
  type AdapterInfo,
  type AdapterOptions,
  type ModelSource,
  type RuntimeAdapter,
} from './adapter';

/** The part of the tfjs module used here. */
export type TfModule = Pick<
  typeof TfTypes,
  | 'env'
  | 'setBackend'
  | 'getBackend'
  | 'ready'
  | 'findBackendFactory'
  | 'tidy'
  | 'tensor1d'
  | 'tensor2d'
  | 'relu'
  | 'tanh'
  | 'sigmoid'
  | 'softmax'
>;
type Tensor1D = TfTypes.Tensor1D;
type Tensor2D = TfTypes.Tensor2D;

/** How long a backend may take to start before we give up on it, milliseconds. */
const BACKEND_START_TIMEOUT_MS = 10_000;

/** Registers and configures the wasm backend (same setup as the training worker). */
async function prepareWasm(tf: TfModule): Promise<void> {
  // Importing the backend registers it and its flags (setting an unregistered flag throws).
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  // Must precede setBackend: with cross-origin isolation it never resolves otherwise.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
}

/** Switches tfjs to `backend`; throws with a reason when it is missing or does not start. */
async function startBackend(tf: TfModule, backend: string): Promise<void> {
  if (backend === 'wasm') await prepareWasm(tf);
  if (!tf.findBackendFactory(backend)) {
    throw new Error(
      backend === 'webgpu'
        ? 'the tfjs WebGPU backend (@tensorflow/tfjs-backend-webgpu) is not installed'
        : `the tfjs ${backend} backend is not registered`,
    );
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), BACKEND_START_TIMEOUT_MS);
  });
  const started = await Promise.race([tf.setBackend(backend).catch(() => false), timeout]);
  clearTimeout(timer);
  if (!started || tf.getBackend() !== backend)
    throw new Error(`the tfjs ${backend} backend did not start`);
  await tf.ready();
}

function activate(tf: TfModule, h: Tensor2D, activation: Activation): Tensor2D {
  switch (activation) {
    case 'linear':
      return h;
    case 'relu':
      return tf.relu(h);
    case 'tanh':
      return tf.tanh(h);
    case 'sigmoid':
      return tf.sigmoid(h);
    case 'softmax':
      return tf.softmax(h);
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${String(unknown)}.`);
    }
  }
}

type TfLayer = { weights: Tensor2D; bias: Tensor1D; activation: Activation };

export class TfjsRuntime implements RuntimeAdapter {
  #tf: TfModule | null = null;
  #layers: TfLayer[] = [];
  #offset: Tensor1D | null = null;
  #scale: Tensor1D | null = null;
  #features = 0;

  /**
   * @param loadTf imports tfjs.
   * @param backend a tfjs backend name: `wasm`, `webgl`, `webgpu` (or `cpu`, used by tests).
   */
  constructor(
    readonly loadTf: () => Promise<TfModule>,
    readonly backend: string,
  ) {}

  async load(source: ModelSource, _options: AdapterOptions): Promise<AdapterInfo> {
    const tf = await this.loadTf();
    await startBackend(tf, this.backend);
    this.#upload(tf, source.model);
    return { threads: 1, details: { backend: tf.getBackend(), executionProvider: 'tfjs ops' } };
  }

  #upload(tf: TfModule, model: MlpWeights): void {
    let inSize = model.inputSize;
    this.#layers = model.layers.map((layer) => {
      const out = layer.bias.length;
      const weights = tf.tensor2d(layer.weights, [inSize, out]);
      inSize = out;
      return { weights, bias: tf.tensor1d(layer.bias), activation: layer.activation };
    });
    if (model.preprocess) {
      this.#offset = tf.tensor1d(model.preprocess.offset);
      this.#scale = tf.tensor1d(model.preprocess.scale);
    }
    this.#features = model.inputSize;
    this.#tf = tf;
  }

  async run(x: Float32Array, batch: number): Promise<Float32Array> {
    const tf = this.#tf;
    if (!tf) throw new Error('No model is loaded.');
    const output = tf.tidy(() => {
      let h = tf.tensor2d(x, [batch, this.#features]);
      if (this.#offset && this.#scale) h = h.sub(this.#offset).mul(this.#scale);
      for (const layer of this.#layers) {
        h = activate(tf, h.matMul(layer.weights).add(layer.bias), layer.activation);
      }
      return h;
    });
    try {
      const data = await output.data();
      if (!(data instanceof Float32Array)) throw new Error('tfjs returned a non-float32 output');
      return ownedCopy(data);
    } finally {
      output.dispose();
    }
  }

  async dispose(): Promise<void> {
    for (const layer of this.#layers) {
      layer.weights.dispose();
      layer.bias.dispose();
    }
    this.#offset?.dispose();
    this.#scale?.dispose();
    this.#layers = [];
    this.#offset = null;
    this.#scale = null;
    this.#tf = null;
  }
}

/** Imports tfjs (core with the cpu and webgl backends; wasm is added by {@link prepareWasm}). */
export function loadTfjs(): Promise<TfModule> {
  return import('@tensorflow/tfjs');
}
