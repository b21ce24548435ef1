/**
 * Classroom journeys in real Chromium: a malicious lesson pack imports with its content
 * neutralized (no script, no dialog, no CSP report, no request off localhost, the remote image
 * replaced by a note); three progress reports make a class table whose CSV is checked; a tampered
 * report is refused with the reason and the table stays as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs script without types
import { makeLessonPack } from '../../scripts/make-lesson-pack.mjs';
import { buildReport } from '../../src/lib/state/class-table-report';
import { openApp, type Session } from './session';
import { screenshot, VIEWPORTS } from './browser';

const file = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text),
});

describe('classroom', () => {
  let s: Session;
  const dialogs: string[] = [];
  beforeAll(async () => {
    s = await openApp();
    s.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('imports a malicious pack with its content neutralized', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/classroom`);
    await page.getByRole('heading', { level: 1, name: 'Classroom' }).waitFor();
    const pack = makeLessonPack('tests/fixtures/classroom/pack-malicious', {
      id: 'evil-pack',
      title: 'Friendly pack',
      author: 'Mallory',
    });
    await page
      .getByLabel('Import a lesson pack')
      .setInputFiles(file('evil.json', JSON.stringify(pack)));
    await expect
      .poll(() => page.getByTestId('pack-message').textContent())
      .toContain('Imported "Friendly pack"');
    await page.goto(`${s.server.url}#/lessons`);
    await page.getByRole('heading', { name: 'From your instructor: Friendly pack' }).waitFor();
    await page.getByRole('link', { name: 'A totally normal lesson' }).click();
    await page.getByRole('heading', { level: 1, name: 'A totally normal lesson' }).waitFor();
    const article = page.locator('article.lesson');
    await expect
      .poll(() => article.textContent())
      .toContain('[remote image removed: tracking pixel]');
    expect(
      await article
        .locator('script, iframe, img[src^="http"], a[href^="javascript"], a[href^="http"]')
        .count(),
    ).toBe(0);
    expect(await article.textContent()).toContain('an outside site'); // link text kept as plain text
    // Reveal the quiz's hints and solution too: they are imported markdown as well.
    const solution = page.getByRole('button', { name: /solution/i }).first();
    if (await solution.count()) await solution.click();
    await page.waitForTimeout(500);
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await s.watch.cspViolations()).toEqual([]);
    const origin = new URL(s.server.url).origin;
    expect(
      s.requested.filter(
        (u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'),
      ),
    ).toEqual([]);
  });

  it('makes a class table from three reports, refuses a tampered one, and exports CSV', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/classroom`);
    await page.getByRole('heading', { level: 2, name: 'Class table' }).waitFor();
    const ex = [
      { lessonId: 'after-the-notebook', exerciseId: 'intro.quiz-roles' },
      { lessonId: 'after-the-notebook', exerciseId: 'intro.quiz-cost' },
    ];
    const ev = (exerciseId: string, kind: 'check' | 'hint' | 'solution', passed?: boolean) => ({
      seq: 1,
      lessonId: 'after-the-notebook',
      exerciseId,
      kind,
      at: 5,
      ...(passed !== undefined && { passed }),
    });
    const t = Date.UTC(2026, 10, 25, 9);
    const reports = [
      await buildReport('Lovelace, "Ada"', ex, [ev('intro.quiz-roles', 'check', true)], t),
      await buildReport(
        '=Bob',
        ex,
        [ev('intro.quiz-roles', 'check', false), ev('intro.quiz-roles', 'solution')],
        t,
      ),
      await buildReport('Cy', ex, [], t),
    ];
    const input = page.getByLabel('Import progress reports');
    await input.setInputFiles(reports.map((r, i) => file(`r${i}.json`, JSON.stringify(r))));
    await expect.poll(() => page.locator('[data-outcome="added"]').count()).toBe(3);
    const rows = page.getByTestId('class-table').locator('tbody tr');
    expect(await rows.count()).toBe(3);

    const tampered = JSON.parse(JSON.stringify(reports[2]));
    tampered.exercises[0].status = 'passed';
    await input.setInputFiles([
      file('tampered.json', JSON.stringify(tampered)),
      file('again.json', JSON.stringify(reports[0])),
    ]);
    await expect
      .poll(() => page.locator('[data-outcome="refused"]').textContent())
      .toMatch(/tampered\.json: checksum: checksum mismatch/);
    expect(await page.locator('[data-outcome="duplicate"]').textContent()).toContain('again.json');
    expect(await rows.count()).toBe(3);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^Learner,Signed at \(UTC\),Passed,Attempted,Solutions revealed,/);
    expect(csv).toContain(`"Lovelace, ""Ada""",2026-11-25T09:00:00.000Z,1,0,0`);
    expect(csv).toContain(`'=Bob,2026-11-25T09:00:00.000Z,0,1,1`);
    expect(csv).toContain('Cy,2026-11-25T09:00:00.000Z,0,0,0');

    await screenshot(page, 'classroom-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'classroom-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
