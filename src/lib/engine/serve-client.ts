/**
 * Page-side owner of one serving worker: numbers requests, routes replies by id, and turns a
 * worker crash into a rejection of everything in flight. Higher-level policy (validation,
 * batching, restarts) lives in endpoint.ts and agreement-check.ts.
 */
import {
  isServeReply,
  type InferResult,
  type LoadInfo,
  type FaultSetReply,
  type LoadRequest,
  type ServeErrorReason,
  type ServeFault,
  type ServeReply,
  type ServeWorkerRequest,
} from '../protocol/serve';

/** The part of `Worker` used here (a test may pass a fake). */
export type ServeWorkerLike = {
  postMessage(message: ServeWorkerRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
};

/** Why a serving request failed: the worker's reason, or `crashed` / `stopped` on this side. */
export type ServeFailureReason = ServeErrorReason | 'crashed' | 'stopped';

export class ServeError extends Error {
  override readonly name = 'ServeError';
  constructor(
    message: string,
    readonly reason: ServeFailureReason,
  ) {
    super(message);
  }
}

/** How every `crashed` message starts (the endpoint passes it on in a failed request's reason). */
const CRASH_START = 'The serving worker ';
const CRASH_WHAT = ['crashed', 'sent a message that could not be read'] as const;

/** True when a failure reason (of a ServeError or a failed endpoint request) says the worker died. */
export function isCrashReason(reason: string): boolean {
  return CRASH_WHAT.some((what) => reason.startsWith(CRASH_START + what));
}

/** The bundled module worker. */
export function createServeWorker(): ServeWorkerLike {
  return new Worker(new URL('../workers/serve.worker.ts', import.meta.url), { type: 'module' });
}

type Waiter = { resolve: (reply: ServeReply) => void; reject: (error: Error) => void };

/** What a `load` sends besides its type and id. */
export type LoadOptions = Omit<LoadRequest, 'type' | 'id'>;

export class ServeClient {
  #worker: ServeWorkerLike | null;
  #waiting = new Map<string, Waiter>();
  #nextId = 1;
  #onCrash: ((error: ServeError) => void) | undefined;

  /**
   * @param onCrash called once if the worker fails (after in-flight requests are rejected).
   */
  constructor(
    createWorker: () => ServeWorkerLike = createServeWorker,
    onCrash?: (error: ServeError) => void,
  ) {
    this.#onCrash = onCrash;
    const worker = createWorker();
    worker.addEventListener('message', (event) => {
      const reply = event.data;
      if (!isServeReply(reply)) return;
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      waiter?.resolve(reply);
    });
    const crash = (what: (typeof CRASH_WHAT)[number]) => (event: Event) => {
      const detail = 'message' in event && typeof event.message === 'string' ? event.message : '';
      this.#fail(new ServeError(`${CRASH_START}${what}${detail ? `: ${detail}` : ''}.`, 'crashed'));
    };
    worker.addEventListener('error', crash(CRASH_WHAT[0]));
    worker.addEventListener('messageerror', crash(CRASH_WHAT[1]));
    this.#worker = worker;
  }

  /** False once terminated or crashed. */
  get alive(): boolean {
    return this.#worker !== null;
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.#waiting.size;
  }

  /**
   * Starts a runtime with a model. `onnx` and `weights` are transferred (detached here): pass
   * copies you no longer need.
   */
  async load(options: LoadOptions): Promise<LoadInfo> {
    const buffers = new Set([options.onnx.buffer as ArrayBuffer, options.weights]);
    const reply = await this.#send({ type: 'load', id: '', ...options }, [...buffers]);
    if (reply.type !== 'loaded') throw unexpected(reply);
    const { type: _type, id: _id, ...info } = reply;
    return info;
  }

  /** Runs `batch` rows; `x` is transferred (detached here). */
  async infer(x: Float32Array, batch: number): Promise<InferResult> {
    const reply = await this.#send({ type: 'infer', id: '', x, batch }, [x.buffer as ArrayBuffer]);
    if (reply.type !== 'result') throw unexpected(reply);
    return { probabilities: reply.probabilities, computeMs: reply.computeMs };
  }

  /**
   * Injects a fault on purpose (the fault injector). Resolves with the faults now active; for
   * `crash`, once the worker has died (everything in flight rejects with reason `crashed` and
   * `onCrash` runs), with no faults: a restarted worker starts clean.
   */
  async injectFault(fault: ServeFault): Promise<Omit<FaultSetReply, 'type' | 'id'>> {
    if (fault.kind === 'crash') {
      const died = await this.#send({ type: 'fault', id: '', fault }, []).then(
        () => false,
        (error: unknown) => error instanceof ServeError && error.reason === 'crashed',
      );
      if (!died) throw new ServeError('The serving worker did not crash when told to.', 'invalid');
      return { latencyMs: 0, corrupt: null };
    }
    const reply = await this.#send({ type: 'fault', id: '', fault }, []);
    if (reply.type !== 'fault-set') throw unexpected(reply);
    return { latencyMs: reply.latencyMs, corrupt: reply.corrupt };
  }

  async unload(): Promise<void> {
    const reply = await this.#send({ type: 'unload', id: '' }, []);
    if (reply.type !== 'unloaded') throw unexpected(reply);
  }

  /** Ends the worker now; requests in flight reject with reason `stopped`. */
  terminate(): void {
    this.#onCrash = undefined;
    this.#fail(new ServeError('The serving worker was stopped.', 'stopped'));
  }

  #send(message: ServeWorkerRequest, transfer: Transferable[]): Promise<ServeReply> {
    const worker = this.#worker;
    if (!worker)
      return Promise.reject(new ServeError('The serving worker is not running.', 'stopped'));
    const id = `serve-${this.#nextId++}`;
    return new Promise<ServeReply>((resolve, reject) => {
      this.#waiting.set(id, {
        resolve: (reply) =>
          reply.type === 'error'
            ? reject(new ServeError(reply.message, reply.reason))
            : resolve(reply),
        reject,
      });
      try {
        worker.postMessage({ ...message, id }, transfer);
      } catch (error) {
        this.#waiting.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  #fail(error: ServeError): void {
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#worker?.terminate();
    const wasAlive = this.#worker !== null;
    this.#worker = null;
    for (const waiter of waiters) waiter.reject(error);
    if (wasAlive && error.reason === 'crashed') this.#onCrash?.(error);
  }
}

function unexpected(reply: ServeReply): ServeError {
  return new ServeError(`The serving worker answered with an unexpected ${reply.type}.`, 'invalid');
}
