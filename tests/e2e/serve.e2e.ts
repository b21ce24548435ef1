import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

const endpoint = (page: Page) => page.getByTestId('endpoint-status');
const startButton = (page: Page) => page.getByRole('button', { name: 'Start endpoint' });
const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop endpoint' });
const sendButton = (page: Page) => page.getByRole('button', { name: 'Send', exact: true });

async function openServe(s: Session): Promise<void> {
  await s.page.goto(`${s.server.url}#/serve`);
  await s.page.getByRole('heading', { level: 1, name: 'Serve & Benchmark' }).waitFor();
}

/** Starts the endpoint on `runtime` and waits until it serves; returns the runtime that runs. */
async function start(page: Page, runtime: string): Promise<string> {
  await page.getByLabel('Runtime', { exact: true }).selectOption(runtime);
  await startButton(page).click();
  await expect
    .poll(() => endpoint(page).getAttribute('data-status'), { timeout: 90_000 })
    .toMatch(/running|failed/);
  expect(await page.getByTestId('endpoint-error').count()).toBe(0);
  return (await endpoint(page).getAttribute('data-runtime')) ?? '';
}

/** Clicks Send and waits for the answer to request number `seq`. */
async function sendAndWait(page: Page, seq: number, timeout = 5000): Promise<string> {
  await sendButton(page).click();
  const response = page.getByTestId('serve-response');
  await expect.poll(() => response.textContent(), { timeout }).toContain(`Request ${seq} (`);
  return (await response.textContent()) ?? '';
}

/** The p50 of the endpoint's latency panel, in ms. */
async function p50Ms(page: Page): Promise<number> {
  const text =
    (await page.getByTestId('endpoint-latency').locator('dd').first().textContent()) ?? '';
  const m = /([\d.]+) (µs|ms)/.exec(text);
  expect(m, text).not.toBeNull();
  return Number(m?.[1]) / (m?.[2] === 'µs' ? 1000 : 1);
}

describe('serve', () => {
  let s: Session;
  let seq = 0;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says there is nothing to serve before a model is registered, with a link to the registry', async () => {
    await openServe(s);
    const notice = s.page.getByTestId('serve-no-models');
    await notice.waitFor();
    expect(await notice.getByRole('link', { name: 'model registry' }).getAttribute('href')).toBe(
      '#/registry',
    );
  });

  it('trains digits and registers the run as digits-classifier v1', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/train`);
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('link', { name: 'Evaluate this run' }).waitFor({ timeout: 90_000 });

    await page.goto(`${s.server.url}#/registry`);
    await page.getByRole('heading', { level: 1, name: /Registry/ }).waitFor();
    const form = page.getByTestId('register-run');
    await form.getByLabel('Run to register').waitFor();
    await form.getByLabel('Model name').fill('digits-classifier');
    await form.getByRole('button', { name: 'Register', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('register-message').textContent(), { timeout: 30_000 })
      .toMatch(/digits-classifier/);
  });

  it('starts on ONNX Runtime wasm and answers a drawn digit and a test example', async () => {
    const { page } = s;
    await openServe(s);
    const version = page.getByLabel('Model version');
    await expect
      .poll(() => version.locator('option:checked').textContent())
      .toBe('digits-classifier v1');
    expect(await start(page, 'ort-wasm')).toBe('ort-wasm');
    expect(await page.getByTestId('actual-runtime').textContent()).toBe(
      'ONNX Runtime Web, WebAssembly',
    );
    console.log(`ort-wasm endpoint ready in ${await page.getByTestId('start-time').textContent()}`);

    // Draw a stroke on the pad: the 8×8 counts change, and the endpoint answers.
    const pad = page.getByTestId('serve-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.85, { steps: 12 });
    await page.mouse.up();
    expect(await page.getByTestId('serve-cells').textContent()).toMatch(/[1-9]/);
    let text = await sendAndWait(page, ++seq);
    expect(text).toMatch(/predicted \d with\s+probability/);
    expect(text).toContain('Served by digits-classifier@v1');
    expect(text).toMatch(/Latency [\d.]+ (µs|ms) end to end/);

    // A test example, chosen with the keyboard-friendly select.
    await page.getByLabel('Load a test example').selectOption({ index: 1 });
    const label =
      (await page.getByLabel('Load a test example').locator('option:checked').textContent()) ?? '';
    text = await sendAndWait(page, ++seq);
    console.log(`test example "${label}": ${text.replace(/\s+/g, ' ').slice(0, 90)}`);
    expect(text).toContain(`(${label.toLowerCase()})`);
    expect(text).toMatch(/predicted \d/);
  });

  it('rejects each bad request with its reason, counts it, and keeps serving', async () => {
    const { page } = s;
    const reasons: Record<string, RegExp> = {
      'wrong-length': /expected 64 values, got 63/,
      nan: /value 3 is NaN/,
      infinity: /value 3 is \+Infinity/,
      string: /value 0 is a string, not a number/,
    };
    for (const [kind, reason] of Object.entries(reasons)) {
      await page.getByLabel('Bad request kind').selectOption(kind);
      await page.getByRole('button', { name: 'Send a bad request' }).click();
      seq++;
      const rejection = page.getByTestId('serve-rejection');
      await expect.poll(() => rejection.textContent()).toContain(`Request ${seq} (`);
      expect(await rejection.textContent()).toMatch(reason);
      expect(await rejection.textContent()).toMatch(/rejected by the schema check/);
    }
    await expect.poll(() => page.getByTestId('count-rejected').textContent()).toBe('4');
    const log = page.getByTestId('serve-log');
    expect(await log.locator('li[data-outcome="invalid"]').count()).toBe(4);
    expect(await log.locator('li[data-outcome="accepted"]').count()).toBe(2);
    // Still serving.
    expect(await sendAndWait(page, ++seq)).toMatch(/predicted \d/);
    await expect.poll(() => page.getByTestId('count-served').textContent()).toBe('3');
    expect(await endpoint(page).getAttribute('data-status')).toBe('running');
  });

  it('answers a burst of 2,000 and shows predictions/s, percentiles and batch sizes', async () => {
    const { page } = s;
    expect(await page.getByLabel('Requests in the burst').inputValue()).toBe('2000');
    await page.getByRole('button', { name: 'Send a burst' }).click();
    const result = page.getByTestId('burst-result');
    await result.waitFor({ timeout: 60_000 });
    const rate = Number(
      ((await page.getByTestId('burst-rate').textContent()) ?? '').replace(/,/g, ''),
    );
    expect(rate).toBeGreaterThan(0);
    expect(await result.textContent()).toContain('2,000 of 2,000 answered');
    const latency = (await page.getByTestId('burst-latency').textContent()) ?? '';
    expect(latency).toMatch(/p50.*p95.*p99.*max.*n\s*2,000/);
    const bars = page.getByTestId('batch-histogram').locator('li');
    expect(await bars.count()).toBeGreaterThan(0);
    expect(await bars.first().textContent()).toMatch(/size \d+/);
    console.log(
      `ort-wasm burst: ${rate} predictions/s | ${latency} | batches: ${(await page.getByTestId('batch-histogram').textContent())?.replace(/\s+/g, ' ')}`,
    );
    await expect.poll(() => page.getByTestId('queue-depth').textContent()).toBe('0');

    // Bigger batches, fewer runtime calls: the policy applies to the running endpoint.
    await page.getByLabel('Max batch size').fill('256');
    const before = await page.getByTestId('burst-rate').textContent();
    await page.getByRole('button', { name: 'Send a burst' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Send a burst' }).isEnabled())
      .toBe(true);
    await expect.poll(() => page.getByTestId('batch-histogram').textContent()).toMatch(/size 256/);
    console.log(
      `ort-wasm burst, max batch 256: ${await page.getByTestId('burst-rate').textContent()} predictions/s (was ${before} at 32) | ${(await page.getByTestId('burst-latency').textContent())?.replace(/\s+/g, ' ')}`,
    );
    await page.getByLabel('Max batch size').fill('32');
  });

  it('agrees with the reference on the test split on ort-wasm, plain-ts and tfjs-wasm', async () => {
    const { page } = s;
    expect(await page.getByTestId('agreement-tolerance').textContent()).toMatch(
      /max \|Δp\| ≤ 0.0001 and top-1 agreement ≥ 100%/,
    );
    for (const name of [
      'ONNX Runtime Web, WebAssembly',
      'TensorFlow.js, WebAssembly',
      'Plain TypeScript (reference)',
    ])
      expect(await page.getByRole('checkbox', { name }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Check agreement on the test split' }).click();
    const rows = page.getByTestId('agreement-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 90_000 }).toBe(3);
    await expect
      .poll(() =>
        page.getByRole('button', { name: 'Check agreement on the test split' }).isEnabled(),
      )
      .toBe(true);
    const table = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        runtime: tr.getAttribute('data-runtime'),
        ok: tr.getAttribute('data-ok'),
        text: tr.textContent?.replace(/\s+/g, ' '),
      })),
    );
    console.log('agreement', JSON.stringify(table));
    expect(table.map((r) => r.runtime)).toEqual(['ort-wasm', 'tfjs-wasm', 'plain-ts']);
    expect(table.every((r) => r.ok === 'true')).toBe(true);
    expect(await page.getByTestId('agreement-flag').count()).toBe(0);
  });

  it('measures single-request latency per runtime', async () => {
    const { page } = s;
    const p50: Record<string, number> = {};
    // No waiting for company: a lone request goes at once, so p50 is the worker round trip.
    await page.getByLabel('Max wait (ms)').fill('0');
    for (const runtime of ['ort-wasm', 'plain-ts', 'tfjs-wasm']) {
      await stopButton(page).click();
      expect(await start(page, runtime)).toBe(runtime);
      for (let i = 0; i < 30; i++) await sendAndWait(page, ++seq);
      await expect
        .poll(async () => (await page.getByTestId('endpoint-latency').textContent()) ?? '')
        .toMatch(/n\s*30\s*$/);
      p50[runtime] = await p50Ms(page);
    }
    console.log(
      `single request, max wait 0, end-to-end p50 (30 sends, ms): ${JSON.stringify(p50)}`,
    );
    await page.getByLabel('Max wait (ms)').fill('2');
    for (const v of Object.values(p50)) expect(v).toBeGreaterThan(0);
  });

  it('starts on ONNX Runtime WebGPU, or falls back and says why', async () => {
    const { page } = s;
    await stopButton(page).click();
    const ran = await start(page, 'ort-webgpu');
    if (ran === 'ort-webgpu') {
      expect(await page.getByTestId('fallback-reason').count()).toBe(0);
    } else {
      expect(ran).toBe('ort-wasm');
      expect(await page.getByTestId('fallback-reason').textContent()).toMatch(/Why: .+/);
    }
    console.log(
      `ort-webgpu asked, ${ran} ran: ${(await endpoint(page).textContent())?.replace(/\s+/g, ' ')}`,
    );
    if (ran === 'ort-webgpu') {
      // The opt-in download is kept by the service worker for offline use (not precached).
      const kept = await page.evaluate(async () =>
        (await (await caches.open('ort-webgpu')).keys()).map((r) => new URL(r.url).pathname),
      );
      console.log(`ort-webgpu runtime cache: ${kept.join(', ')}`);
      expect(
        kept.some((p) => /\/assets\/ort-wasm-simd-threaded\.(jsep|jspi)-.*\.wasm$/.test(p)),
      ).toBe(true);
    }
    // The first WebGPU call compiles its shaders (slow on SwiftShader, a CPU emulation of a GPU).
    expect(await sendAndWait(page, ++seq, 60_000)).toMatch(/predicted \d/);
  });

  it('has no serious axe violations and fits a phone', async () => {
    const { page } = s;
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshot(page, 'serve-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(250);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'serve-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('after a reload remembers what was served, and starts again', async () => {
    const { page } = s;
    await stopButton(page).click();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Serve & Benchmark' }).waitFor();
    await expect
      .poll(() => page.getByTestId('last-served').textContent())
      .toMatch(/Last served: digits-classifier@v1 on ort-(webgpu|wasm)/);
    expect(await start(page, 'ort-wasm')).toBe('ort-wasm');
    expect(await sendAndWait(page, 1)).toMatch(/predicted \d/);
  });

  it('breaks no CSP rule and logs no errors', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
