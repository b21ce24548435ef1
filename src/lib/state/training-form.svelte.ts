import type { DatasetId } from '../core/data';
import { DEFAULT_HYPERPARAMETERS, type Hyperparameters } from '../core/mlp';
import type { TrainBackend } from '../protocol/train';
import * as form from './train-form';

/** Everything a run needs from the form, as plain data (safe to post or store). */
export type TrainSettings = {
  datasetId: DatasetId;
  splitSeed: number;
  backend: TrainBackend;
  hyperparameters: Hyperparameters;
};

/**
 * The Train form: data set, split seed, backend and hyperparameters, with a reason for each
 * invalid field. `hyperparameters` is a reactive object: bind to its fields directly; hidden
 * layers are edited as text (`hiddenText`) and parsed.
 */
export class TrainingForm {
  #dataset = $state<DatasetId>('digits');
  #splitSeed = $state(0);
  #backend = $state<TrainBackend>('wasm');
  #hiddenText = $state(form.hiddenLayersText(DEFAULT_HYPERPARAMETERS.hidden));
  #hyperparameters = $state<Hyperparameters>(form.copyHyperparameters(DEFAULT_HYPERPARAMETERS));
  #hidden = $derived(form.parseHiddenLayers(this.#hiddenText));
  #errors = $derived(form.formErrors(this.#hyperparameters, this.#splitSeed, this.#hidden));

  get dataset(): DatasetId {
    return this.#dataset;
  }
  set dataset(value: DatasetId) {
    this.#dataset = value;
  }
  get splitSeed(): number {
    return this.#splitSeed;
  }
  set splitSeed(value: number) {
    this.#splitSeed = value;
  }
  get backend(): TrainBackend {
    return this.#backend;
  }
  set backend(value: TrainBackend) {
    this.#backend = value;
  }
  /** Hidden layer sizes as typed (`64`, `128, 64`, empty for none). */
  get hiddenText(): string {
    return this.#hiddenText;
  }
  set hiddenText(value: string) {
    this.#hiddenText = value;
    const parsed = form.parseHiddenLayers(value);
    if (parsed.ok) this.#hyperparameters.hidden = parsed.value;
  }
  get hyperparameters(): Hyperparameters {
    return this.#hyperparameters;
  }
  /** Problems keyed by field (`hidden`, `learningRate`, ..., `splitSeed`); empty when valid. */
  get errors(): Readonly<Record<string, string>> {
    return this.#errors;
  }
  get valid(): boolean {
    return Object.keys(this.#errors).length === 0;
  }

  /** The settings as plain data, or null while any field is invalid. */
  settings(): TrainSettings | null {
    if (!this.valid || !this.#hidden.ok) return null;
    return {
      datasetId: this.#dataset,
      splitSeed: this.#splitSeed,
      backend: this.#backend,
      hyperparameters: form.copyHyperparameters({
        ...this.#hyperparameters,
        hidden: this.#hidden.value,
      }),
    };
  }

  /** Back to the defaults (the data set stays as chosen). */
  reset(): void {
    this.#hyperparameters = form.copyHyperparameters(DEFAULT_HYPERPARAMETERS);
    this.#hiddenText = form.hiddenLayersText(DEFAULT_HYPERPARAMETERS.hidden);
    this.#splitSeed = 0;
    this.#backend = 'wasm';
  }
}
