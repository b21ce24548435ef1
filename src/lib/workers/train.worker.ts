/**
 * The training worker (a module worker): starts a tfjs backend, runs {@link trainLoop} on each
 * `train` request in turn, posts `progress` once per epoch and then one of `result`, `cancelled`
 * or `error`. A `cancel` may arrive at any time: the loop yields between batches so it gets in.
 */
import { messageIdOf } from './message-id';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  isTrainWorkerRequest,
  resultBuffers,
  type TrainBackend,
  type TrainReply,
  type TrainRequest,
} from '../protocol/train';
import { TrainCancelledError, TrainLoopError, trainLoop } from './train-loop';

/** The part of a dedicated worker's global scope used here (this file also compiles with the DOM lib). */
type WorkerScope = {
  postMessage(message: TrainReply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};
const scope = globalThis as unknown as WorkerScope;

/** How long the wasm backend may take to start before we fall back to cpu, milliseconds. */
const WASM_START_TIMEOUT_MS = 10_000;

let wasmStart: Promise<boolean> | null = null;

/** Starts the wasm backend once; resolves false when it cannot start (then cpu is used). */
function startWasm(): Promise<boolean> {
  wasmStart ??= (async () => {
    // Must precede setBackend: with cross-origin isolation it never resolves otherwise.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    });
    let timedOut = false;
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(() => {
        timedOut = true;
        resolve(false);
      }, WASM_START_TIMEOUT_MS),
    );
    const started = tf.setBackend('wasm').then(
      (ok) => {
        // A start that finishes after we gave up would switch backends under a running cpu job.
        if (ok && timedOut) void tf.setBackend('cpu');
        return ok && !timedOut;
      },
      () => false,
    );
    return Promise.race([started, timeout]);
  })().catch(() => false);
  return wasmStart;
}

/** Switches to the wanted backend (or cpu when wasm fails); returns the one now active. */
async function useBackend(wanted: TrainBackend): Promise<string> {
  if (wanted === 'wasm' && (await startWasm())) {
    if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
    return tf.getBackend();
  }
  if (!(await tf.setBackend('cpu')))
    throw new TrainLoopError('Neither the wasm nor the cpu backend of tfjs started.', 'backend');
  return tf.getBackend();
}

/** Ids queued or running, and those of them cancelled; an id leaves both when its run ends. */
const pending = new Set<string>();
const cancelled = new Set<string>();
let queue: Promise<void> = Promise.resolve();

async function train(request: TrainRequest): Promise<void> {
  const { id } = request;
  try {
    if (cancelled.has(id)) throw new TrainCancelledError();
    await useBackend(request.backend);
    const result = await trainLoop(tf, request, {
      isCancelled: () => cancelled.has(id),
      onEpoch: (metrics) => scope.postMessage({ type: 'progress', id, ...metrics }),
    });
    scope.postMessage({ type: 'result', id, ...result }, resultBuffers(result));
  } catch (error) {
    if (error instanceof TrainCancelledError) {
      scope.postMessage({ type: 'cancelled', id });
    } else {
      const reason = error instanceof TrainLoopError ? error.reason : 'unknown';
      const message = error instanceof Error ? error.message : String(error);
      scope.postMessage({ type: 'error', id, message, reason });
    }
  } finally {
    pending.delete(id);
    cancelled.delete(id);
  }
}

scope.addEventListener('message', (event) => {
  const data = event.data;
  if (!isTrainWorkerRequest(data)) {
    const id = messageIdOf(data);
    scope.postMessage({
      type: 'error',
      id,
      message: 'The training worker got a message it does not understand.',
      reason: 'invalid',
    });
    return;
  }
  switch (data.type) {
    case 'train':
      // One run at a time: later requests wait their turn (and may be cancelled while waiting).
      pending.add(data.id);
      queue = queue.then(() => train(data));
      break;
    case 'cancel':
      if (pending.has(data.id)) cancelled.add(data.id);
      break;
    default: {
      const unhandled: never = data;
      throw new Error(`Unhandled request ${JSON.stringify(unhandled)}`);
    }
  }
});
