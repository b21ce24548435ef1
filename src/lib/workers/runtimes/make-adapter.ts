import type { RuntimeId } from '../../protocol/serve';
import type { RuntimeAdapter } from './adapter';
import { loadOrtWasm, loadOrtWebGpu, OrtRuntime, ortWebGpuBuild, type OrtContext } from './ort';
import { PlainRuntime } from './plain';
import { loadTfjs, TfjsRuntime } from './tfjs';

/** The parts of a worker's global scope that decide what ONNX Runtime may use. */
type Scope = {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; gpu?: OrtContext['gpu'] };
};

/** Threads, cores and the WebGPU entry point as this worker sees them. */
export function ortContext(scope: Scope = globalThis as unknown as Scope): OrtContext {
  return {
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hardwareConcurrency: scope.navigator?.hardwareConcurrency ?? 0,
    gpu: scope.navigator?.gpu,
  };
}

/**
 * A fresh adapter for a runtime; nothing is downloaded until its `load`. Shared by the serve
 * worker and the benchmark harness so both time exactly the same runtime set-up.
 */
export function makeAdapter(
  runtime: RuntimeId,
  context: OrtContext = ortContext(),
): RuntimeAdapter {
  switch (runtime) {
    case 'plain-ts':
      return new PlainRuntime();
    case 'ort-wasm':
      return new OrtRuntime(loadOrtWasm, 'wasm', context, 'onnxruntime-web/wasm');
    case 'ort-webgpu':
      return new OrtRuntime(loadOrtWebGpu, 'webgpu', context, ortWebGpuBuild());
    case 'tfjs-wasm':
      return new TfjsRuntime(loadTfjs, 'wasm');
    case 'tfjs-webgl':
      return new TfjsRuntime(loadTfjs, 'webgl');
    case 'tfjs-webgpu':
      return new TfjsRuntime(loadTfjs, 'webgpu');
    default: {
      const unknown: never = runtime;
      throw new Error(`Unknown runtime ${String(unknown)}`);
    }
  }
}
