/**
 * The reference forward pass: plain loops over {@link MlpWeights}, no runtime. Every other
 * runtime (tfjs, onnxruntime-web) is checked against it, and it is the latency baseline.
 */
import type { Activation, MlpWeights } from './mlp';

/** Checks that the layer shapes chain together; returns the widest layer (units). */
function checkShapes(model: MlpWeights): number {
  let inSize = model.inputSize;
  let widest = inSize;
  if (!Number.isInteger(inSize) || inSize < 1)
    throw new Error(`inputSize must be a positive integer (got ${inSize}).`);
  if (model.layers.length === 0) throw new Error('The model has no layers.');
  if (model.preprocess) {
    const { offset, scale } = model.preprocess;
    if (offset.length !== inSize || scale.length !== inSize) {
      throw new Error(
        `preprocess offset/scale must have ${inSize} values (got ${offset.length}/${scale.length}).`,
      );
    }
  }
  model.layers.forEach((layer, k) => {
    const outSize = layer.bias.length;
    if (outSize < 1 || layer.weights.length !== inSize * outSize) {
      throw new Error(
        `Layer ${k} weights have ${layer.weights.length} values; expected ${inSize} x ${outSize} = ${inSize * outSize}.`,
      );
    }
    widest = Math.max(widest, outSize);
    inSize = outSize;
  });
  return widest;
}

/** Applies `activation` in place to `v[0..n)`. */
function activate(v: Float64Array, n: number, activation: Activation): void {
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let j = 0; j < n; j++) if (v[j] < 0) v[j] = 0;
      return;
    case 'tanh':
      for (let j = 0; j < n; j++) v[j] = Math.tanh(v[j]);
      return;
    case 'sigmoid':
      for (let j = 0; j < n; j++) v[j] = 1 / (1 + Math.exp(-v[j]));
      return;
    case 'softmax': {
      // Subtract the row maximum so that exp never overflows.
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (v[j] > max) max = v[j];
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = Math.exp(v[j] - max);
        v[j] = e;
        sum += e;
      }
      for (let j = 0; j < n; j++) v[j] /= sum;
      return;
    }
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${String(unknown)}.`);
    }
  }
}

/**
 * Runs the MLP on `batch` rows.
 *
 * @param model weights and optional preprocessing (`(x - offset) * scale`, applied first).
 * @param input row-major `[batch, model.inputSize]` features.
 * @param batch number of rows (0 is allowed and gives an empty output).
 * @returns row-major `[batch, nClasses]` outputs of the last layer (probabilities when the last
 *   activation is softmax). Accumulates in float64; allocates one output and two scratch rows.
 * @throws when `input.length !== batch * model.inputSize` or the layer shapes do not chain.
 */
export function forward(model: MlpWeights, input: Float32Array, batch: number): Float32Array {
  if (!Number.isInteger(batch) || batch < 0)
    throw new Error(`batch must be a non-negative integer (got ${batch}).`);
  const widest = checkShapes(model);
  const inputSize = model.inputSize;
  if (input.length !== batch * inputSize) {
    throw new Error(
      `Expected ${batch} x ${inputSize} = ${batch * inputSize} input values, got ${input.length}.`,
    );
  }
  const layers = model.layers;
  const nClasses = layers[layers.length - 1].bias.length;
  const output = new Float32Array(batch * nClasses);
  let a = new Float64Array(widest);
  let b = new Float64Array(widest);
  const offset = model.preprocess?.offset;
  const scale = model.preprocess?.scale;

  for (let r = 0; r < batch; r++) {
    const base = r * inputSize;
    if (offset && scale) {
      for (let i = 0; i < inputSize; i++) a[i] = (input[base + i] - offset[i]) * scale[i];
    } else {
      for (let i = 0; i < inputSize; i++) a[i] = input[base + i];
    }
    let inSize = inputSize;
    for (let k = 0; k < layers.length; k++) {
      const { weights, bias, activation } = layers[k];
      const outSize = bias.length;
      for (let j = 0; j < outSize; j++) b[j] = bias[j];
      for (let i = 0; i < inSize; i++) {
        const ai = a[i];
        if (ai === 0) continue; // common after ReLU, and on blank pixels
        const w = i * outSize;
        for (let j = 0; j < outSize; j++) b[j] += ai * weights[w + j];
      }
      activate(b, outSize, activation);
      const t = a;
      a = b;
      b = t;
      inSize = outSize;
    }
    const o = r * nClasses;
    for (let j = 0; j < nClasses; j++) output[o + j] = a[j];
  }
  return output;
}

/**
 * Index of the largest value in each row (the first one on ties): the predicted class.
 *
 * @param probs row-major `[batch, nClasses]`.
 * @returns length `batch`.
 */
export function argmaxRows(probs: Float32Array, batch: number, nClasses: number): Int32Array {
  if (probs.length !== batch * nClasses) {
    throw new Error(
      `Expected ${batch} x ${nClasses} = ${batch * nClasses} values, got ${probs.length}.`,
    );
  }
  if (batch > 0 && nClasses < 1) throw new Error('nClasses must be at least 1.');
  const out = new Int32Array(batch);
  for (let r = 0; r < batch; r++) {
    const base = r * nClasses;
    let best = 0;
    let bestValue = probs[base];
    for (let j = 1; j < nClasses; j++) {
      const v = probs[base + j];
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}
