import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

async function phoneOverflow(page: Page): Promise<number> {
  await page.setViewportSize(VIEWPORTS.phone);
  await page.waitForTimeout(250);
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Trains a run with the Train screen's defaults on `dataset` and opens its evaluation.
 * @returns the test accuracy (percent) the Train screen showed.
 */
async function trainAndEvaluate(s: Session, dataset: 'digits' | 'breast_cancer'): Promise<number> {
  const { page } = s;
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto(`${s.server.url}#/train`);
  await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
  await page.getByLabel('Data set').selectOption(dataset);
  const link = page.getByRole('link', { name: 'Evaluate this run' });
  const before = (await link.count()) > 0 ? await link.getAttribute('href') : null;
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(async () => ((await link.count()) > 0 ? await link.getAttribute('href') : null), {
      timeout: 90_000,
    })
    .not.toBe(before);
  const summary = (await page.getByTestId('run-summary').textContent()) ?? '';
  const m = /Test accuracy ([\d.]+)%/.exec(summary);
  expect(m, `run summary: ${summary}`).not.toBeNull();
  await link.click();
  await page.getByRole('heading', { level: 1, name: /^Evaluate run/ }).waitFor();
  await page.getByTestId('accuracy').waitFor();
  return Number(m?.[1]);
}

const percent = async (page: Page, testId: string) =>
  Number(/([\d.]+)%/.exec((await page.getByTestId(testId).textContent()) ?? '')?.[1]);

describe('evaluate a run', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('tells what is wrong for an unknown run id', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/train/runs/run-nope`);
    await page.getByRole('heading', { level: 1, name: 'Evaluate run run-nope' }).waitFor();
    await expect
      .poll(() => page.getByTestId('evaluate-error').textContent())
      .toMatch(/no run with id “run-nope”/);
  });

  it('digits: metrics, confusion cell examples, the digit pad by mouse and keyboard', async () => {
    const { page } = s;
    const trainAccuracy = await trainAndEvaluate(s, 'digits');
    // The same test predictions, so the same accuracy as the Train screen showed.
    expect(Math.abs((await percent(page, 'accuracy')) - trainAccuracy)).toBeLessThanOrEqual(0.05);
    expect(Math.abs((await percent(page, 'header-accuracy')) - trainAccuracy)).toBeLessThan(0.05);
    const reportRows = page.getByTestId('report-table').locator('tbody tr');
    expect(await reportRows.count()).toBe(12); // 10 digits + macro + weighted

    // An off-diagonal cell opens its misclassified examples, drawn on canvases.
    const cells = page.getByTestId('confusion-matrix').getByRole('button');
    expect(await cells.count()).toBeGreaterThan(0);
    const cell = cells.first();
    const count = Number(await cell.textContent());
    await cell.click();
    expect(await cell.getAttribute('aria-pressed')).toBe('true');
    const canvases = page.getByTestId('example-gallery').locator('canvas');
    await expect.poll(() => canvases.count()).toBe(Math.min(count, 48));
    expect(await canvases.first().getAttribute('aria-label')).toMatch(
      /^digit, true \d, predicted \d, confidence (0\.\d\d|1\.00)$/,
    );
    expect(await page.getByTestId('cell-status').textContent()).toMatch(/predicted as \d/);

    // Draw a vertical stroke (a "1") with the mouse: the probabilities change.
    const probs = page.getByTestId('digit-probabilities');
    const prediction = page.getByTestId('digit-prediction');
    await page.getByRole('button', { name: 'Clear' }).click();
    const blankProbs = await probs.textContent();
    expect(await prediction.textContent()).toMatch(/Blank pad/);
    const pad = page.getByTestId('digit-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.85, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => probs.textContent()).not.toBe(blankProbs);
    expect(await prediction.textContent()).toMatch(/^\s*Prediction: \d with probability/);
    const inked = await page
      .getByTestId('digit-cells')
      .getByRole('button')
      .evaluateAll((els) => els.filter((e) => e.textContent?.trim() !== '0').length);
    expect(inked).toBeGreaterThanOrEqual(5);

    // Keyboard: arrows move between the 8×8 cells, Space and Enter cycle 0 -> 8 -> 16.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => probs.textContent()).toBe(blankProbs);
    const first = page.getByTestId('digit-cells').getByRole('button').first();
    await first.focus();
    for (const k of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown']) {
      await page.keyboard.press(k);
    }
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(await focused()).toBe('Row 3, column 4: 0 of 16');
    await page.keyboard.press('Space');
    expect(await focused()).toBe('Row 3, column 4: 8 of 16');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Row 3, column 4: 16 of 16');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.keyboard.press('Space');
    expect(await focused()).toBe('Row 4, column 4: 16 of 16');
    await expect.poll(() => probs.textContent()).not.toBe(blankProbs);
    // One tab stop for the whole grid (roving tabindex).
    expect(await page.getByTestId('digit-cells').locator('button[tabindex="0"]').count()).toBe(1);

    // Load a test example: the live prediction agrees with the one saved at training time.
    await page.getByLabel('Load a test example').selectOption({ index: 1 });
    const note = (await page.getByTestId('loaded-note').textContent()) ?? '';
    const saved = /the model said (\d)/.exec(note)?.[1];
    expect(saved, note).toBeDefined();
    expect(await prediction.textContent()).toMatch(new RegExp(`Prediction: ${saved} `));

    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'evaluate-digits-desktop');
    expect(await phoneOverflow(page)).toBeLessThanOrEqual(0);
    // At 390 px the per-class table and the 10×10 matrix fit without scrolling sideways.
    for (const id of ['report-table', 'confusion-matrix']) {
      const hidden = await page.getByTestId(id).evaluate((el) => {
        const wrap = el.closest('.wrap') ?? el.querySelector('.wrap') ?? el;
        return wrap.scrollWidth - wrap.clientWidth;
      });
      expect(hidden, id).toBeLessThanOrEqual(0);
    }
    await screenshot(page, 'evaluate-digits-phone');
    expect(await s.watch.cspViolations()).toEqual([]);
  });

  it('breast cancer: the threshold moves the matrix, precision and recall; saving keeps it', async () => {
    const { page } = s;
    await trainAndEvaluate(s, 'breast_cancer');
    const slider = page.getByLabel('Decision threshold on P(malignant)');
    expect(await slider.inputValue()).toBe('0.5');
    const value = page.getByTestId('threshold-value');
    const recall = page.getByTestId('recall');
    const precision = page.getByTestId('precision');
    const matrix = page.getByTestId('threshold-matrix');
    expect(await value.textContent()).toBe('0.50');
    const matrixAtHalf = await matrix.locator('tbody').textContent();
    const figures = (await page.getByTestId('threshold-figures').textContent()) ?? '';
    const positives = Number(/of (\d+) malignant found/.exec(figures)?.[1]);
    expect(positives).toBeGreaterThan(0);
    expect(await page.getByText(/^ROC curve, AUC (0|1)\.\d{3}$/).count()).toBe(1);
    expect(
      await page.getByText(/^Precision-recall curve, average precision (0|1)\.\d{3}$/).count(),
    ).toBe(1);

    // Home: threshold 0 flags every case, so recall is 1 and precision the share of malignant.
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => value.textContent()).toBe('0.00');
    expect(await recall.textContent()).toBe('1.000');
    const n = Number(
      /on (\d+) test cases/.exec((await page.getByTestId('total-cost').textContent()) ?? '')?.[1],
    );
    expect(Number(await precision.textContent())).toBeCloseTo(positives / n, 3);
    expect(await matrix.locator('tbody').textContent()).not.toBe(matrixAtHalf);

    // Arrow keys: 30 steps of 0.01 up to 0.30; the cost follows the FN/FP costs.
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => value.textContent()).toBe('0.30');
    const fnCost = page.getByLabel(/False negative/);
    expect(await fnCost.inputValue()).toBe('5');
    await fnCost.fill('50');
    await expect.poll(() => page.getByTestId('total-cost').textContent()).toMatch(/× 50 =/);

    await page.getByRole('button', { name: 'Save this threshold' }).click();
    await expect
      .poll(() => page.getByTestId('save-status').textContent())
      .toMatch(/Saved: threshold 0\.30/);

    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'evaluate-cancer-desktop');
    expect(await phoneOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'evaluate-cancer-phone');

    // After a reload the run keeps the saved threshold.
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Evaluate run/ }).waitFor();
    await expect.poll(() => value.textContent()).toBe('0.30');
    expect(await slider.inputValue()).toBe('0.3');
    expect(await page.getByTestId('save-status').textContent()).toMatch(/Saved: threshold 0\.30/);

    // Tabular mistakes: a table of the 30 named features.
    const cell = page.getByTestId('confusion-matrix').getByRole('button').first();
    if ((await cell.count()) > 0) {
      await cell.click();
      const table = page.getByTestId('example-table');
      await table.waitFor();
      expect(await table.locator('tbody tr').count()).toBe(30);
      expect(await table.locator('tbody th').first().textContent()).toBe('mean radius');
    }

    expect(await s.watch.cspViolations()).toEqual([]);
  });

  it('dark theme: the evaluation keeps its contrast', async () => {
    const { page } = s;
    await page.setViewportSize(VIEWPORTS.desktop);
    const toggle = page.getByRole('button', { name: /Colour theme/ });
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('dark')) {
      await toggle.click();
    }
    await page.waitForTimeout(200);
    expect(await axeSerious(page, ['color-contrast'])).toEqual([]);
    await screenshot(page, 'evaluate-cancer-dark');
    expect(s.watch.errors).toEqual([]);
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('system')) {
      await toggle.click();
    }
  });
});
