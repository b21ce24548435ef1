import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; test tools cannot download their own browser on this network. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Screenshots a person looks at: desktop and phone width. */
export const SCREENSHOT_DIR = 'test-output/screenshots';
export const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;

/** A fresh profile folder; reuse it across launches to test a browser restart. */
export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'pocket-mlops-profile-'));
}

/** Launches Chromium with a persistent profile (service workers and IndexedDB survive a restart). */
export async function launch(
  profileDir: string,
  viewport = VIEWPORTS.desktop,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: FLAGS,
    viewport,
    serviceWorkers: 'allow',
    headless: true,
  });
}

/** What a page did that a test must see: CSP violations, console errors, uncaught errors. */
export interface PageWatch {
  cspViolations: () => Promise<string[]>;
  errors: string[];
}

/**
 * Records every `securitypolicyviolation` (in window.__csp) and page error, for tests that
 * assert the CSP holds and the page is healthy.
 */
export async function watchPage(context: BrowserContext, page: Page): Promise<PageWatch> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return {
    cspViolations: () =>
      page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []),
    errors,
  };
}

/** Saves a full-page screenshot under test-output/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Waits until the service worker controls the page (after it, the app works offline). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 60_000,
  });
}
