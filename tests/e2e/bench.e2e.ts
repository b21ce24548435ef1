import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { SCREENSHOT_DIR, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

/** The CSV header the lab writes (src/lib/state/benchmark-export.ts). */
const CSV_HEADER =
  'created_at,version,variant,runtime,ran_as,threads,batch,n,timing,group_size,p50_ms,p95_ms,p99_ms,max_ms,mean_ms,min_ms,throughput_per_s,cold_start_ms,accuracy,size_bytes,label,slo,timer_resolution_ms,overhead_ms,browser,cores,cross_origin_isolated,wasm_simd,wasm_threads,webgpu_adapter';

const lab = (page: Page) => page.getByTestId('benchmark-lab');
const rows = (page: Page) => page.locator('[data-testid="bench-table"] tbody tr');

async function openServe(s: Session): Promise<void> {
  await s.page.goto(`${s.server.url}#/serve`);
  await s.page.getByRole('heading', { level: 1, name: 'Serve & Benchmark' }).waitFor();
  await lab(s.page).getByRole('heading', { level: 2, name: 'Benchmark lab' }).waitFor();
}

/** Screenshot of the lab alone (the Serve screen above it has its own). */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await lab(page).screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** A simple CSV reader: our fields are quoted only when they hold a comma or a quote. */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '')))
    .map((fields) => fields.slice(0, CSV_HEADER.split(',').length));
}

describe('benchmark lab', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('asks for a registered model first', async () => {
    await openServe(s);
    await lab(s.page).getByTestId('bench-no-models').waitFor();
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

  it('shows the environment and what it means for the numbers', async () => {
    const { page } = s;
    await openServe(s);
    const env = lab(page).getByTestId('bench-environment');
    await env.getByTestId('env-notes').waitFor();
    expect(await env.getByTestId('env-isolated').textContent()).toBe('yes');
    const notes = (await env.getByTestId('env-notes').textContent()) ?? '';
    expect(notes).toMatch(/cross-origin isolated: the clock steps by/);
    console.log(`environment: ${(await env.locator('dl').innerText()).replace(/\s+/g, ' ')}`);
    console.log(`notes: ${notes.replace(/\s+/g, ' ')}`);
    // Headless Chromium's WebGPU is SwiftShader: the panel must say its timings are not a GPU's.
    const gpu = (await env.getByTestId('env-webgpu').textContent()) ?? '';
    if (/swiftshader|fallback/i.test(gpu)) expect(notes).toMatch(/software fallback/);
  });

  it('runs 1 version x ort-wasm + plain-ts x batch 1 and 16 with a progress bar', async () => {
    const { page } = s;
    const form = lab(page).getByTestId('bench-form');
    const checkbox = (name: string) => form.getByRole('checkbox', { name, exact: true });
    const version = form.getByRole('checkbox', { name: /^digits-classifier v1\b/ });
    expect(await version.isChecked()).toBe(true);
    expect(await checkbox('ORT wasm (ONNX Runtime Web on WebAssembly)').isChecked()).toBe(true);
    expect(
      await checkbox('plain TS (the TypeScript forward pass, the reference)').isChecked(),
    ).toBe(true);
    expect(await checkbox('tfjs wasm (TensorFlow.js on WebAssembly)').isChecked()).toBe(false);
    for (const b of ['1', '16', '256']) expect(await checkbox(b).isChecked()).toBe(true);
    // Keyboard: Space unticks batch 256.
    await checkbox('256').focus();
    await page.keyboard.press('Space');
    expect(await checkbox('256').isChecked()).toBe(false);
    expect(await checkbox('1 thread').isChecked()).toBe(true);
    expect(await form.getByTestId('bench-plan').textContent()).toMatch(/^4 cells to measure/);

    const started = Date.now();
    await form.getByRole('button', { name: 'Run benchmark' }).click();
    await expect.poll(() => form.getByTestId('bench-status').textContent()).toMatch(/Cell|Start/);
    expect(await form.getByRole('button', { name: 'Cancel' }).isEnabled()).toBe(true);
    await expect
      .poll(() => form.getByTestId('bench-status').textContent(), { timeout: 90_000 })
      .toMatch(/Measured 4 cells\. Saved with the environment\./);
    console.log(`4 cells measured in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(
      await form.getByTestId('bench-progress').evaluate((p) => (p as HTMLProgressElement).value),
    ).toBe(1);
    expect(await form.getByTestId('bench-error').count()).toBe(0);
  });

  it('shows every cell with percentiles, n, the timing method, throughput and cold start', async () => {
    const { page } = s;
    await expect.poll(() => rows(page).count()).toBe(4);
    const table = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => ({
        runtime: tr.getAttribute('data-runtime'),
        batch: tr.getAttribute('data-batch'),
        timing: tr.getAttribute('data-timing'),
        cells: Array.from(tr.children).map((c) => (c.textContent ?? '').trim()),
      })),
    );
    for (const r of table) console.log(`cell ${r.cells.join(' | ')}`);
    expect(table.map((r) => `${r.runtime} ${r.batch}`)).toEqual([
      'ort-wasm 1',
      'ort-wasm 16',
      'plain-ts 1',
      'plain-ts 16',
    ]);
    for (const r of table) {
      const [version, variant, , threads, batch, p50, p95, p99, max, mean, n, timing] = r.cells;
      expect(version).toBe('digits-classifier v1');
      expect(variant).toBe('fp32');
      expect(threads).toBe('1');
      expect(batch).toBe(r.batch);
      for (const v of [p50, p95, p99, max, mean]) expect(v).toMatch(/^[\d.,]+ (µs|ms)$/);
      expect(Number(n.replace(/,/g, ''))).toBeGreaterThanOrEqual(100);
      expect(timing).toMatch(
        r.timing === 'per-call' ? /^per call$/ : /^percentile of group means \(\d+\/group\)$/,
      );
      expect(r.cells[12]).toMatch(/^[\d,]+\/s$/); // throughput
      expect(r.cells[13]).toMatch(/ (µs|ms)$/); // cold start
      expect(r.cells[14]).toMatch(/^\d+(\.\d+)?%$/); // accuracy on the test split
    }
  });

  it('draws latency bars, throughput and p99 against batch size, and the Pareto chart', async () => {
    const { page } = s;
    expect(await lab(page).getByTestId('latency-bars').locator('ol li').count()).toBe(4);
    for (const id of ['throughput-chart', 'p99-chart']) {
      const chart = lab(page).getByTestId(id);
      expect(await chart.locator('svg[role="img"] path').count()).toBe(2); // one line per runtime
    }
    const pareto = lab(page).getByTestId('pareto-chart');
    expect(await pareto.getByLabel('Batch size for the chart').inputValue()).toBe('1');
    expect(await pareto.locator('g.mark').count()).toBe(2);
    const onFront = await pareto.locator('g.mark[data-front="true"]').count();
    expect(onFront).toBeGreaterThanOrEqual(1);
    expect(await pareto.getByTestId('pareto-key').textContent()).toContain('on the Pareto front');
    console.log(
      `pareto at batch 1: ${(await pareto.getByTestId('pareto-key').innerText()).replace(/\n/g, ' | ')}`,
    );
    await pareto.getByLabel('Batch size for the chart').selectOption('16');
    expect(await pareto.locator('g.mark').count()).toBe(2);
  });

  it('marks the cells that meet an SLO', async () => {
    const { page } = s;
    const slo = lab(page).getByTestId('slo-form');
    await slo.getByLabel('p99 at most (ms)').fill('5');
    await slo.getByLabel('at batch size').fill('1');
    await slo.getByLabel('accuracy at least (%)').fill('90');
    await expect
      .poll(() => slo.getByTestId('slo-summary').textContent())
      .toMatch(/2 of 2\s+cells at batch 1 meet/);
    expect(await page.locator('[data-testid="bench-table"] tr[data-slo="pass"]').count()).toBe(2);
    expect(await page.locator('[data-testid="bench-table"] tr[data-slo="n/a"]').count()).toBe(2);
    console.log(`SLO: ${(await slo.getByTestId('slo-best').textContent())?.replace(/\s+/g, ' ')}`);
    // A p99 no runtime meets: nothing passes, and each miss says why.
    await slo.getByLabel('p99 at most (ms)').fill('0.000001');
    await expect.poll(() => page.locator('tr[data-slo="fail"]').count()).toBe(2);
    expect(await page.locator('tr[data-slo="fail"] td.slo').first().textContent()).toMatch(
      /misses: p99 .* is above/,
    );
    await slo.getByLabel('p99 at most (ms)').fill('5');
    await expect.poll(() => page.locator('tr[data-slo="pass"]').count()).toBe(2);
  });

  it('exports CSV (header and one row per cell) and JSON with the environment', async () => {
    const { page } = s;
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      lab(page).getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^pocket-mlops-benchmark-.*\.csv$/);
    const text = readFileSync(await csvDownload.path(), 'utf8');
    const [header, ...data] = csvRows(text);
    expect(header.join(',')).toBe(CSV_HEADER);
    expect(data).toHaveLength(4);
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    expect(data.map((r) => `${col(r, 'ran_as')} ${col(r, 'batch')}`)).toEqual([
      'ort-wasm 1',
      'ort-wasm 16',
      'plain-ts 1',
      'plain-ts 16',
    ]);
    for (const r of data) {
      expect(col(r, 'version')).toBe('digits-classifier@v1');
      expect(Number(col(r, 'p50_ms'))).toBeGreaterThan(0);
      expect(Number(col(r, 'p99_ms'))).toBeGreaterThanOrEqual(Number(col(r, 'p50_ms')));
      expect(col(r, 'cross_origin_isolated')).toBe('true');
      expect(col(r, 'slo')).toBe(col(r, 'batch') === '1' ? 'pass' : '');
      const overhead = Number(col(r, 'overhead_ms')) / Number(col(r, 'p50_ms'));
      console.log(
        `${col(r, 'ran_as')} batch ${col(r, 'batch')}: p50 ${(Number(col(r, 'p50_ms')) * 1000).toFixed(2)} µs (${col(r, 'timing')}, group ${col(r, 'group_size')}, n ${col(r, 'n')}), overhead ${(Number(col(r, 'overhead_ms')) * 1000).toFixed(3)} µs = ${(overhead * 100).toFixed(2)}% of p50, cold start ${Number(col(r, 'cold_start_ms')).toFixed(1)} ms, ${Math.round(Number(col(r, 'throughput_per_s')))} rows/s, accuracy ${col(r, 'accuracy')}, tick ${(Number(col(r, 'timer_resolution_ms')) * 1000).toFixed(1)} µs`,
      );
    }
    // The harness's own overhead is under 5% of the fp32 batch-1 p50 on ONNX Runtime.
    const ort1 = data.find((r) => col(r, 'ran_as') === 'ort-wasm' && col(r, 'batch') === '1')!;
    expect(Number(col(ort1, 'overhead_ms'))).toBeLessThan(0.05 * Number(col(ort1, 'p50_ms')));

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      lab(page).getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
    expect(json.format).toBe('pocket-mlops-benchmark');
    expect(json.cells).toHaveLength(4);
    expect(json.environment.crossOriginIsolated).toBe(true);
    expect(json.environment.notes.length).toBeGreaterThan(0);
  });

  it('has no serious axe violations and fits a phone', async () => {
    const { page } = s;
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);
    await shoot(page, 'bench-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(250);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The wide table scrolls inside its own focusable wrapper.
    const wrap = lab(page).getByTestId('bench-table-wrap');
    expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await wrap.getAttribute('tabindex')).toBe('0');
    await shoot(page, 'bench-phone');
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('dark theme: the lab keeps its contrast', async () => {
    const { page } = s;
    const toggle = page.getByRole('button', { name: /Colour theme/ });
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('dark'))
      await toggle.click();
    await page.waitForTimeout(200);
    expect(await axeSerious(page, ['color-contrast'])).toEqual([]);
    await shoot(page, 'bench-dark');
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('system'))
      await toggle.click();
  });

  it('keeps the result, the grid chosen and the SLO form after a reload', async () => {
    const { page } = s;
    await page.reload();
    await openServe(s);
    // The grid as it was left (batch 256 unticked by keyboard above) and the last valid SLO.
    const form = lab(page).getByTestId('bench-form');
    await expect
      .poll(() => form.getByRole('checkbox', { name: '256', exact: true }).isChecked())
      .toBe(false);
    expect(await form.getByRole('checkbox', { name: '16', exact: true }).isChecked()).toBe(true);
    expect(await form.getByTestId('bench-plan').textContent()).toMatch(/^4 cells to measure/);
    const slo = lab(page).getByTestId('slo-form');
    expect(await slo.getByLabel('accuracy at least (%)').inputValue()).toBe('90');
    expect(await slo.getByLabel('p99 at most (ms)').inputValue()).toBe('5');
    const items = lab(page).getByTestId('bench-history-item');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toMatch(
      /4 cells: digits-classifier v1 on ort-wasm, plain-ts/,
    );
    await expect.poll(() => rows(page).count()).toBe(4);
    expect(
      await items
        .first()
        .getByRole('button', { name: /^Shown/ })
        .isDisabled(),
    ).toBe(true);
  });

  it('cancels a run: nothing is saved', async () => {
    const { page } = s;
    const form = lab(page).getByTestId('bench-form');
    await form.getByRole('button', { name: 'Run benchmark' }).click();
    await expect.poll(() => form.getByTestId('bench-status').textContent()).toMatch(/Cell \d of 4/);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => form.getByTestId('bench-status').textContent())
      .toMatch(/Cancelled after \d cells?; nothing was saved\./);
    expect(await lab(page).getByTestId('bench-history-item').count()).toBe(1);
  });

  it('deletes a saved result', async () => {
    const { page } = s;
    const items = lab(page).getByTestId('bench-history-item');
    await items
      .first()
      .getByRole('button', { name: /^Delete/ })
      .click();
    await expect.poll(() => items.count()).toBe(0);
  });

  it('breaks no CSP rule and logs no errors', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
