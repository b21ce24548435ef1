import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser';
import { lessonSuite } from './lesson-session';

const FILE = 'lessons/05-quantize-latency-budget.md';

/**
 * Lesson 5 graded on real quantized versions and a real benchmark: a scripted learner does each
 * exercise wrong first (a 64-unit model quantized int8 stays above 35%; a grid with one batch
 * size), then right (128 hidden units; batch 1, 16 and 256).
 */
describe('lesson: quantize and meet a latency budget', () => {
  const s = lessonSuite(FILE);
  const figures: string[] = [];
  afterAll(() => {
    console.log(`lesson 5 figures:\n${figures.join('\n')}`);
  });

  /** The check's message with white space folded: it wraps over several lines. */
  const check = async (id: string) => (await s.check(id)).replace(/\s+/g, ' ');
  const openQuantizeLesson = () =>
    s.openLesson('quantize-latency-budget', 'Quantize and meet a latency budget');

  /** Trains digits with `hidden` units on the Train screen and registers it as version `v`. */
  async function trainAndRegister(page: Page, hidden: string, v: number): Promise<void> {
    await page.goto(`${s.server.url}#/train`);
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await page.getByLabel('Hidden layers').fill(hidden);
    const status = page.getByTestId('train-status');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 90_000 })
      .toBe('completed');
    await page.goto(`${s.server.url}#/registry`);
    await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
    const form = page.getByTestId('register-run');
    await form.getByLabel('Run to register').waitFor();
    expect(await form.getByTestId('register-run-hint').textContent()).toContain(`hidden ${hidden}`);
    await form.getByLabel('Model name').fill('digits-classifier');
    await form.getByRole('button', { name: 'Register', exact: true }).click();
    await expect
      .poll(() => form.getByTestId('register-message').textContent(), { timeout: 30_000 })
      .toContain(`Registered digits-classifier v${v}`);
  }

  /** In the lesson's Quantize panel: `parent` to int8 weight-only per channel, registered. */
  async function quantizeInt8(page: Page, parent: number, v: number): Promise<void> {
    const p = page.locator('[data-widget="quantize-lab"]').getByTestId('quantize-panel');
    await p.getByLabel('Version to quantize').selectOption(`digits-classifier@v${parent}`);
    await p.getByLabel('Mode').selectOption('int8-weight');
    await p.getByLabel('Per-channel scales').setChecked(true);
    await p.getByRole('button', { name: 'Quantize', exact: true }).click();
    const preview = p.locator('[data-testid="quantize-preview"][data-mode="int8-weight"]');
    await preview.waitFor({ timeout: 60_000 });
    const ratio =
      Number(await preview.getAttribute('data-size')) /
      Number(await preview.getAttribute('data-parent-size'));
    figures.push(
      `v${parent} (${v === 2 ? '64' : '128'} hidden) int8 per channel: ${(ratio * 100).toFixed(1)}% of fp32`,
    );
    await p.getByRole('button', { name: 'Register as a new version' }).click();
    await expect
      .poll(() => p.getByTestId('quantize-register-message').textContent())
      .toContain(`Registered digits-classifier v${v} (int8-weight), quantized from v${parent}`);
  }

  /** In the lesson's Benchmark lab: exactly these runtimes and batch sizes, then Run. */
  async function runGrid(page: Page, runtimes: string[], batches: string[]): Promise<void> {
    const form = page.locator('[data-widget="bench-lab"]').getByTestId('bench-form');
    const all = {
      'ort-wasm': 'ORT wasm (ONNX Runtime Web on WebAssembly)',
      'plain-ts': 'plain TS (the TypeScript forward pass, the reference)',
    };
    for (const [key, name] of Object.entries(all))
      await form.getByRole('checkbox', { name, exact: true }).setChecked(runtimes.includes(key));
    for (const b of ['1', '4', '16', '64', '256'])
      await form.getByRole('checkbox', { name: b, exact: true }).setChecked(batches.includes(b));
    const cells = runtimes.length * batches.length;
    expect(await form.getByTestId('bench-plan').textContent()).toMatch(
      new RegExp(`^${cells} cells? to measure`),
    );
    await form.getByRole('button', { name: 'Run benchmark' }).click();
    await expect
      .poll(() => form.getByTestId('bench-status').textContent(), { timeout: 120_000 })
      .toMatch(new RegExp(`Measured ${cells} cells?\\. Saved with the environment\\.`));
  }

  it('refuses both graded exercises before anything exists, saying what to do', async () => {
    await openQuantizeLesson();
    expect(await check('opt.quantized-small')).toMatch(
      /No quantized version of an fp32 version is registered yet\. In the Quantize panel/,
    );
    expect(await check('opt.batch-under-slo')).toMatch(/No saved benchmark yet\./);
  });

  it('fails the size exercise with a 64-unit model quantized int8 (above 35%), and says why', async () => {
    await trainAndRegister(s.page, '64', 1);
    await openQuantizeLesson();
    await quantizeInt8(s.page, 1, 2);
    const message = await check('opt.quantized-small');
    figures.push(`wrong: ${message}`);
    const m = /digits-classifier@v2 \(int8-weight\), (\d+\.\d)% of its parent/.exec(message);
    expect(Number(m?.[1])).toBeGreaterThan(35);
    expect(message).toMatch(/needed at most 35\.0%/);
    expect(message).toMatch(/train a wider model \(for example 128 hidden units\)/);
  });

  it('passes it with 128 hidden units quantized int8 weight-only per channel', async () => {
    await trainAndRegister(s.page, '128', 3);
    await openQuantizeLesson();
    await quantizeInt8(s.page, 3, 4);
    const message = await check('opt.quantized-small');
    figures.push(`right: ${message}`);
    const m =
      /digits-classifier@v4 \(int8-weight\) is (\d+\.\d)% of the size of its fp32 parent v3 and loses (-?\d+\.\d) points/.exec(
        message,
      );
    expect(Number(m?.[1])).toBeLessThanOrEqual(35);
    expect(Number(m?.[2])).toBeLessThanOrEqual(1);
    expect(
      await s.exercise('opt.quantized-small').getByTestId('exercise-status').textContent(),
    ).toMatch(/[Pp]assed/);
  });

  it('fails the batch exercise with a one-batch-size grid, then passes with 1, 16 and 256', async () => {
    const { page } = s;
    await runGrid(page, ['ort-wasm'], ['1']);
    expect(await check('opt.batch-under-slo')).toMatch(
      /at most 1 batch size\(s\) for any version on one runtime; the trade-off needs at least 3/,
    );
    await runGrid(page, ['ort-wasm', 'plain-ts'], ['1', '16', '256']);
    const message = await check('opt.batch-under-slo');
    figures.push(`batch: ${message}`);
    expect(message).toMatch(/batch (1|16|256) gives the highest throughput under p99 <= 1\.000 ms/);
  });

  it('completes the lesson with the quiz, and keeps it after a reload', async () => {
    expect(await s.page.getByTestId('lesson-progress').textContent()).not.toBe('Completed');
    await s.answerQuizzesRight(['opt.quiz-int8-not-faster']);
    await s.expectCompleted();
    await screenshot(s.page, 'lesson-5-done-desktop');
    await s.expectCompletedAfterReload();
  });
});
