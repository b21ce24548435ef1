/**
 * Page-side owner of the training worker: starts it on first use, routes replies by request id,
 * turns an AbortSignal into a `cancel` message, and shuts the worker down when idle.
 */
import {
  inputBuffers,
  isTrainReply,
  type EpochMetrics,
  type TrainErrorReason,
  type TrainInput,
  type TrainReply,
  type TrainRequest,
  type TrainResult,
  type TrainWorkerRequest,
} from '../protocol/train';

/** Rejection of a cancelled run. Named `AbortError` like the DOM's, so generic checks work. */
export class TrainCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('Training was cancelled.');
  }
}

/** Rejection of a failed run; `reason` says why (`nan-loss`, `backend`, `invalid`, `unknown`). */
export class TrainError extends Error {
  override readonly name = 'TrainError';
  constructor(
    message: string,
    readonly reason: TrainErrorReason,
  ) {
    super(message);
  }
}

export type TrainHandlers = {
  /** Called once per finished epoch. */
  onProgress?: (progress: EpochMetrics) => void;
};

/** The part of `Worker` the trainer uses (a test may pass a fake). */
export type TrainWorkerLike = {
  postMessage(message: TrainWorkerRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
};

export type TrainerOptions = {
  /** Milliseconds without a running job before the worker is terminated (default 30,000). */
  idleTimeoutMs?: number;
  /** Makes the worker; defaults to the bundled module worker. */
  createWorker?: () => TrainWorkerLike;
};

type Job = TrainHandlers & {
  resolve: (result: TrainResult) => void;
  reject: (error: Error) => void;
  /** Detaches the abort listener. */
  release: () => void;
};

function defaultWorker(): TrainWorkerLike {
  return new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module' });
}

/** Trains MLPs in a Web Worker. One instance per app is enough; runs queue in the worker. */
export class Trainer {
  #worker: TrainWorkerLike | null = null;
  #jobs = new Map<string, Job>();
  #nextId = 1;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #idleTimeoutMs: number;
  readonly #createWorker: () => TrainWorkerLike;

  constructor(options: TrainerOptions = {}) {
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.#createWorker = options.createWorker ?? defaultWorker;
  }

  /**
   * Trains on `input` in the worker.
   *
   * @param signal aborting it sends `cancel` and rejects at once with {@link TrainCancelledError};
   *   the worker stops within about a second.
   * @param options.transfer move `input`'s buffers to the worker instead of copying them: faster,
   *   but they are detached (unusable) here afterwards. Default false.
   * @returns the result; rejects with {@link TrainError} (with its `reason`) when the run fails.
   */
  train(
    input: TrainInput,
    handlers: TrainHandlers = {},
    signal?: AbortSignal,
    options: { transfer?: boolean } = {},
  ): Promise<TrainResult> {
    if (signal?.aborted) return Promise.reject(new TrainCancelledError());
    const worker = this.#ensureWorker();
    const id = `train-${this.#nextId++}`;
    return new Promise<TrainResult>((resolve, reject) => {
      const onAbort = () => {
        const job = this.#settle(id);
        if (job) this.#worker?.postMessage({ type: 'cancel', id });
        job?.reject(new TrainCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#jobs.set(id, {
        onProgress: handlers.onProgress,
        resolve,
        reject,
        release: () => signal?.removeEventListener('abort', onAbort),
      });
      const request: TrainRequest = { type: 'train', id, ...input };
      worker.postMessage(request, options.transfer ? inputBuffers(input) : []);
    });
  }

  /** Number of runs started and not yet settled. */
  get activeJobs(): number {
    return this.#jobs.size;
  }

  /** Terminates the worker now; runs in progress reject with {@link TrainCancelledError}. */
  dispose(): void {
    this.#failAll(() => new TrainCancelledError());
  }

  #ensureWorker(): TrainWorkerLike {
    clearTimeout(this.#idleTimer);
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event) => {
      const reply = event.data;
      if (isTrainReply(reply)) this.#onReply(reply);
    });
    const crash = (what: string) => () =>
      this.#failAll(() => new TrainError(`The training worker ${what}.`, 'unknown'));
    worker.addEventListener('error', crash('failed (it did not load, or threw outside a run)'));
    worker.addEventListener('messageerror', crash('sent a message that could not be read'));
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: TrainReply): void {
    const job = this.#jobs.get(reply.id);
    if (!job) return; // a late reply for a run already cancelled here
    switch (reply.type) {
      case 'progress':
        job.onProgress?.(reply); // an EpochMetrics (its type and id fields are harmless extras)
        break;
      case 'result': {
        const { type: _type, id: _id, ...result } = reply;
        this.#settle(reply.id)?.resolve(result);
        break;
      }
      case 'cancelled':
        this.#settle(reply.id)?.reject(new TrainCancelledError());
        break;
      case 'error':
        this.#settle(reply.id)?.reject(new TrainError(reply.message, reply.reason));
        break;
      default: {
        const unhandled: never = reply;
        throw new Error(`Unhandled reply ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Removes a job, and starts the idle countdown when none is left. */
  #settle(id: string): Job | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    this.#jobs.delete(id);
    job.release();
    if (this.#jobs.size === 0 && this.#worker) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => this.#terminate(), this.#idleTimeoutMs);
    }
    return job;
  }

  #failAll(error: () => Error): void {
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    this.#terminate();
    for (const job of jobs) {
      job.release();
      job.reject(error());
    }
  }

  #terminate(): void {
    clearTimeout(this.#idleTimer);
    this.#worker?.terminate();
    this.#worker = null;
  }
}
