/**
 * Test support (imported by tests only): the real serving worker module (serve.worker.ts) run in
 * this thread behind a `ServeWorkerLike`, as endpoint.test.ts does, plus what a browser does
 * that a plain import does not: an exception thrown out of the worker's message handler becomes
 * an `error` event at the page's Worker object (that is how an injected crash is seen), and a
 * terminated worker's late replies are dropped (message ids are tagged per worker, because the
 * in-thread module outlives every "worker" made here).
 */
import type { InputSchema } from '../core/input-schema';
import type { MlpWeights } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import { mlpToOnnx } from '../core/onnx/export';
import { createRng } from '../core/rng';
import type { ServeWorkerRequest } from '../protocol/serve';
import type { EndpointConfig } from './endpoint-types';
import type { ServeWorkerLike } from './serve-client';

type Listener = (event: MessageEvent<unknown>) => void;
type ErrorListener = (event: Event) => void;
type Page = { alive: boolean; message: Listener[]; error: ErrorListener[] };

let toWorker: Listener | null = null;
const pages = new Map<number, Page>();
let made = 0;

/** Stands in for the worker global scope; call before importing serve.worker.ts. */
export const workerScope = {
  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') toWorker = listener;
  },
  postMessage(message: { id: string }, transfer: Transferable[] = []): void {
    const [tag, ...rest] = message.id.split(':');
    const page = pages.get(Number(tag.slice(1)));
    const data = structuredClone({ ...message, id: rest.join(':') }, { transfer });
    setTimeout(() => page?.alive && page.message.forEach((l) => l({ data } as MessageEvent)), 0);
  },
};

/** A new "worker" whose other end is the in-thread serving worker module. */
export function inThreadWorker(sent: ServeWorkerRequest[] = []): ServeWorkerLike {
  const n = ++made;
  const page: Page = { alive: true, message: [], error: [] };
  pages.set(n, page);
  return {
    postMessage: (message: ServeWorkerRequest, transfer?: Transferable[]) => {
      sent.push(message);
      if (!page.alive) return;
      const data = structuredClone({ ...message, id: `w${n}:${message.id}` }, { transfer });
      setTimeout(() => {
        try {
          toWorker?.({ data } as MessageEvent);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          if (page.alive) page.error.forEach((l) => l({ message: text } as unknown as Event));
        }
      }, 0);
    },
    addEventListener: (type: string, listener: Listener | ErrorListener) => {
      if (type === 'message') page.message.push(listener as Listener);
      if (type === 'error') page.error.push(listener as ErrorListener);
    },
    terminate: () => {
      page.alive = false;
    },
  } as ServeWorkerLike;
}

const rng = createRng(7);
const rand = (n: number, s = 0.5) => Float32Array.from({ length: n }, () => rng.normal() * s);

/** A small 4-feature, 3-class MLP. */
export const model: MlpWeights = {
  inputSize: 4,
  layers: [
    { weights: rand(4 * 8), bias: rand(8), activation: 'relu' },
    { weights: rand(8 * 3), bias: rand(3), activation: 'softmax' },
  ],
};

export const schema: InputSchema = {
  features: 4,
  nClasses: 3,
  classNames: ['a', 'b', 'c'],
  featureNames: ['f0', 'f1', 'f2', 'f3'],
  min: [-3, -3, -3, -3],
  max: [3, 3, 3, 3],
};

export function endpointConfig(versionId: string): EndpointConfig {
  return {
    runtime: 'plain-ts',
    onnx: mlpToOnnx(model, { inputName: 'x', outputName: 'p', properties: {} }),
    weights: encodeMlp(model),
    schema,
    versionId,
  };
}

/** Row `i` of a fixed set of valid inputs. */
export function row(i: number): number[] {
  return Array.from({ length: 4 }, (_, j) => Math.sin(i * 1.7 + j * 0.9) * 2.5);
}

/**
 * Training rows for a baseline: inputs, labelled by which of the first three features is the
 * largest (a rule with every class present, which a nearest-centroid model can learn).
 */
export function trainingRows(rows: number): { x: Float32Array; y: Int32Array } {
  const x = Float32Array.from({ length: rows * 4 }, (_, k) => row(1000 + Math.floor(k / 4))[k % 4]);
  const y = Int32Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < 3; c++) if (x[r * 4 + c] > x[r * 4 + best]) best = c;
    return best;
  });
  return { x, y };
}
