import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnnx } from '../../src/lib/core/onnx/inspect';
import { axeSerious } from './axe';
import { SCREENSHOT_DIR, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

/** Quantize a registered version four ways, register one, serve it and download it. */
describe('quantize', () => {
  let s: Session;
  const figures: Record<string, string> = {};

  const panel = (page: Page) => page.getByTestId('quantize-panel');
  const card = (page: Page) =>
    page.locator('[data-testid="model-card"][data-model="digits-classifier"]');
  const row = (page: Page, v: number) => card(page).locator(`tr[data-version="${v}"]`);

  async function openRegistry(page: Page): Promise<void> {
    await page.goto(`${s.server.url}#/registry`);
    await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
  }

  /** Sets the controls, presses Quantize, and waits for the preview of `mode`. */
  async function quantize(
    page: Page,
    mode: string,
    options: { perChannel?: boolean; rows?: number; method?: string } = {},
  ): Promise<Locator> {
    const p = panel(page);
    await p.getByLabel('Version to quantize').selectOption('digits-classifier@v1');
    await p.getByLabel('Mode').selectOption(mode);
    const box = p.getByLabel('Per-channel scales');
    if (mode !== 'fp16') await box.setChecked(options.perChannel ?? false);
    if (options.rows !== undefined)
      await p.getByLabel('Calibration rows').fill(String(options.rows));
    if (options.method) await p.getByLabel('Calibration method').selectOption(options.method);
    await p.getByRole('button', { name: 'Quantize', exact: true }).click();
    const preview = p.locator(`[data-testid="quantize-preview"][data-mode="${mode}"]`);
    await preview.waitFor({ timeout: 60_000 });
    expect(await p.getByTestId('quantize-error').count()).toBe(0);
    return preview;
  }

  /** The preview's figures; checks the file is smaller and within the mode's tolerance. */
  async function check(preview: Locator, name: string): Promise<void> {
    const num = async (attr: string) => Number(await preview.getAttribute(attr));
    const [size, parent, accuracy, fp32, top1, maxDiff] = await Promise.all(
      ['size', 'parent-size', 'accuracy', 'fp32-accuracy', 'top1', 'max-diff'].map((a) =>
        num(`data-${a}`),
      ),
    );
    figures[name] =
      `${size} B of ${parent} B (${((size / parent) * 100).toFixed(1)}%), accuracy ` +
      `${(accuracy * 100).toFixed(2)}% (${((accuracy - fp32) * 100).toFixed(2)} pt vs ${(fp32 * 100).toFixed(2)}%), ` +
      `top-1 ${(top1 * 100).toFixed(2)}%, max |dp| ${maxDiff.toExponential(2)}`;
    console.log(`${name}: ${figures[name]}`);
    expect(size).toBeLessThan(parent);
    if (name === 'fp16') expect(maxDiff).toBeLessThanOrEqual(2e-3);
    else expect(top1).toBeGreaterThanOrEqual(0.98);
    expect(await preview.getAttribute('data-ok')).toBe('true');
    expect(await preview.getByTestId('quantize-verdict').textContent()).toMatch(/Within the/);
    const bars = preview.locator('[data-testid="quant-histogram"]').first().locator('rect');
    expect(await bars.count()).toBe(30);
  }

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await panel(page).screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  }

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    console.log(`quantize figures:\n${JSON.stringify(figures, null, 2)}`);
    await s?.close();
  });

  it('trains digits and registers the run as digits-classifier v1', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/train`);
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('link', { name: 'Evaluate this run' }).waitFor({ timeout: 90_000 });
    await openRegistry(page);
    expect(await panel(page).getByTestId('quantize-no-parents').count()).toBe(1);
    const form = page.getByTestId('register-run');
    await form.getByLabel('Run to register').waitFor();
    await form.getByLabel('Model name').fill('digits-classifier');
    await form.getByRole('button', { name: 'Register', exact: true }).click();
    await expect
      .poll(() => form.getByTestId('register-message').textContent(), { timeout: 30_000 })
      .toContain('Registered digits-classifier v1');
    await panel(page).getByLabel('Version to quantize').waitFor();
  });

  it('quantizes v1 to fp16: half the bytes, max |Δp| within 2e-3', async () => {
    const preview = await quantize(s.page, 'fp16');
    await check(preview, 'fp16');
    const tensor = panel(s.page).getByLabel('Tensor', { exact: true });
    expect(await tensor.locator('option').count()).toBe(4); // weights and biases, two layers
    expect(await panel(s.page).getByTestId('szp-formula').textContent()).toContain('float16');
  });

  it('quantizes v1 to int8 weight-only per channel, and explains scale and zero point', async () => {
    const { page } = s;
    const preview = await quantize(page, 'int8-weight', { perChannel: true });
    await check(preview, 'int8-weight per-channel');
    const p = panel(page);
    await p.getByLabel('Tensor', { exact: true }).selectOption('layer1.weight');
    expect(await p.getByTestId('szp-formula').textContent()).toContain(
      'q = saturate(round(x / scale) + zp)',
    );
    expect(await p.getByTestId('szp-range').textContent()).toBe('[-127, 127]');
    expect(await p.getByTestId('szp-scale').textContent()).toMatch(
      /10 scales, one per output column/,
    );
    expect(await p.getByTestId('szp-examples').locator('tbody tr').count()).toBeGreaterThan(2);
    await page.setViewportSize(VIEWPORTS.desktop);
    await shot(page, 'quantize-desktop');
  });

  it('registers it: v2 appears, quantized from v1, with its variant', async () => {
    const { page } = s;
    const p = panel(page);
    await p.getByLabel('Note for the new version (optional)').fill('int8 per-channel candidate');
    await p.getByRole('button', { name: 'Register as a new version' }).click();
    await expect
      .poll(() => p.getByTestId('quantize-register-message').textContent())
      .toContain('Registered digits-classifier v2 (int8-weight), quantized from v1');
    await expect.poll(() => row(page, 2).count()).toBe(1);
    expect(await row(page, 2).getAttribute('data-source')).toBe('quantize');
    expect(await row(page, 2).getByTestId('version-source').textContent()).toContain(
      'quantized from v1',
    );
    expect(await row(page, 2).textContent()).toContain('int8-weight');
    expect(await p.getByRole('button', { name: 'Register as a new version' }).isDisabled()).toBe(
      true,
    );
    // Only fp32 versions can be quantized.
    expect(await p.getByLabel('Version to quantize').locator('option').count()).toBe(1);
  });

  it('quantizes v1 to int8 dynamic (MatMulInteger) within tolerance', async () => {
    const preview = await quantize(s.page, 'int8-dynamic');
    await check(preview, 'int8-dynamic');
  });

  it('quantizes v1 to int8 static, min/max on 200 train rows, within tolerance', async () => {
    const { page } = s;
    const preview = await quantize(page, 'int8-static', { rows: 200, method: 'minmax' });
    await check(preview, 'int8-static minmax 200');
    const p = panel(page);
    await p.getByLabel('Tensor', { exact: true }).selectOption('layer0.input');
    expect(await p.getByTestId('szp-range').textContent()).toBe('[0, 255]');
    const beyond = p.getByTestId('szp-examples').locator('tr[data-label="beyond the max"]');
    expect(await beyond.textContent()).toMatch(/255\s\(saturated\)/);
  });

  it('has no serious axe violations and fits a phone', async () => {
    const { page } = s;
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(250);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeSerious(page)).toEqual([]);
    await shot(page, 'quantize-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('dark theme: the panel keeps its contrast', async () => {
    const { page } = s;
    const toggle = page.getByRole('button', { name: /Colour theme/ });
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('dark'))
      await toggle.click();
    await page.waitForTimeout(200);
    expect(await axeSerious(page, ['color-contrast'])).toEqual([]);
    await shot(page, 'quantize-dark');
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('system'))
      await toggle.click();
  });

  it('downloads v2: int8 weights, parent_version and the quantization record', async () => {
    const { page } = s;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row(page, 2).getByRole('button', { name: 'Download .onnx of v2' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('digits-classifier-v2.onnx');
    const summary = readOnnx(new Uint8Array(readFileSync(await download.path())));
    expect(summary.metadata.parent_version).toBe('digits-classifier@v1');
    expect(JSON.parse(summary.metadata.quantization)).toEqual({
      mode: 'int8-weight',
      perChannel: true,
    });
    const weight = summary.initializers.find((t) => t.name === 'layer0.weight_quantized');
    expect(weight?.dataType).toBe('int8');
    expect(summary.nodes.map((n) => n.opType)).toContain('DequantizeLinear');
  });

  it('serves v2 on ONNX Runtime wasm and answers a request', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/serve`);
    await page.getByRole('heading', { level: 1, name: 'Serve & Benchmark' }).waitFor();
    const version = page.getByLabel('Model version');
    await expect.poll(() => version.locator('option').count()).toBe(2);
    await version.selectOption({ label: 'digits-classifier v2 (int8-weight)' });
    await page.getByLabel('Runtime', { exact: true }).selectOption('ort-wasm');
    await page.getByRole('button', { name: 'Start endpoint' }).click();
    const endpoint = page.getByTestId('endpoint-status');
    await expect
      .poll(() => endpoint.getAttribute('data-status'), { timeout: 90_000 })
      .toMatch(/running|failed/);
    expect(await endpoint.getAttribute('data-status')).toBe('running');
    expect(await endpoint.getAttribute('data-runtime')).toBe('ort-wasm');
    await page.getByLabel('Load a test example').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const response = page.getByTestId('serve-response');
    await expect.poll(() => response.textContent()).toContain('Request 1 (');
    const text = (await response.textContent()) ?? '';
    expect(text).toMatch(/predicted \d/);
    expect(text).toContain('Served by digits-classifier@v2');
    await page.getByRole('button', { name: 'Stop endpoint' }).click();
  });

  it('breaks no CSP rule and logs no errors', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
