/**
 * The serving worker (a module worker): holds one model in one runtime at a time and answers
 * `load`, `infer` and `unload` in arrival order. A runtime that cannot start falls back
 * (`ort-webgpu` -> `ort-wasm` -> `plain-ts`, `tfjs-*` -> `plain-ts`) and the `loaded` reply says
 * why. `computeMs` times the runtime call alone, with `performance.now()`, plus any injected
 * latency. Injected faults (`fault`, runtimes/fault.ts) are handled at once, ahead of the queue:
 * `crash` throws out of the message handler, which the page sees as the worker's `error` event.
 */
import { messageIdOf } from './message-id';
import { decodeMlp } from '../core/mlp-codec';
import type { MlpWeights } from '../core/mlp';
import {
  isServeWorkerRequest,
  RUNTIME_FALLBACK,
  type InferRequest,
  type LoadRequest,
  type RuntimeId,
  type ServeErrorReason,
  type ServeReply,
} from '../protocol/serve';
import { errorMessage, ownedCopy, type RuntimeAdapter } from './runtimes/adapter';
import { applyFault, corruptOutput, faultDelay, NO_FAULT, type FaultState } from './runtimes/fault';
import { makeAdapter } from './runtimes/make-adapter';
import type { OrtContext } from './runtimes/ort';

/** The part of a dedicated worker's global scope used here (this file also compiles with the DOM lib). */
type WorkerScope = {
  postMessage(message: ServeReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; gpu?: OrtContext['gpu'] };
};
const scope = globalThis as unknown as WorkerScope;

type Loaded = { adapter: RuntimeAdapter; features: number; nClasses: number };
let current: Loaded | null = null;
/** Faults injected on purpose; they outlive a `load` (a bad server stays bad until `clear`). */
let fault: FaultState = { ...NO_FAULT };

class ServeFailure extends Error {
  constructor(
    message: string,
    readonly reason: ServeErrorReason,
  ) {
    super(message);
  }
}

async function unload(): Promise<void> {
  const loaded = current;
  current = null;
  await loaded?.adapter.dispose().catch(() => undefined);
}

async function load(request: LoadRequest): Promise<void> {
  await unload();
  let model: MlpWeights;
  try {
    model = decodeMlp(request.weights);
  } catch (error) {
    throw new ServeFailure(`The model weights are unreadable: ${errorMessage(error)}`, 'invalid');
  }
  const source = { onnx: request.onnx, model };
  const options = { threads: request.threads ?? 1 };
  const reasons: string[] = [];
  for (
    let runtime: RuntimeId | null = request.runtime;
    runtime;
    runtime = RUNTIME_FALLBACK[runtime]
  ) {
    const adapter = makeAdapter(runtime);
    const start = performance.now();
    try {
      const info = await adapter.load(source, options);
      const loadMs = performance.now() - start;
      const nClasses = model.layers[model.layers.length - 1].bias.length;
      current = { adapter, features: model.inputSize, nClasses };
      scope.postMessage({
        type: 'loaded',
        id: request.id,
        runtime: request.runtime,
        actualRuntime: runtime,
        ...(reasons.length > 0 ? { fallbackReason: reasons.join('; ') } : {}),
        threads: info.threads,
        loadMs,
        details: info.details,
      });
      return;
    } catch (error) {
      reasons.push(`${runtime} did not start: ${errorMessage(error)}`);
      await adapter.dispose().catch(() => undefined);
    }
  }
  throw new ServeFailure(reasons.join('; '), 'runtime');
}

async function infer(request: InferRequest): Promise<void> {
  const loaded = current;
  if (!loaded) throw new ServeFailure('No model is loaded: send `load` first.', 'not-loaded');
  const { x, batch } = request;
  if (x.length !== batch * loaded.features) {
    throw new ServeFailure(
      `Expected ${batch} x ${loaded.features} = ${batch * loaded.features} values, got ${x.length}.`,
      'invalid',
    );
  }
  let probabilities = new Float32Array(0);
  let computeMs = 0;
  if (batch > 0) {
    const faults = fault; // the faults active when the call started
    let output: Float32Array;
    const start = performance.now();
    try {
      output = await loaded.adapter.run(x, batch);
    } catch (error) {
      throw new ServeFailure(errorMessage(error), 'runtime');
    }
    await faultDelay(faults.latencyMs);
    computeMs = performance.now() - start;
    probabilities = ownedCopy(output);
    if (faults.corrupt) corruptOutput(probabilities, loaded.nClasses, faults.corrupt);
    if (probabilities.length !== batch * loaded.nClasses) {
      throw new ServeFailure(
        `The runtime returned ${probabilities.length} values for ${batch} x ${loaded.nClasses}.`,
        'runtime',
      );
    }
  }
  scope.postMessage({ type: 'result', id: request.id, probabilities, computeMs }, [
    probabilities.buffer,
  ]);
}

/** Requests run one at a time, in arrival order (an `infer` after a `load` sees its model). */
let queue: Promise<void> = Promise.resolve();

function handle(id: string, work: () => Promise<void>): void {
  queue = queue.then(work).catch((error: unknown) => {
    const reason = error instanceof ServeFailure ? error.reason : 'runtime';
    scope.postMessage({ type: 'error', id, message: errorMessage(error), reason });
  });
}

scope.addEventListener('message', (event) => {
  const data = event.data;
  if (!isServeWorkerRequest(data)) {
    const id = messageIdOf(data);
    scope.postMessage({
      type: 'error',
      id,
      message: 'The serving worker got a message it does not understand.',
      reason: 'invalid',
    });
    return;
  }
  switch (data.type) {
    case 'load':
      handle(data.id, () => load(data));
      break;
    case 'infer':
      handle(data.id, () => infer(data));
      break;
    case 'fault':
      if (data.fault.kind === 'crash') {
        // Uncaught on purpose: a real worker reports it as an `error` event at the page.
        throw new Error('Fault injected: the serving worker crashed on purpose.');
      }
      fault = applyFault(fault, data.fault);
      scope.postMessage({ type: 'fault-set', id: data.id, ...fault });
      break;
    case 'unload':
      handle(data.id, async () => {
        await unload();
        scope.postMessage({ type: 'unloaded', id: data.id });
      });
      break;
    default: {
      const unhandled: never = data;
      throw new Error(`Unhandled request ${JSON.stringify(unhandled)}`);
    }
  }
});
