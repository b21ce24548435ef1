import type { BrowserContext, Page } from 'playwright-core';
import { launch, newProfileDir, waitForServiceWorker, watchPage, type PageWatch } from './browser';
import { startStaticServer, type TestServer } from './static-server';

/** One learner: a server with the built app, a browser profile, and a page on the home screen. */
export interface Session {
  server: TestServer;
  profile: string;
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
  /** Every URL the browser requested (page, workers, service worker). */
  requested: string[];
  close(): Promise<void>;
}

/** Opens the app and waits until the service worker controls the page (offline-ready). */
export async function openApp(
  options: { server?: TestServer; profile?: string } = {},
): Promise<Session> {
  const server = options.server ?? (await startStaticServer());
  const profile = options.profile ?? newProfileDir();
  const context = await launch(profile);
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  const watch = await watchPage(context, page);
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await page.getByTestId('offline-status').and(page.locator('[data-status="ready"]')).waitFor();
  return {
    server,
    profile,
    context,
    page,
    watch,
    requested,
    async close() {
      await context.close();
      if (!options.server) await server.close();
    },
  };
}
