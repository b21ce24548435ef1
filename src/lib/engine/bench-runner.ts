/**
 * Page-side owner of the benchmark worker. `measureGroup` measures one model on one runtime with
 * one thread count at several batch sizes, in a FRESH worker (so every cold start includes
 * starting the runtime, and onnxruntime-web's thread count, fixed once it starts in a worker,
 * can differ between groups). The worker is shut down as soon as its group settles: no worker is
 * left idle. An AbortSignal sends `cancel`, rejects at once with {@link BenchCancelledError}, and
 * terminates the worker shortly after.
 */
import {
  DEFAULT_BENCH_SETTINGS,
  isBenchReply,
  type BenchErrorReason,
  type BenchLoadRequest,
  type BenchLoaded,
  type BenchPhase,
  type BenchReply,
  type BenchSettings,
  type BenchTimed,
  type BenchWorkerRequest,
} from '../protocol/bench';

/** Rejection of a cancelled measurement. Named `AbortError` like the DOM's. */
export class BenchCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The benchmark was cancelled.');
  }
}

/** Rejection of a failed measurement: the worker's reason, or `crashed` on this side. */
export class BenchError extends Error {
  override readonly name = 'BenchError';
  constructor(
    message: string,
    readonly reason: BenchErrorReason | 'crashed',
  ) {
    super(message);
  }
}

/** The part of `Worker` used here (a test may pass a fake). */
export type BenchWorkerLike = {
  postMessage(message: BenchWorkerRequest, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
};

/** The bundled module worker. */
export function createBenchWorker(): BenchWorkerLike {
  return new Worker(new URL('../workers/bench.worker.ts', import.meta.url), { type: 'module' });
}

/** What one group measures: the model, its test rows, the runtime, and the batch sizes. */
export type BenchGroupSpec = Omit<BenchLoadRequest, 'type' | 'id'> & {
  batches: readonly number[];
  settings?: BenchSettings;
};

/** Where a group stands: loading the runtime, or timing batch `batches[batchIndex]`. */
export type BenchGroupProgress = {
  phase: 'loading' | BenchPhase;
  batchIndex: number;
  /** Of the whole group, in [0, 1]. */
  fraction: number;
};

export type BenchGroupHandlers = {
  signal?: AbortSignal;
  onProgress?: (progress: BenchGroupProgress) => void;
  /** Called once the runtime is loaded (before any timing). */
  onLoaded?: (loaded: BenchLoaded) => void;
  /** Called as each batch size is measured. */
  onTimed?: (timed: BenchTimed) => void;
};

export type BenchGroupResult = { loaded: BenchLoaded; timed: BenchTimed[] };

export type BenchRunnerOptions = {
  createWorker?: () => BenchWorkerLike;
  /** After a cancel, the worker gets this long to stop by itself before it is terminated (ms). */
  cancelGraceMs?: number;
};

type Pending = { resolve: (reply: BenchReply) => void; reject: (error: Error) => void };

/** One measurement at a time; a second `measureGroup` while one runs is refused. */
export class BenchRunner {
  readonly #createWorker: () => BenchWorkerLike;
  readonly #graceMs: number;
  #worker: BenchWorkerLike | null = null;
  #pending = new Map<string, Pending>();
  #onProgress: ((reply: BenchReply & { type: 'progress' }) => void) | null = null;
  /** Why the worker of the running group stopped, when it crashed. */
  #crash: BenchError | null = null;
  #nextId = 1;

  constructor(options: BenchRunnerOptions = {}) {
    this.#createWorker = options.createWorker ?? createBenchWorker;
    this.#graceMs = options.cancelGraceMs ?? 250;
  }

  /** True while a group is being measured (a worker is running). */
  get busy(): boolean {
    return this.#worker !== null;
  }

  /**
   * Loads the runtime in a fresh worker, then times each batch size in order.
   * `onnx`, `weights`, `testX` and `testY` are copied, not transferred.
   * @throws BenchCancelledError when `signal` aborts; BenchError when the worker fails.
   */
  async measureGroup(
    spec: BenchGroupSpec,
    handlers: BenchGroupHandlers = {},
  ): Promise<BenchGroupResult> {
    if (this.#worker) throw new BenchError('A benchmark is already running.', 'invalid');
    const { signal } = handlers;
    if (signal?.aborted) throw new BenchCancelledError();
    const { batches, settings = DEFAULT_BENCH_SETTINGS, ...load } = spec;
    this.#start();
    const steps = batches.length + 1;
    const report = (phase: BenchGroupProgress['phase'], batchIndex: number, part: number) =>
      handlers.onProgress?.({
        phase,
        batchIndex,
        fraction: Math.min(1, (batchIndex + (phase === 'loading' ? part : 1 + part)) / steps),
      });
    let batchIndex = 0;
    this.#onProgress = (p) => report(p.phase, batchIndex, p.fraction);
    let currentId = '';
    const onAbort = () => {
      const worker = this.#worker;
      worker?.postMessage({ type: 'cancel', id: currentId });
      this.#failAll(new BenchCancelledError(), false);
      setTimeout(() => worker?.terminate(), this.#graceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      report('loading', 0, 0);
      currentId = this.#id();
      const loadedReply = await this.#send({ type: 'load', id: currentId, ...load });
      if (loadedReply.type !== 'loaded') throw unexpected(loadedReply);
      const { type: _t, id: _i, ...loaded } = loadedReply;
      handlers.onLoaded?.(loaded);
      const timed: BenchTimed[] = [];
      for (const [i, batch] of batches.entries()) {
        batchIndex = i;
        report('warmup', i, 0);
        currentId = this.#id();
        const reply = await this.#send({ type: 'time', id: currentId, batch, settings });
        if (reply.type !== 'timed') throw unexpected(reply);
        const { type: _tt, id: _ii, ...result } = reply;
        timed.push(result);
        handlers.onTimed?.(result);
      }
      report('overhead', batches.length - 1, 1);
      return { loaded, timed };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!signal?.aborted) this.#stop();
    }
  }

  /** Terminates any running worker; a measurement in progress rejects as cancelled. */
  dispose(): void {
    this.#failAll(new BenchCancelledError(), true);
  }

  #id(): string {
    return `bench-${this.#nextId++}`;
  }

  #start(): void {
    this.#crash = null;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event) => {
      const reply = event.data;
      if (!isBenchReply(reply)) return;
      if (reply.type === 'progress') {
        if (this.#pending.has(reply.id)) this.#onProgress?.(reply);
        return;
      }
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      pending?.resolve(reply);
    });
    const crash = (what: string) => (event: Event) => {
      const detail = 'message' in event && typeof event.message === 'string' ? event.message : '';
      this.#crash = new BenchError(
        `The benchmark worker ${what}${detail ? `: ${detail}` : ''}.`,
        'crashed',
      );
      this.#failAll(this.#crash, true);
    };
    worker.addEventListener('error', crash('crashed'));
    worker.addEventListener('messageerror', crash('sent a message that could not be read'));
    this.#worker = worker;
  }

  #send(message: BenchWorkerRequest): Promise<BenchReply> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(this.#crash ?? new BenchCancelledError());
    return new Promise<BenchReply>((resolve, reject) => {
      this.#pending.set(message.id, {
        resolve: (reply) =>
          reply.type === 'error'
            ? reject(
                reply.reason === 'cancelled'
                  ? new BenchCancelledError()
                  : new BenchError(reply.message, reply.reason),
              )
            : resolve(reply),
        reject,
      });
      worker.postMessage(message);
    });
  }

  /** Rejects everything pending; forgets the worker (terminating it when `terminate`). */
  #failAll(error: Error, terminate: boolean): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#onProgress = null;
    if (terminate) this.#worker?.terminate();
    this.#worker = null;
    for (const p of pending) p.reject(error);
  }

  #stop(): void {
    this.#failAll(new BenchCancelledError(), true);
  }
}

function unexpected(reply: BenchReply): BenchError {
  return new BenchError(
    `The benchmark worker answered with an unexpected ${reply.type}.`,
    'invalid',
  );
}
