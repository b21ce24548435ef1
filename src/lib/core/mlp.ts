/**
 * The multilayer perceptron (MLP) as plain data: weights that any runtime can read, and the
 * hyperparameters a learner picks before training. Pure TypeScript: no tfjs, no DOM.
 */

/** Activation function applied after a dense layer. `softmax` acts on a whole row. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'linear';

/** One dense layer: `output = activation(input · weights + bias)`. */
export type DenseLayer = {
  /** Row-major `[in, out]`: the weight from input `i` to output `j` is at `i * out + j`. */
  weights: Float32Array;
  /** Length `out`. */
  bias: Float32Array;
  activation: Activation;
};

/**
 * A trained MLP. The input size of layer `k` is the output size of layer `k - 1` (or `inputSize`
 * for the first); the last layer's output size is the number of classes.
 */
export type MlpWeights = {
  /** Number of input features per row. */
  inputSize: number;
  layers: DenseLayer[];
  /**
   * Feature standardization fitted on the training split, applied to each row before the first
   * layer as `(x - offset) * scale` (both of length `inputSize`).
   */
  preprocess?: { offset: Float32Array; scale: Float32Array };
};

/** Activations a learner may pick for the hidden layers (the output layer is always softmax). */
export type HiddenActivation = 'relu' | 'tanh' | 'sigmoid';

/** What a learner chooses before training. */
export type Hyperparameters = {
  /** Units per hidden layer, input side first; `[]` is multinomial logistic regression. */
  hidden: number[];
  activation: HiddenActivation;
  /** Adam step size (dimensionless), in (0, 1]. */
  learningRate: number;
  /** Upper bound on full passes over the training split. */
  epochs: number;
  /** Rows per gradient step. */
  batchSize: number;
  /** L2 penalty coefficient on the kernels (not the biases), in [0, 1]. */
  l2: number;
  /** Early stopping: epochs without validation-loss improvement before stopping; 0 = off. */
  patience: number;
  /** Seed for weight initialization and the per-epoch shuffle (an integer). */
  seed: number;
};

const DEFAULT_HIDDEN = [64];
Object.freeze(DEFAULT_HIDDEN); // frozen deeply: copy (`[...hidden]`) before editing

/**
 * Defaults for digits: one hidden layer of 64 ReLU units, Adam at 0.01, batches of 64 rows, L2
 * 0.001, up to 30 epochs with patience 5 (inputs are standardized by the trainer). Measured on the
 * 70/10/20 split with split seed 0: init seeds 0-7 score 96.4-98.1% test accuracy, 97.3% on
 * average (one of the 359 test rows is 0.28%); early stopping ends runs after 16-24 epochs, about
 * 0.5 s warm and under 1.3 s from a cold worker with tfjs's wasm backend in headless Chromium on
 * 2 cores (the cpu backend takes about 2.5 s).
 */
export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze({
  hidden: DEFAULT_HIDDEN,
  activation: 'relu',
  learningRate: 0.01,
  epochs: 30,
  batchSize: 64,
  l2: 0.001,
  patience: 5,
  seed: 0,
});

/** Limits checked by {@link validateHyperparameters}. */
export const HYPERPARAMETER_LIMITS = Object.freeze({
  maxLayers: 8,
  maxUnits: 1024,
  maxEpochs: 500,
  maxBatchSize: 4096,
});

/** The result of {@link validateHyperparameters}: `errors` maps a field name to a reason. */
export type HyperparameterValidation = { ok: true } | { ok: false; errors: Record<string, string> };

const ACTIVATIONS: readonly string[] = ['relu', 'tanh', 'sigmoid'];

function checkInteger(
  value: unknown,
  name: string,
  min: number,
  max: number,
  why: string,
): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number.`;
  if (!Number.isInteger(value)) return `${name} must be a whole number (got ${value}).`;
  if (value < min || value > max) {
    const range = max === Infinity ? `${min} or more` : `between ${min} and ${max}`;
    return `${name} must be ${range}: ${why} (got ${value}).`;
  }
  return null;
}

/**
 * Checks hyperparameters before training and explains each problem in words a learner can act
 * on. Robust to values of the wrong type at run time (a form field, a file), so it never throws.
 */
export function validateHyperparameters(h: Hyperparameters): HyperparameterValidation {
  const errors: Record<string, string> = {};
  const { maxLayers, maxUnits, maxEpochs, maxBatchSize } = HYPERPARAMETER_LIMITS;

  if (!Array.isArray(h.hidden)) {
    errors.hidden = 'hidden must be a list of layer sizes, such as [64] or [128, 64].';
  } else if (h.hidden.length > maxLayers) {
    errors.hidden = `At most ${maxLayers} hidden layers: deeper plain MLPs train slowly and rarely help on small tabular data (got ${h.hidden.length}).`;
  } else {
    for (let i = 0; i < h.hidden.length; i++) {
      const size = h.hidden[i];
      const problem =
        typeof size === 'number' && Number.isInteger(size) && size < 1
          ? `Hidden layer ${i + 1} has ${size} units: a layer needs at least 1 unit to pass anything on.`
          : checkInteger(
              size,
              `Hidden layer ${i + 1} size`,
              1,
              maxUnits,
              'larger layers would be slow and overfit this data',
            );
      if (problem) {
        errors.hidden = problem;
        break;
      }
    }
  }

  if (!ACTIVATIONS.includes(h.activation)) {
    errors.activation = `activation must be one of ${ACTIVATIONS.join(', ')} (got ${String(h.activation)}).`;
  }

  const lr = h.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    errors.learningRate = 'learningRate must be a number.';
  } else if (lr <= 0) {
    errors.learningRate = `learningRate must be above 0: a step of ${lr} never moves the weights (or moves them uphill).`;
  } else if (lr > 1) {
    errors.learningRate = `learningRate must be at most 1: larger steps overshoot and the loss blows up (got ${lr}).`;
  }

  const epochs = checkInteger(
    h.epochs,
    'epochs',
    1,
    maxEpochs,
    'each epoch is one pass over the training rows',
  );
  if (epochs) errors.epochs = epochs;
  const batch = checkInteger(h.batchSize, 'batchSize', 1, maxBatchSize, 'rows per gradient step');
  if (batch) errors.batchSize = batch;

  const l2 = h.l2;
  if (typeof l2 !== 'number' || !Number.isFinite(l2)) {
    errors.l2 = 'l2 must be a number.';
  } else if (l2 < 0) {
    errors.l2 = `l2 must be 0 or more: a negative penalty rewards huge weights (got ${l2}).`;
  } else if (l2 > 1) {
    errors.l2 = `l2 must be at most 1: a stronger penalty pushes every weight to zero (got ${l2}).`;
  }

  const patience = checkInteger(
    h.patience,
    'patience',
    0,
    Infinity,
    'epochs to wait for a better validation loss; 0 turns early stopping off',
  );
  if (patience) errors.patience = patience;
  const seed = checkInteger(
    h.seed,
    'seed',
    0,
    2 ** 32 - 1,
    'any whole number from 0 works; the same seed gives the same run',
  );
  if (seed) errors.seed = seed;

  return Object.keys(errors).length === 0 ? { ok: true } : { ok: false, errors };
}

/** Output size of each layer, input side first (the last one is the number of classes). */
export function layerSizes(model: MlpWeights): number[] {
  return model.layers.map((layer) => layer.bias.length);
}
