import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlpToOnnx } from '../../src/lib/core/onnx/export';
import { readOnnx } from '../../src/lib/core/onnx/inspect';
import { editModel, graphOf, randomModel } from '../fixtures/onnx/models';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

/** Model registry: register runs, download and check the .onnx, move aliases, import files. */
describe('registry', () => {
  let s: Session;
  /** Run ids: [init seed 0, init seed 1]. */
  const runIds: string[] = [];
  let v1Bytes = new Uint8Array();

  const card = (page: Page) =>
    page.locator('[data-testid="model-card"][data-model="digits-classifier"]');
  const versionRows = (page: Page) => card(page).locator('[data-testid="versions-table"] tbody tr');
  const row = (page: Page, v: number) => card(page).locator(`tr[data-version="${v}"]`);
  const historyRows = (page: Page) => card(page).locator('[data-testid="history-table"] tbody tr');
  const aliasBadges = (page: Page) => card(page).getByTestId('model-aliases').textContent();
  const importMessage = (page: Page) => page.getByTestId('import-message');
  const versionsText = (page: Page) => card(page).getByTestId('versions-table').innerText();

  async function train(page: Page, seed: number): Promise<string> {
    const rows = page.locator('[data-testid="runs-table"] tbody tr');
    const before = await rows.count();
    await page.getByLabel('Initialisation seed').fill(String(seed));
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(before + 1);
    await expect
      .poll(() => rows.first().getAttribute('data-status'), { timeout: 90_000 })
      .toBe('completed');
    return (await rows.first().getAttribute('data-run-id')) ?? '';
  }

  async function register(page: Page, runId: string, expected: string): Promise<void> {
    const form = page.getByTestId('register-run');
    await form.getByLabel('Run to register').selectOption(runId);
    expect(await form.getByLabel('Model name').inputValue()).toBe('digits-classifier');
    await form.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => form.getByTestId('register-message').textContent()).toContain(expected);
  }

  async function moveAlias(page: Page, alias: string, v: number, reason: string): Promise<void> {
    const r = row(page, v);
    await r.getByRole('button', { name: `Make ${alias} (v${v})` }).click();
    const input = r.getByLabel(`Reason for moving ${alias}`);
    expect(await input.inputValue()).toBe('promoted after review');
    await input.fill(reason);
    await r.getByRole('button', { name: `Move ${alias} to v${v}` }).click();
    await expect.poll(() => aliasBadges(page)).toContain(`${alias} → v${v}`);
  }

  async function importFile(
    page: Page,
    name: string,
    buffer: Uint8Array,
    mimeType = 'application/octet-stream',
  ): Promise<Locator> {
    const tooBig = buffer.byteLength > 10 * 1024 * 1024;
    const form = page.getByTestId('import-onnx');
    await form.getByLabel('Model name').fill('digits-classifier');
    await form
      .getByLabel('Import an .onnx file')
      .setInputFiles({ name, mimeType, buffer: Buffer.from(buffer) });
    // A file over the size limit is refused as soon as it is picked, before it is read.
    if (!tooBig) await form.getByRole('button', { name: 'Import', exact: true }).click();
    await importMessage(page).waitFor();
    return importMessage(page);
  }

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('trains two digits runs with different init seeds', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/train`);
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    runIds.push(await train(page, 0));
    runIds.push(await train(page, 1));
    expect(new Set(runIds).size).toBe(2);
  });

  it('registers both runs as digits-classifier v1 and v2', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/registry`);
    await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
    await page.getByTestId('registry-empty').waitFor();
    await register(page, runIds[0], 'Registered digits-classifier v1');
    await register(page, runIds[1], 'Registered digits-classifier v2');
    await expect.poll(() => versionRows(page).count()).toBe(2);
    const link = row(page, 1).getByTestId('version-source').getByRole('link');
    expect(await link.getAttribute('href')).toBe(`#/train/runs/${runIds[0]}`);
    expect(await row(page, 2).getAttribute('data-source')).toBe('run');
  });

  it("downloads v1's .onnx: opset 13, IR 8, input [batch, 64], with the run id", async () => {
    const { page } = s;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row(page, 1).getByRole('button', { name: 'Download .onnx of v1' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('digits-classifier-v1.onnx');
    v1Bytes = new Uint8Array(readFileSync(await download.path()));
    const summary = readOnnx(v1Bytes);
    expect(summary.opsets.find((o) => o.domain === '')?.version).toBe(13);
    expect(summary.irVersion).toBe(8);
    expect(summary.inputs[0].shape).toEqual(['batch', 64]);
    expect(summary.outputs[0].shape).toEqual(['batch', 10]);
    expect(summary.metadata.run_id).toBe(runIds[0]);
    expect(summary.metadata.dataset).toBe('digits');
    expect(JSON.parse(summary.metadata.class_names)).toHaveLength(10);
    expect(summary.metadata.app_version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows the ONNX details of a version, metadata as a table', async () => {
    const { page } = s;
    await row(page, 1).getByRole('button', { name: 'Details of v1' }).click();
    const details = card(page).getByTestId('onnx-details');
    await details.waitFor();
    expect(await details.getByTestId('onnx-opset').textContent()).toBe('13');
    expect(await details.getByTestId('onnx-ir').textContent()).toBe('8');
    const runRow = details.locator('[data-testid="onnx-metadata"] tr[data-key="run_id"]');
    expect(await runRow.textContent()).toContain(runIds[0]);
    expect(await details.textContent()).toContain(
      'onnxruntime.InferenceSession(path).run(None, {"input": x})',
    );
  });

  it('moves champion to v2, then to v1, and logs both moves with their reasons', async () => {
    const { page } = s;
    await moveAlias(page, 'champion', 2, 'v2 has the better test accuracy');
    await moveAlias(page, 'champion', 1, 'v1 wins the offline review');
    await expect.poll(() => historyRows(page).count()).toBe(2);
    const [latest, first] = await historyRows(page).allInnerTexts();
    expect(latest).toMatch(/champion\s+v2 → v1\s+v1 wins the offline review\s+you/);
    expect(first).toMatch(/champion\s+none → v2\s+v2 has the better test accuracy\s+you/);
    expect(await row(page, 1).getByTestId('version-aliases').textContent()).toContain('champion');
  });

  it('rolls champion back to v2 with a reason', async () => {
    const { page } = s;
    const history = card(page).getByTestId('alias-history');
    await history.getByRole('button', { name: 'Roll back champion' }).click();
    await history.getByLabel('Reason for the rollback').fill('v1 regressed in the canary');
    await history.getByRole('button', { name: 'Roll back to v2' }).click();
    await expect.poll(() => aliasBadges(page)).toContain('champion → v2');
    await expect.poll(() => historyRows(page).count()).toBe(3);
    expect(await historyRows(page).first().innerText()).toMatch(
      /champion\s+v1 → v2\s+v1 regressed in the canary/,
    );
  });

  it('refuses to delete the champion, with the reason', async () => {
    const { page } = s;
    await row(page, 2).getByRole('button', { name: 'Delete v2' }).click();
    await expect
      .poll(() => card(page).getByTestId('model-message').textContent())
      .toMatch(/Version 2 of digits-classifier is the target of "champion"/);
    expect(await versionRows(page).count()).toBe(2);
  });

  it('compares v1 and v2 side by side', async () => {
    const { page } = s;
    const compare = card(page).getByTestId('compare-versions');
    await compare.getByLabel('First version').selectOption('1');
    await compare.getByLabel('Second version').selectOption('2');
    const table = compare.getByTestId('compare-table');
    expect(await table.locator('tr[data-label="seed"]').getAttribute('class')).toContain('differs');
    expect(await table.locator('tr[data-label="Opset"]').getAttribute('class')).not.toContain(
      'differs',
    );
    expect(await table.locator('tr[data-label="Nodes"]').textContent()).toContain('MatMul');
    expect(await table.locator('tr[data-label="layer0.weight"]').textContent()).toContain(
      '[64, 64] float32',
    );
  });

  it('imports the downloaded file back as v3, source imported', async () => {
    const { page } = s;
    const message = await importFile(page, 'digits-classifier-v1.onnx', v1Bytes);
    expect(await message.getAttribute('data-kind')).toBe('ok');
    expect(await message.textContent()).toContain('Registered digits-classifier v3');
    await expect.poll(() => versionRows(page).count()).toBe(3);
    expect(await row(page, 3).getAttribute('data-source')).toBe('import');
    expect(await row(page, 3).getByTestId('version-source').textContent()).toContain('imported');
  });

  it('refuses bad files with a clear message, and changes nothing', async () => {
    const { page } = s;
    const before = await versionsText(page);
    const half = v1Bytes.slice(0, v1Bytes.length >> 1);
    const png = new Uint8Array(readFileSync('public/icons/icon-192.png'));
    const text = new TextEncoder().encode('model weights: 0.1, 0.2, 0.3\n');
    const conv = editModel(v1Bytes, (m) => {
      const g = graphOf(m);
      g.initializer?.push({ name: 'conv.w', dataType: 1, dims: [1], floatData: [1] });
      g.node?.splice(2, 0, {
        name: 'conv1',
        opType: 'Conv',
        input: ['preprocess/scaled', 'conv.w'],
        output: ['conv.out'],
      });
    });
    const wide = mlpToOnnx(
      randomModel({
        inputSize: 30,
        sizes: [2],
        activations: ['softmax'],
        preprocess: false,
        seed: 5,
      }),
      { inputName: 'input', outputName: 'probabilities', properties: {} },
    );
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['half.onnx', half, 'application/octet-stream', /"half.onnx" was not imported: truncated/],
      ['icon.png', png, 'image/png', /"icon.png" was not imported: not an ONNX model/],
      ['notes.txt', text, 'text/plain', /"notes.txt" was not imported: not an ONNX model/],
      [
        'conv.onnx',
        conv,
        'application/octet-stream',
        /"conv.onnx" was not imported: unsupported model: operator Conv \(node 'conv1'\)/,
      ],
      [
        'cancer.onnx',
        wide,
        'application/octet-stream',
        /"cancer.onnx" was not imported: the wrong input width. Its input takes 30 features per row, but the digits data set has 64/,
      ],
      [
        'huge.onnx',
        new Uint8Array(10 * 1024 * 1024 + 1),
        'application/octet-stream',
        /"huge.onnx" was not imported: it is 10.0 MB, over the 10 MB limit/,
      ],
    ];
    for (const [name, bytes, type, expected] of cases) {
      const message = await importFile(page, name, bytes, type);
      await expect.poll(() => message.textContent()).toMatch(expected);
      expect(await message.getAttribute('data-kind')).toBe('bad');
      expect(await message.getAttribute('role')).toBe('alert');
      expect(await versionsText(page)).toBe(before);
    }
  });

  it('finds everything after a reload', async () => {
    const { page } = s;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Registry' }).waitFor();
    await expect.poll(() => versionRows(page).count()).toBe(3);
    expect(await aliasBadges(page)).toContain('champion → v2');
    expect(await historyRows(page).count()).toBe(3);
    expect(await row(page, 3).getAttribute('data-source')).toBe('import');
  });

  it('edits a note inline', async () => {
    const { page } = s;
    await row(page, 2).getByRole('button', { name: 'Edit the note of v2' }).click();
    await row(page, 2).getByLabel('Note of v2', { exact: true }).fill('best so far');
    await row(page, 2).getByRole('button', { name: 'Save note of v2' }).click();
    await expect
      .poll(() => row(page, 2).getByTestId('version-note').textContent())
      .toContain('best so far');
  });

  it('has no serious axe violations, fits a phone, and looks right', async () => {
    const { page } = s;
    await row(page, 1).getByRole('button', { name: 'Details of v1' }).click();
    await card(page).getByTestId('onnx-details').waitFor();
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshot(page, 'registry-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'registry-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('breaks no CSP rule and logs no errors', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
