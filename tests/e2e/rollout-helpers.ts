import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Steps on the Registry and Roll out screens shared by rollout.e2e.ts and the lesson 8 test
 * (lesson-ship-safely.e2e.ts): two digits versions as champion and challenger, and a canary that
 * the p99 guard rolls back after injected latency. `url` is the served app's base URL.
 */

/** The registry's card of the digits-classifier model. */
export const modelCard = (page: Page) =>
  page.locator('[data-testid="model-card"][data-model="digits-classifier"]');
/** The card's row of version `v`. */
export const versionRow = (page: Page, v: number) =>
  modelCard(page).locator(`tr[data-version="${v}"]`);
/** The card's alias badges, as text ("champion → v1 ..."). */
export const aliasBadges = (page: Page) =>
  modelCard(page).getByTestId('model-aliases').textContent();

/** On the Train screen (already open): trains with this seed and hidden layers, to completion. */
export async function train(page: Page, seed: number, hidden: string): Promise<void> {
  const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run-id]');
  const before = await rows.count();
  await page.getByLabel('Initialisation seed').fill(String(seed));
  await page.getByLabel('Hidden layers').fill(hidden);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(before + 1);
  await expect
    .poll(() => rows.first().getAttribute('data-status'), { timeout: 90_000 })
    .toBe('completed');
}

/** Registers the newest run as digits-classifier; the message must contain `expected`. */
export async function register(page: Page, url: string, expected: string): Promise<void> {
  await page.goto(`${url}#/registry`);
  const form = page.getByTestId('register-run');
  await form.getByLabel('Run to register').waitFor();
  await form.getByLabel('Model name').fill('digits-classifier');
  await form.getByRole('button', { name: 'Register', exact: true }).click();
  await expect.poll(() => form.getByTestId('register-message').textContent()).toContain(expected);
}

/** Moves `alias` of digits-classifier to version `v`, with a reason. */
export async function moveAlias(page: Page, url: string, alias: string, v: number): Promise<void> {
  await page.goto(`${url}#/registry`);
  await versionRow(page, v)
    .getByRole('button', { name: `Make ${alias} (v${v})` })
    .click();
  await versionRow(page, v)
    .getByLabel(`Reason for moving ${alias}`)
    .fill(`${alias} for the roll-out`);
  await versionRow(page, v)
    .getByRole('button', { name: `Move ${alias} to v${v}` })
    .click();
  await expect.poll(() => aliasBadges(page)).toContain(`${alias} → v${v}`);
}

/**
 * Trains two digits runs (seed 1, 64 hidden units; seed 2, 32), registers them as
 * digits-classifier v1 and v2, and points champion at v1 and challenger at v2.
 */
export async function championAndChallenger(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/train`);
  await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
  await train(page, 1, '64');
  await register(page, url, 'Registered digits-classifier v1');
  await page.goto(`${url}#/train`);
  await train(page, 2, '32');
  await register(page, url, 'Registered digits-classifier v2');
  await moveAlias(page, url, 'champion', 1);
  await moveAlias(page, url, 'challenger', 2);
}

export async function openRollout(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/rollout`);
  await page.getByRole('heading', { level: 1, name: 'Roll out' }).waitFor();
  await page.getByLabel('Model', { exact: true }).waitFor();
}

/** Types a number into the field with this label and fires its change event. */
export async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.dispatchEvent('change');
}

/** A small run: 100 requests/s for 40 simulated minutes in 1-minute windows. */
export async function smallRun(page: Page, mode: RegExp): Promise<void> {
  await page.getByRole('radio', { name: mode }).check();
  await setNumber(page, 'Requests per simulated second', 100);
  await setNumber(page, 'Length (simulated minutes)', 40);
  await setNumber(page, 'Window (minutes)', 1);
  await page.getByLabel('Speed').selectOption('max');
}

/** A canary policy small enough for the small run; `p99Ratio` is the p99 guard's limit. */
export async function canaryPolicy(page: Page, p99Ratio: number): Promise<void> {
  await setNumber(page, 'Challenger requests per step', 300);
  await setNumber(page, 'Minutes per step', 2);
  await setNumber(page, 'Max p99 ratio (challenger / champion)', p99Ratio);
  await setNumber(page, 'Requests per arm before judging', 300);
  await setNumber(page, 'Labels per arm before judging', 300);
}

/** The roll-out's status ('playing', 'paused', 'done', ...). */
export const rolloutStatus = (page: Page) =>
  page.getByTestId('rollout-status').getAttribute('data-status');
/** The canary's phase ('promoted', 'rolled-back', ...). */
export const canaryPhase = (page: Page) =>
  page.getByTestId('canary-phase').getAttribute('data-phase');

/**
 * On the Roll out screen: a small canary with a x1.5 p99 guard, 30 ms injected into every
 * challenger call as soon as it plays, then run at full speed until the policy rolls it back.
 */
export async function canaryRolledBackByLatency(page: Page, url: string): Promise<void> {
  await openRollout(page, url);
  await smallRun(page, /^Canary/);
  await canaryPolicy(page, 1.5);
  // At 1 simulated minute per second, so that the fault is in before the first window closes.
  await page.getByLabel('Speed').selectOption('60');
  await page.getByRole('button', { name: 'Start roll-out' }).click();
  await expect.poll(() => rolloutStatus(page), { timeout: 60_000 }).toBe('playing');
  await page.getByLabel('Add latency to every challenger call (ms)').fill('30');
  await page.getByRole('button', { name: 'Inject latency' }).click();
  await page.getByLabel('Speed').selectOption('max');
  await expect.poll(() => canaryPhase(page), { timeout: 120_000 }).toBe('rolled-back');
}
