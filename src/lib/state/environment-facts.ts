/**
 * The benchmark lab's environment panel: what this browser offers the runtimes (isolation,
 * threads, SIMD, a WebGPU adapter) and what that means for the numbers. Detection reads the
 * browser (feature tests, not user-agent guesses); `environmentNotes` and `browserName` are pure
 * and tested on their own.
 */
import type { BenchmarkEnvironment, BenchmarkWebGpu } from '../storage';

/** `(module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))`, as wasm-feature-detect. */
const SIMD_MODULE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);
/** `(module (memory 1 1 shared) (func i32.const 0 i32.atomic.load drop))`, as wasm-feature-detect. */
const THREADS_MODULE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65,
  0, 254, 16, 2, 0, 26, 11,
]);

/** What `environmentNotes` reads. */
export type EnvironmentInput = Omit<BenchmarkEnvironment, 'notes'>;

/** "Chromium 139", "Firefox 128", "Safari 17.5", or "unknown browser", from a user agent. */
export function browserName(userAgent: string): string {
  const rules: [RegExp, string][] = [
    [/Edg\/(\d+)/, 'Edge'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/(?:HeadlessChrome|Chrome|Chromium)\/(\d+)/, 'Chromium'],
    [/Version\/([\d.]+).*Safari\//, 'Safari'],
  ];
  for (const [re, name] of rules) {
    const m = re.exec(userAgent);
    if (m) return `${name} ${m[1]}`;
  }
  return 'unknown browser';
}

/** A software WebGPU adapter: flagged as a fallback, or SwiftShader by name. */
export function isSoftwareAdapter(gpu: BenchmarkWebGpu): boolean {
  const names = [gpu.vendor, gpu.architecture, gpu.description].join(' ');
  return gpu.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(names);
}

const us = (ms: number) => `${+(ms * 1000).toPrecision(3)} µs`;

/** Sentences on what these facts mean for the benchmark's numbers. */
export function environmentNotes(env: EnvironmentInput): string[] {
  const notes: string[] = [];
  const tick = env.timerResolutionMs > 0 ? us(env.timerResolutionMs) : 'an unknown step';
  if (env.crossOriginIsolated) {
    notes.push(
      `This page is cross-origin isolated: the clock steps by ${tick}, and ONNX Runtime may use up to ${Math.max(1, env.cores)} wasm threads.`,
    );
  } else {
    notes.push(
      `This page is not cross-origin isolated: the clock steps by ${tick} (coarse), so calls shorter than 20 steps are timed in groups, and ONNX Runtime runs on 1 thread.`,
    );
  }
  if (!env.wasmThreads)
    notes.push('This browser has no WebAssembly threads: every wasm runtime runs on one thread.');
  if (!env.wasmSimd)
    notes.push('No WebAssembly SIMD here: the wasm runtimes run slower scalar code.');
  const gpu = env.webgpu;
  if (!gpu.adapter) {
    notes.push(
      `No WebGPU adapter${gpu.reason ? ` (${gpu.reason})` : ''}: WebGPU cells fall back to a CPU runtime and say so.`,
    );
  } else if (isSoftwareAdapter(gpu)) {
    notes.push("This WebGPU adapter is a software fallback; its timings are not a GPU's.");
  } else {
    notes.push(
      'WebGPU runs on a hardware adapter; for a model this small, copying data to and from the GPU usually costs more than the arithmetic.',
    );
  }
  notes.push(
    `Timings vary with whatever else runs on this device (${env.cores || 'unknown'} logical cores are shared with other tabs and apps); compare cells from one run.`,
  );
  return notes;
}

/**
 * The step of `performance.now()` on this page, over about `spanMs` (blocks for that long);
 * 0 when the clock did not move (unknown).
 */
function pageTimerResolution(spanMs = 10): number {
  const start = performance.now();
  let last = start;
  let step = Infinity;
  for (let t = start; t - start < spanMs; t = performance.now()) {
    if (t > last) {
      step = Math.min(step, t - last);
      last = t;
    }
  }
  return Number.isFinite(step) ? step : 0;
}

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Threads need the module to validate and shared memory to exist (SharedArrayBuffer). */
function wasmThreadsSupported(): boolean {
  if (!validates(THREADS_MODULE) || typeof SharedArrayBuffer === 'undefined') return false;
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

type GpuAdapterInfoLike = {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
};
type GpuLike = {
  requestAdapter(): Promise<{ info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean } | null>;
};

async function webgpuFacts(): Promise<BenchmarkWebGpu> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return { api: false, adapter: false, reason: 'this browser has no navigator.gpu' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { api: true, adapter: false, reason: 'requestAdapter() gave none' };
    const info = adapter.info ?? {};
    const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
    return {
      api: true,
      adapter: true,
      ...(info.vendor ? { vendor: info.vendor } : {}),
      ...(info.architecture ? { architecture: info.architecture } : {}),
      ...(info.description ? { description: info.description } : {}),
      ...(typeof fallback === 'boolean' ? { isFallbackAdapter: fallback } : {}),
    };
  } catch (err) {
    return {
      api: true,
      adapter: false,
      reason: `requestAdapter() failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Reads the environment (about 10 ms of clock readings, and a WebGPU adapter request). */
export async function readBenchEnvironment(): Promise<BenchmarkEnvironment> {
  const userAgent = navigator.userAgent;
  const facts: EnvironmentInput = {
    userAgent,
    browser: browserName(userAgent),
    cores: navigator.hardwareConcurrency ?? 0,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    timerResolutionMs: pageTimerResolution(),
    wasmSimd: validates(SIMD_MODULE),
    wasmThreads: wasmThreadsSupported(),
    webgpu: await webgpuFacts(),
  };
  return { ...facts, notes: environmentNotes(facts) };
}
