import { Workbox } from 'workbox-window';

/** Where the service worker stands, as the learner needs to know it. */
export type OfflineStatus = 'unsupported' | 'installing' | 'ready' | 'dev' | 'failed';

/**
 * Service worker life cycle for the UI: offline readiness and the update prompt.
 * `registerType: 'prompt'`: a waiting update is applied only when the learner asks, never by
 * itself, so a training run or a simulation is never killed by a reload.
 */
export class PwaState {
  #offline = $state<OfflineStatus>('installing');
  #updateWaiting = $state(false);
  #error = $state<string | null>(null);
  #workbox: Workbox | null = null;

  get offline(): OfflineStatus {
    return this.#offline;
  }

  get updateWaiting(): boolean {
    return this.#updateWaiting;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Registers `sw.js` in production builds; the dev server runs without a service worker. */
  async start(swUrl: string, isProduction: boolean): Promise<void> {
    if (!('serviceWorker' in navigator)) {
      this.#offline = 'unsupported';
      return;
    }
    if (!isProduction) {
      this.#offline = 'dev';
      return;
    }
    const wb = new Workbox(swUrl);
    this.#workbox = wb;
    wb.addEventListener('waiting', () => {
      this.#updateWaiting = true;
    });
    wb.addEventListener('activated', (event) => {
      // First install: the precache is complete once the worker activates.
      if (!event.isUpdate) this.#offline = 'ready';
    });
    try {
      const registration = await wb.register();
      if (registration?.active && navigator.serviceWorker.controller) this.#offline = 'ready';
      if (registration?.waiting && navigator.serviceWorker.controller) this.#updateWaiting = true;
    } catch (err) {
      this.#offline = 'failed';
      this.#error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Asks the service worker whether a new version exists (no-op offline or in dev). */
  async checkForUpdate(): Promise<void> {
    await this.#workbox?.update().catch(() => undefined);
  }

  /** Activates the waiting version and reloads once it controls the page: only on request. */
  applyUpdate(): void {
    const wb = this.#workbox;
    if (!wb) return;
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  }
}
