/**
 * onnxruntime-web runtimes. The module itself is injected (`loadModule`), so that the session logic
 * runs under vitest with Node's `onnxruntime-web` build, and the browser builds load lazily:
 * - `ort-wasm`: `onnxruntime-web/wasm` (CPU only, no `eval`), its .wasm bundled by Vite from our
 *   origin; the wasm glue is the copy embedded in that entry, so no .mjs is fetched.
 * - `ort-webgpu`: only imported when chosen (an opt-in download): `onnxruntime-web/jspi` (WebGPU
 *   EP, 16.8 MB wasm) where the browser has JSPI (`WebAssembly.Suspending`, Chromium 137+), else
 *   the bare `onnxruntime-web` (JSEP, 28.3 MB wasm). Both embed Emscripten glue that contains a
 *   `new Function` (embind's method-caller factory); our CSP forbids it, and it is not reached for
 *   the ops we emit (checked in Chromium with the CSP enforced). If it ever is, session creation
 *   fails with an EvalError, explained below, and the worker falls back to `ort-wasm`.
 */
import type * as OrtTypes from 'onnxruntime-web';
// URLs only (strings): the files are fetched when a runtime starts, not when this module loads.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortJsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import ortJspiWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jspi.wasm?url';
import {
  errorMessage,
  ownedCopy,
  type AdapterInfo,
  type AdapterOptions,
  type ModelSource,
  type RuntimeAdapter,
} from './adapter';

/** The part of an onnxruntime-web module used here. */
export type OrtModule = Pick<typeof OrtTypes, 'InferenceSession' | 'Tensor' | 'env'>;

export type OrtProvider = 'wasm' | 'webgpu';

/** What the context allows; the worker passes its own `self`, tests pass what they simulate. */
export type OrtContext = {
  crossOriginIsolated: boolean;
  /** Logical cores (`navigator.hardwareConcurrency`); 0 when unknown. */
  hardwareConcurrency: number;
  /** `navigator.gpu`, when the context has one (WebGPU). */
  gpu?: GpuLike;
};

/** The WebGPU entry points used to detect an adapter (kept structural: no @webgpu/types here). */
export type GpuLike = {
  requestAdapter(): Promise<GpuAdapterLike | null>;
};
export type GpuAdapterLike = {
  info?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  isFallbackAdapter?: boolean;
};

/**
 * onnxruntime's own log, read back. Its wasm glue binds `console.log`/`console.error` once, when
 * the module instance starts (the first session), so this tap must be in place before that; it
 * passes every call on unless a capture is running. Only the benchmark asks for it.
 */
const tap: { installed: boolean; lines: string[] | null } = { installed: false, lines: null };
function tapConsole(): void {
  if (tap.installed || typeof console === 'undefined') return;
  tap.installed = true;
  for (const level of ['log', 'warn', 'error'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (tap.lines) tap.lines.push(args.map(String).join(' '));
      else original(...args);
    };
  }
}

/** Thread count each ORT module instance was started with (fixed once its wasm is initialised). */
const startedThreads = new WeakMap<OrtModule, number>();

/** Decides the thread count and explains any difference from what was asked. */
function chooseThreads(
  ort: OrtModule,
  wanted: number,
  context: OrtContext,
): { threads: number; note?: string } {
  const started = startedThreads.get(ort);
  if (started !== undefined) {
    return started === wanted
      ? { threads: started }
      : {
          threads: started,
          note: `${started} (asked for ${wanted}; onnxruntime-web fixes the thread count when it first starts: restart the endpoint to change it)`,
        };
  }
  let threads = Math.max(1, Math.floor(wanted));
  let note: string | undefined;
  if (threads > 1 && !context.crossOriginIsolated) {
    note = `1 (asked for ${threads}; wasm threads need a cross-origin isolated page)`;
    threads = 1;
  } else if (context.hardwareConcurrency > 0 && threads > context.hardwareConcurrency) {
    note = `${context.hardwareConcurrency} (asked for ${threads}; this device has ${context.hardwareConcurrency} logical cores)`;
    threads = context.hardwareConcurrency;
  }
  return { threads, note };
}

/** Describes a WebGPU adapter for display. */
function adapterDetails(adapter: GpuAdapterLike): Record<string, string> {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  return {
    adapter: name || 'unknown',
    isFallbackAdapter: fallback === undefined ? 'unknown' : String(fallback),
  };
}

/** Names what CSP blocked, when an error is the browser refusing `eval`/`new Function`. */
function explainCsp(error: unknown): string {
  const message = errorMessage(error);
  return /unsafe-eval|Content Security Policy|EvalError/i.test(message) ||
    (error instanceof Error && error.name === 'EvalError')
    ? `this onnxruntime-web build needs eval/new Function, which our CSP forbids (${message})`
    : message;
}

export class OrtRuntime implements RuntimeAdapter {
  #ort: OrtModule | null = null;
  #session: OrtTypes.InferenceSession | null = null;
  #features = 0;
  #inputName = '';
  #outputName = '';

  /**
   * @param loadModule imports the onnxruntime-web module (and sets its `wasmPaths` if needed).
   * @param provider the execution provider to create the session with.
   */
  constructor(
    readonly loadModule: () => Promise<OrtModule>,
    readonly provider: OrtProvider,
    readonly context: OrtContext,
    readonly build = '',
  ) {}

  /** `options.tapLog`: read onnxruntime's log later ({@link OrtRuntime.graphLog}). */
  async load(
    source: ModelSource,
    options: AdapterOptions & { tapLog?: boolean },
  ): Promise<AdapterInfo> {
    const details: Record<string, string> = {};
    if (this.provider === 'webgpu') {
      // Checked before the (large) module download: without an adapter there is nothing to gain.
      if (!this.context.gpu)
        throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
      const adapter = await this.context.gpu.requestAdapter();
      if (!adapter) throw new Error('no WebGPU adapter (navigator.gpu.requestAdapter() gave null)');
      Object.assign(details, adapterDetails(adapter));
    }
    if (options.tapLog) tapConsole();
    const ort = await this.loadModule();
    const { threads, note } = chooseThreads(ort, options.threads, this.context);
    if (!startedThreads.has(ort)) {
      ort.env.wasm.numThreads = threads;
      ort.env.wasm.proxy = false; // already in a worker
      ort.env.logLevel = 'error';
    }
    let session: OrtTypes.InferenceSession;
    try {
      session = await ort.InferenceSession.create(source.onnx, {
        executionProviders: [this.provider],
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new Error(explainCsp(error), { cause: error });
    } finally {
      // Whether or not the session came up, the wasm instance (and its thread pool) now exists.
      startedThreads.set(ort, threads);
    }
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      await session.release();
      throw new Error(
        `expected one input and at least one output, got ${session.inputNames.length} and ${session.outputNames.length}`,
      );
    }
    this.#ort = ort;
    this.#session = session;
    this.#features = source.model.inputSize;
    this.#inputName = session.inputNames[0];
    this.#outputName = session.outputNames[0];
    details.executionProvider = this.provider;
    if (this.build) details.build = this.build;
    if (note) details.threads = note;
    return { threads, details };
  }

  async run(x: Float32Array, batch: number): Promise<Float32Array> {
    const ort = this.#ort;
    const session = this.#session;
    if (!ort || !session) throw new Error('No model is loaded.');
    const input = new ort.Tensor('float32', x, [batch, this.#features]);
    const outputs = await session.run({ [this.#inputName]: input });
    const output = outputs[this.#outputName];
    try {
      const data = output.data;
      if (!(data instanceof Float32Array))
        throw new Error(`the model output is ${output.type}, not float32`);
      return ownedCopy(data);
    } finally {
      for (const tensor of Object.values(outputs)) tensor.dispose();
    }
  }

  /**
   * onnxruntime's own account of this model: a throw-away session for `onnx`, with this runtime's
   * provider and options plus verbose logging and profiling, runs one batch-1 call of zeros (the
   * timed session is created without either). Its log has the graph rewrites and which execution
   * provider each node was placed on; the profile, one JSON line per executed node, the op type
   * and provider of each. Needs a `load` with `tapLog` first.
   * @returns the lines onnxruntime printed (empty when the build printed none).
   */
  async graphLog(onnx: Uint8Array): Promise<string[]> {
    const ort = this.#ort;
    if (!ort || !tap.installed) throw new Error('Load with tapLog first.');
    const lines: string[] = [];
    tap.lines = lines;
    try {
      const session = await ort.InferenceSession.create(onnx, {
        executionProviders: [this.provider],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 0,
        logVerbosityLevel: 0,
        enableProfiling: true,
      });
      try {
        const x = new ort.Tensor('float32', new Float32Array(this.#features), [1, this.#features]);
        const outputs = await session.run({ [session.inputNames[0]]: x });
        for (const tensor of Object.values(outputs)) tensor.dispose();
        session.endProfiling();
      } finally {
        await session.release();
      }
    } finally {
      tap.lines = null;
    }
    return lines;
  }

  async dispose(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    this.#ort = null;
    await session?.release();
  }
}

/** `onnxruntime-web/wasm` with its .wasm served from our origin (bundled by Vite). */
export async function loadOrtWasm(): Promise<OrtModule> {
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  return ort;
}

/** True where WebAssembly JS Promise Integration is available (the smaller WebGPU build runs). */
export function hasJspi(): boolean {
  return typeof (WebAssembly as unknown as { Suspending?: unknown }).Suspending === 'function';
}

/** The build {@link loadOrtWebGpu} picks here, for display. */
export function ortWebGpuBuild(): string {
  return hasJspi() ? 'onnxruntime-web/jspi' : 'onnxruntime-web (JSEP)';
}

/** A WebGPU-capable onnxruntime-web, lazily: its module and .wasm are fetched only when chosen. */
export async function loadOrtWebGpu(): Promise<OrtModule> {
  if (hasJspi()) {
    const ort = await import('onnxruntime-web/jspi');
    ort.env.wasm.wasmPaths = { wasm: ortJspiWasmUrl };
    return ort;
  }
  const ort = await import('onnxruntime-web');
  ort.env.wasm.wasmPaths = { wasm: ortJsepWasmUrl };
  return ort;
}
