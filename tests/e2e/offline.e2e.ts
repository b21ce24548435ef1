import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type Session } from './session';

/** onnxruntime-web's WebGPU builds (JSEP and JSPI): not precached (vite.config.ts). */
const ORT_WEBGPU =
  /^ort(-wasm-simd-threaded\.(jsep|jspi)-[^/]*\.wasm|\.(jspi\.)?bundle\.min-[^/]*\.js)$/;

const isLocal = (url: string, base: string) =>
  url.startsWith(base) || url.startsWith('blob:') || url.startsWith('data:');

describe('offline after the first visit', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('requested nothing outside 127.0.0.1 while installing', () => {
    expect(s.requested.length).toBeGreaterThan(5);
    expect(s.requested.filter((u) => !isLocal(u, s.server.url))).toEqual([]);
  });

  it('has an installable web app manifest whose icons exist', async () => {
    const manifest = await s.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href;
      if (!href) return null;
      const m = (await (await fetch(href)).json()) as {
        name: string;
        display: string;
        start_url: string;
        icons: { src: string; sizes: string; type: string }[];
      };
      const icons = await Promise.all(
        m.icons.map(async (i) => ({ ...i, status: (await fetch(new URL(i.src, href))).status })),
      );
      return { ...m, icons };
    });
    expect(manifest).not.toBeNull();
    expect(manifest!.name).toBe('Pocket MLOps');
    expect(manifest!.display).toBe('standalone');
    expect(manifest!.icons.map((i) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    );
    expect(manifest!.icons.every((i) => i.status === 200 && i.type === 'image/png')).toBe(true);
  });

  it('precached the data sets and every wasm runtime file but the opt-in WebGPU builds', async () => {
    const cached = await s.page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys())
          urls.push(new URL(req.url).pathname);
      }
      return urls;
    });
    expect(cached).toEqual(
      expect.arrayContaining(['/data/digits.csv.gz', '/data/breast_cancer.csv']),
    );
    const { readdirSync } = await import('node:fs');
    const assets = readdirSync('dist/assets');
    // The WebGPU builds of onnxruntime-web are an opt-in download, cached on first use instead.
    const webgpu = assets.filter((f) => ORT_WEBGPU.test(f));
    expect(webgpu.length).toBeGreaterThanOrEqual(2);
    const wasm = assets.filter((f) => f.endsWith('.wasm') && !ORT_WEBGPU.test(f));
    expect(wasm.some((f) => f.startsWith('ort-wasm-simd-threaded-'))).toBe(true);
    for (const f of wasm) expect(cached).toContain(`/assets/${f}`);
    for (const f of webgpu) expect(cached).not.toContain(`/assets/${f}`);
  });

  it('reloads online without asking the server for anything but the service worker update check', async () => {
    const before = s.server.requests.length;
    await s.page.reload();
    await s.page.getByRole('heading', { level: 1, name: 'Pocket MLOps' }).waitFor();
    await s.page.waitForTimeout(500);
    expect(s.server.requests.slice(before).filter((p) => p !== '/sw.js')).toEqual([]);
  });

  it('works with the network off: reload, lessons, data sets, isolation in page and worker', async () => {
    const { page, context } = s;
    const before = s.server.requests.length;
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Pocket MLOps' }).waitFor();
    await page.getByRole('link', { name: 'How to use this lab' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'How to use this lab' }).waitFor();
    await page.locator('[data-widget="offline-status"]').waitFor();

    const bytes = await page.evaluate(async () => {
      const r = await fetch('/data/digits.csv.gz');
      return (await r.arrayBuffer()).byteLength;
    });
    expect(bytes).toBe(57512);

    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const inWorker = await page.evaluate(
      () =>
        new Promise<boolean>((resolve, reject) => {
          const src = 'postMessage(self.crossOriginIsolated === true)';
          const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
          w.onmessage = (e) => resolve(e.data as boolean);
          w.onerror = (e) => reject(new Error(e.message));
        }),
    );
    expect(inWorker).toBe(true);
    expect(s.server.requests.length).toBe(before);
    await context.setOffline(false);
  });

  it('caused no CSP violation', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
  });
});
