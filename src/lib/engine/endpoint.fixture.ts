/**
 * Test data for the Endpoint tests (imported by tests only): a seeded 4-6-3 classifier, its input
 * schema, an endpoint config for it, input rows, and a check of a prediction against `forward`.
 */
import { expect } from 'vitest';
import { forward } from '../core/forward';
import type { InputSchema } from '../core/input-schema';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import type { EndpointConfig, Prediction, PredictResult } from './endpoint';

const rng = createRng(42);
const rand = (n: number, s = 0.4) => Float32Array.from({ length: n }, () => rng.normal() * s);

/** A 4-feature, 3-class MLP with seeded random weights. */
export const model: MlpWeights = {
  inputSize: 4,
  layers: [
    { weights: rand(4 * 6), bias: rand(6), activation: 'relu' },
    { weights: rand(6 * 3), bias: rand(3), activation: 'softmax' },
  ],
  preprocess: { offset: rand(4), scale: Float32Array.from([1, 2, 0.5, 1]) },
};

/** The model's input schema: 4 features, each expected in [-5, 5]. */
export const schema: InputSchema = {
  features: 4,
  nClasses: 3,
  classNames: ['setosa', 'versicolor', 'virginica'],
  featureNames: ['a', 'b', 'c', 'd'],
  min: [-5, -5, -5, -5],
  max: [5, 5, 5, 5],
};

/** An endpoint config serving `model` as version 'digits-classifier@3' on `runtime`. */
export const config = (runtime: EndpointConfig['runtime'] = 'plain-ts'): EndpointConfig => ({
  runtime,
  onnx: mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} }),
  weights: encodeMlp(model),
  schema,
  versionId: 'digits-classifier@3',
});

/** A deterministic input row of 4 values in [-3, 3], different for each seed. */
export const row = (seed: number) =>
  Array.from({ length: 4 }, (_, i) => Math.sin(seed * 7 + i) * 3);

/** Expects `result` to be `model`'s prediction for `input` (probabilities to 6 places). */
export function expectPrediction(result: PredictResult, input: number[]): Prediction {
  expect(result.ok).toBe(true);
  const p = result as Prediction;
  const ref = forward(model, Float32Array.from(input), 1);
  p.probabilities.forEach((v, j) => expect(v).toBeCloseTo(ref[j], 6));
  expect(p.className).toBe(schema.classNames[p.predictedClass]);
  expect(p.versionId).toBe('digits-classifier@3');
  return p;
}
