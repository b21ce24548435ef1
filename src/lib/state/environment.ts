/** Facts about this browser that change what the lab can do and how its numbers read. */
export interface EnvironmentFacts {
  userAgent: string;
  /** Logical cores reported by the browser. */
  cores: number;
  crossOriginIsolated: boolean;
  secureContext: boolean;
  serviceWorker: boolean;
  webgpu: boolean;
  sharedArrayBuffer: boolean;
}

/** Reads the environment once; cheap and synchronous. */
export function readEnvironment(): EnvironmentFacts {
  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency ?? 1,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    secureContext: globalThis.isSecureContext === true,
    serviceWorker: 'serviceWorker' in navigator,
    webgpu: 'gpu' in navigator,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
  };
}
