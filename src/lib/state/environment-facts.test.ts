import { describe, expect, it } from 'vitest';
import { benchEnvironment } from '../../../tests/fixtures/storage/benchmark';
import { browserName, environmentNotes, isSoftwareAdapter } from './environment-facts';

describe('browserName', () => {
  it('names the common browsers from their user agents', () => {
    expect(
      browserName(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/139.0.0.0 Safari/537.36',
      ),
    ).toBe('Chromium 139');
    expect(
      browserName('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'),
    ).toBe('Firefox 128');
    expect(
      browserName(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ),
    ).toBe('Safari 17.5');
    expect(browserName('Mozilla/5.0 Chrome/120.0 Safari/537.36 Edg/120.0.1')).toBe('Edge 120');
    expect(browserName('curl/8')).toBe('unknown browser');
  });
});

describe('environmentNotes', () => {
  const { notes: _n, ...base } = benchEnvironment();

  it('says a software WebGPU adapter gives no GPU timings', () => {
    expect(environmentNotes(base)).toContain(
      "This WebGPU adapter is a software fallback; its timings are not a GPU's.",
    );
    expect(isSoftwareAdapter({ api: true, adapter: true, architecture: 'swiftshader' })).toBe(true);
    expect(isSoftwareAdapter({ api: true, adapter: true, vendor: 'nvidia' })).toBe(false);
  });

  it('explains isolation: clock step and threads', () => {
    expect(environmentNotes(base)[0]).toBe(
      'This page is cross-origin isolated: the clock steps by 5 µs, and ONNX Runtime may use up to 2 wasm threads.',
    );
    const notIsolated = environmentNotes({
      ...base,
      crossOriginIsolated: false,
      timerResolutionMs: 0.1,
    });
    expect(notIsolated[0]).toMatch(
      /not cross-origin isolated: the clock steps by 100 µs .* 1 thread/,
    );
  });

  it('names missing SIMD, threads and WebGPU', () => {
    const notes = environmentNotes({
      ...base,
      wasmSimd: false,
      wasmThreads: false,
      webgpu: { api: false, adapter: false, reason: 'this browser has no navigator.gpu' },
    }).join(' ');
    expect(notes).toMatch(/no WebAssembly threads/);
    expect(notes).toMatch(/No WebAssembly SIMD/);
    expect(notes).toMatch(/No WebGPU adapter \(this browser has no navigator.gpu\): WebGPU cells/);
  });
});
