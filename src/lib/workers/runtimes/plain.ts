/** The reference runtime: the plain TypeScript forward pass of core/forward.ts. */
import { forward } from '../../core/forward';
import type { MlpWeights } from '../../core/mlp';
import type { AdapterInfo, ModelSource, RuntimeAdapter } from './adapter';

export class PlainRuntime implements RuntimeAdapter {
  #model: MlpWeights | null = null;

  async load(source: ModelSource): Promise<AdapterInfo> {
    forward(source.model, new Float32Array(source.model.inputSize), 1); // checks the shapes
    this.#model = source.model;
    return {
      threads: 1,
      details: { executionProvider: 'plain TypeScript loops (float64 accumulation)' },
    };
  }

  async run(x: Float32Array, batch: number): Promise<Float32Array> {
    if (!this.#model) throw new Error('No model is loaded.');
    return forward(this.#model, x, batch);
  }

  async dispose(): Promise<void> {
    this.#model = null;
  }
}
