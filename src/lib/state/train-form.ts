/**
 * Pure helpers behind the Train form: parsing the hidden-layer text, copying hyperparameters out
 * of reactive state, and turning validation results into messages keyed by form field.
 */
import { validateHyperparameters, type Hyperparameters } from '../core/mlp';

/** Largest seed either seed field accepts (the same bound as the initialisation seed). */
export const MAX_SEED = 2 ** 32 - 1;

/** The outcome of {@link parseHiddenLayers}. */
export type HiddenParse = { ok: true; value: number[] } | { ok: false; error: string };

/**
 * Reads hidden layer sizes typed as `64`, `128, 64` or `128 64`. Empty text means no hidden
 * layer (multinomial logistic regression). Sizes are checked for range by
 * `validateHyperparameters`; this only refuses text that is not a list of whole numbers.
 */
export function parseHiddenLayers(text: string): HiddenParse {
  const tokens = text
    .trim()
    .split(/[\s,;]+/)
    .filter((t) => t !== '');
  const value: number[] = [];
  for (const token of tokens) {
    if (!/^\d+$/.test(token)) {
      return {
        ok: false,
        error: `“${token}” is not a whole number of units: write sizes like 64 or 128, 64 (empty for no hidden layer).`,
      };
    }
    value.push(Number(token));
  }
  return { ok: true, value };
}

/** The text the form shows for layer sizes. */
export function hiddenLayersText(hidden: readonly number[]): string {
  return hidden.join(', ');
}

/**
 * A plain, deep copy of hyperparameters: safe to post to a worker or store in IndexedDB (a
 * reactive proxy is neither), and safe to edit without touching the source.
 */
export function copyHyperparameters(h: Readonly<Hyperparameters>): Hyperparameters {
  return {
    hidden: Array.from(h.hidden ?? [], Number),
    activation: h.activation,
    learningRate: h.learningRate,
    epochs: h.epochs,
    batchSize: h.batchSize,
    l2: h.l2,
    patience: h.patience,
    seed: h.seed,
  };
}

/** Names the form shows, for messages that start with the code name of a field. */
const FIELD_NAMES: Record<string, string> = {
  learningRate: 'Learning rate',
  batchSize: 'Batch size',
  epochs: 'Epochs',
  l2: 'L2',
  patience: 'Patience',
  seed: 'Initialisation seed',
  activation: 'Activation',
};

function friendly(field: string, message: string): string {
  const name = FIELD_NAMES[field];
  return name && message.startsWith(field) ? name + message.slice(field.length) : message;
}

/** A reason the split seed cannot be used, or null. */
export function splitSeedError(seed: unknown): string | null {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) return 'Split seed must be a number.';
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    return `Split seed must be a whole number from 0 to ${MAX_SEED}: the same seed always gives the same split (got ${seed}).`;
  }
  return null;
}

/**
 * Every problem with the form, keyed by field: the hyperparameter names of
 * `validateHyperparameters` (`hidden`, `learningRate`, ...) plus `splitSeed`. Empty when valid.
 */
export function formErrors(
  h: Readonly<Hyperparameters>,
  splitSeed: unknown,
  hidden: HiddenParse,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const checked = validateHyperparameters(hidden.ok ? { ...h, hidden: hidden.value } : h);
  if (!checked.ok) {
    for (const [field, message] of Object.entries(checked.errors)) {
      errors[field] = friendly(field, message);
    }
  }
  if (!hidden.ok) errors.hidden = hidden.error;
  const seed = splitSeedError(splitSeed);
  if (seed) errors.splitSeed = seed;
  return errors;
}
