import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { SCREENSHOT_DIR, VIEWPORTS } from './browser';
import {
  aliasBadges,
  canaryPhase as phase,
  canaryPolicy,
  canaryRolledBackByLatency,
  championAndChallenger,
  modelCard as card,
  openRollout as openRolloutAt,
  rolloutStatus as status,
  setNumber,
  smallRun,
} from './rollout-helpers';
import { openApp, type Session } from './session';

/**
 * The Roll out control room: two digits versions (64 and 32 hidden units) as champion and
 * challenger; a canary that promotes (champion moves, the alias history names the policy and
 * the reason), a canary that rolls back on the p99 guard after injected latency, and a shadow
 * run whose ledger shows every request answered once, by the champion. Small simulated sizes.
 */
describe('roll out', () => {
  let s: Session;
  const figures: string[] = [];
  const openRollout = (page: Page) => openRolloutAt(page, s.server.url);

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  /** Screenshots at desktop and phone width; the page never scrolls sideways at either. */
  async function shots(page: Page, name: string): Promise<void> {
    for (const [w, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      figures.push(`${name} ${w}: scrollWidth ${wide} px at ${size.width} px`);
      await shot(page, `rollout-${name}-${w}`);
      expect(wide, `${name} at ${w}`).toBeLessThanOrEqual(size.width);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  /** Lesson 8's check on the saved decision log: its message after one more press. */
  async function lessonCheck(page: Page): Promise<string> {
    await page.goto(`${s.server.url}#/lessons/ship-safely`);
    const ex = page.locator('[data-exercise="ship.canary-guard-rollback"]');
    const result = ex.getByTestId('check-result');
    await ex.getByRole('button', { name: 'Check my work' }).click();
    await expect.poll(() => result.getAttribute('data-checks')).toBe('1');
    return (await result.textContent()) ?? '';
  }

  /** Tab from the heading to the end of the screen: each stop's name, and whether it shows focus. */
  async function tabStops(page: Page): Promise<string[]> {
    await page.getByRole('heading', { level: 1, name: 'Roll out' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || !el.closest('section.rollout')) return null;
        const name =
          el.getAttribute('aria-label') ??
          (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
          el.closest('label')?.textContent ??
          el.textContent;
        const style = getComputedStyle(el);
        const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        return `${el.tagName.toLowerCase()}:${(name ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}${visible ? '' : ' (NO FOCUS RING)'}`;
      });
      if (stop === null) break;
      stops.push(stop);
    }
    return stops;
  }

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    console.log(`rollout figures:\n${figures.join('\n')}`);
    await s?.close();
  });

  it('trains and registers two digits versions, champion v1 and challenger v2', async () => {
    const { page } = s;
    await championAndChallenger(page, s.server.url);
    await openRollout(page);
    expect(await page.getByTestId('rollout-pair').textContent()).toMatch(
      /champion\s+v1 \(fp32\), challenger\s+v2 \(fp32\)/,
    );
    expect(await page.getByTestId('rollout-refusal').count()).toBe(0);
    await shots(page, 'setup');
    // Keyboard only: every control is a tab stop, in reading order, with a visible focus ring.
    const stops = await tabStops(page);
    figures.push(`tab stops: ${stops.join(' | ')}`);
    expect(stops.filter((t) => t.includes('NO FOCUS RING'))).toEqual([]);
    const at = (re: RegExp) => stops.findIndex((t) => re.test(t));
    const order = [/^select:Model/, /^input:Canary/, /^input:Seed/, /^input:Canary steps/];
    const rest = [/^button:Start roll-out/, /^select:Speed/, /^input:Add latency/];
    const idx = [...order, ...rest, /^input:Reason for a rollback/].map(at);
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });

  it('a canary walks 1 -> 5 -> 25 -> 100% and promotes: champion moves, by the policy', async () => {
    const { page } = s;
    await smallRun(page, /^Canary/);
    await canaryPolicy(page, 3);
    await page.getByLabel('Speed').selectOption('60');
    await page.getByRole('button', { name: 'Start roll-out' }).click();
    await page.getByTestId('canary-windows').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status(page)).toBe('paused');
    await shots(page, 'canary-running');
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
    expect(await phase(page)).toBe('promoted');
    const events = await page.getByTestId('rollout-events').innerText();
    expect(events).toMatch(/step up to 5%/);
    expect(events).toMatch(/step up to 25%/);
    expect(events).toMatch(/rollout policy moved champion from v1 to v2/);
    const ledger = page.getByTestId('rollout-ledger');
    expect(await ledger.getAttribute('data-lost')).toBe('0');
    expect(await ledger.getAttribute('data-doubled')).toBe('0');
    figures.push(`promote: ${(await ledger.textContent())?.replace(/\s+/g, ' ')}`);
    const guards = page.getByTestId('canary-windows');
    expect(await guards.locator('tr[data-kind="promote-full"]').count()).toBe(1);
    await shots(page, 'canary-promoted');
    expect(await axeSerious(page)).toEqual([]);
    // The registry: champion now on v2, the move logged with the policy's reason.
    await page.goto(`${s.server.url}#/registry`);
    await expect.poll(() => aliasBadges(page)).toContain('champion → v2');
    const latest = await card(page)
      .locator('[data-testid="history-table"] tbody tr')
      .first()
      .innerText();
    expect(latest).toMatch(/champion\s+v1 → v2\s+canary passed: guards held .*\s+policy/);
  });

  it('a manual rollback moves champion back to v1 with the reason', async () => {
    const { page } = s;
    await openRollout(page);
    await page.getByLabel('Reason for a rollback').fill('v2 promoted by the drill, undo');
    await page.getByRole('button', { name: 'Roll back champion to v1' }).click();
    await expect
      .poll(() => page.getByTestId('rollout-pair').textContent())
      .toMatch(/champion\s+v1/);
    await page.goto(`${s.server.url}#/registry`);
    const latest = await card(page)
      .locator('[data-testid="history-table"] tbody tr')
      .first()
      .innerText();
    expect(latest).toMatch(/champion\s+v2 → v1\s+v2 promoted by the drill, undo\s+you/);
    // The lesson's check: a promotion with no fault is the happy path, not the exercise.
    expect(await lessonCheck(page)).toMatch(/promoted with every guard holding.*inject latency/);
  });

  it('a canary with 30 ms injected into each challenger call rolls back on the p99 guard', async () => {
    const { page } = s;
    await canaryRolledBackByLatency(page, s.server.url);
    const events = await page.getByTestId('rollout-events').innerText();
    expect(events).toMatch(/Injected 30 ms of latency/);
    expect(events).toMatch(/Automatic rollback: guard broken at \d+%: p99 .* \(limit x1\.5\)/);
    const p99 = page.locator('[data-testid="guard-table"] tr[data-guard="p99 latency"]');
    expect(await p99.getAttribute('data-status')).toBe('broken');
    figures.push(`rollback: ${(await p99.innerText()).replace(/\s+/g, ' ')}`);
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
    expect(await page.getByTestId('rollout-ledger').getAttribute('data-lost')).toBe('0');
    expect(await page.getByTestId('rollout-status').textContent()).toMatch(/v1 answers every/);
    await shots(page, 'canary-rolled-back');
    const verdict = await lessonCheck(page);
    figures.push(`lesson check: ${verdict}`);
    expect(verdict).toMatch(/caught the fault by itself: Automatic rollback: guard broken/);
  });

  it('shadow: agreement shown, every request answered once and by the champion', async () => {
    const { page } = s;
    await openRollout(page);
    await smallRun(page, /^Shadow/);
    await setNumber(page, 'Length (simulated minutes)', 10);
    await page.getByRole('button', { name: 'Start roll-out' }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
    const agreement = page.getByTestId('shadow-agreement');
    const share = Number(await agreement.getAttribute('data-share'));
    expect(share).toBeGreaterThan(0.9); // two good digits models mostly agree
    expect(Number(await agreement.getAttribute('data-compared'))).toBeGreaterThan(20_000);
    const ledger = await page.getByTestId('rollout-ledger').innerText();
    expect(ledger).toMatch(/0 lost, 0 answered twice; answered by v1 [\d,]+\./);
    expect(ledger).not.toMatch(/v2 \d/);
    figures.push(`shadow: agreement ${(share * 100).toFixed(2)}%; ${ledger.replace(/\s+/g, ' ')}`);
    await shots(page, 'shadow');
  });

  it('keeps the last decision log across a reload', async () => {
    const { page } = s;
    await page.reload();
    await openRollout(page);
    const saved = page.getByTestId('rollout-saved-events');
    await saved.waitFor();
    expect(await saved.innerText()).toMatch(/Shadow started: champion v1, challenger v2/);
  });

  it('A/B, driven by the keyboard alone: sticky users, provisional then final at the plan', async () => {
    const { page } = s;
    await openRollout(page);
    const kb = page.keyboard;
    /** Focuses a field with Tab-reachable focus(), types a value, and Tabs away (change fires). */
    const type = async (label: string, value: string) => {
      await page.getByLabel(label, { exact: true }).focus();
      await kb.press('ControlOrMeta+A');
      await kb.type(value);
      await kb.press('Tab');
    };
    // Both versions are healthy (no fault); the strategy radios move with the arrow keys.
    await page.getByRole('radio', { name: /^Shadow/ }).focus();
    await kb.press('ArrowDown');
    expect(await page.getByRole('radio', { name: /^A\/B test/ }).isChecked()).toBe(true);
    await type('Requests per simulated second', '20');
    await type('Length (simulated minutes)', '40');
    await type('Window (minutes)', '1');
    await type('Users in arm B (challenger), %', '50');
    await type('Minimum detectable effect (points)', '1');
    await page.getByLabel('Speed').focus();
    await page.getByLabel('Speed').selectOption('60'); // a native select: arrows also change it
    await page.getByRole('button', { name: 'Start roll-out' }).focus();
    await kb.press('Enter');
    const result = page.getByTestId('ab-result');
    await result.waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause' }).focus();
    await kb.press('Space');
    await expect.poll(() => status(page)).toBe('paused');
    // Before the plan: the verdict is provisional and the peeking warning is on screen.
    expect(await result.getAttribute('data-provisional')).toBe('true');
    expect(await result.innerText()).toMatch(/^Provisional/);
    expect(await page.getByTestId('ab-peeking').innerText()).toMatch(/peeking/);
    await shots(page, 'ab-provisional');
    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Resume' }).focus();
    await kb.press('Enter');
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('done');
    // At the plan: final, with p, B − A and its 95% CI as numbers, shown with their units.
    expect(await result.getAttribute('data-provisional')).toBe('false');
    const text = await result.innerText();
    expect(text).toMatch(/^Final: (a|no) significant difference at the 5% level/);
    const [p, diff, lo, hi] = await Promise.all(
      ['data-p', 'data-diff', 'data-ci-low', 'data-ci-high'].map(async (a) =>
        Number(await result.getAttribute(a)),
      ),
    );
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThanOrEqual(1);
    expect(lo).toBeLessThan(diff);
    expect(hi).toBeGreaterThan(diff);
    expect(text).toContain(`${diff >= 0 ? '+' : ''}${(diff * 100).toFixed(2)} points`);
    expect(text).toMatch(
      /95% confidence interval of B − A\s+[+-]\d+\.\d\d points to [+-]\d+\.\d\d points/,
    );
    expect(text).toMatch(/p-value \(two-sided\)\s+\d/);
    expect(await page.getByTestId('ab-peeking').count()).toBe(0);
    const planned = Number(await page.getByTestId('ab-progress').getAttribute('data-planned'));
    const arm = (a: string) => page.locator(`[data-testid="ab-arms"] tr[data-arm="${a}"]`);
    const labels = await Promise.all(
      ['A', 'B'].map(async (a) => Number(await arm(a).getAttribute('data-labels'))),
    );
    expect(Math.min(...labels)).toBeGreaterThanOrEqual(planned);
    // Sticky: every user seen is on exactly one arm (the audit replays the ledger).
    const users = page.getByTestId('ab-users');
    const [seen, onlyA, onlyB, both] = await Promise.all(
      ['data-seen', 'data-only-a', 'data-only-b', 'data-both'].map(async (a) =>
        Number(await users.getAttribute(a)),
      ),
    );
    expect(both).toBe(0);
    expect(onlyA + onlyB).toBe(seen);
    expect(Math.min(onlyA, onlyB)).toBeGreaterThan(seen * 0.4);
    expect(Number(await arm('A').getAttribute('data-users'))).toBe(onlyA);
    const ledger = page.getByTestId('rollout-ledger');
    expect(await ledger.getAttribute('data-lost')).toBe('0');
    expect(await ledger.innerText()).not.toMatch(/Failed challenger calls/);
    figures.push(
      `ab: planned ${planned}/arm, labels ${labels.join(' / ')}, users ${onlyA} + ${onlyB} (both ${both}); ${text.replace(/\s+/g, ' ')}`,
    );
    await shots(page, 'ab-final');
    expect(await axeSerious(page)).toEqual([]);
  });
});
