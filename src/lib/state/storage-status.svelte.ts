import {
  requestPersistence,
  storageEstimate,
  type AppDb,
  type StorageEstimateBytes,
} from '../storage';

export type PersistAnswer = 'granted' | 'denied' | 'unsupported';

/** Whether the browser keeps our data under storage pressure, and how much we use. */
export class StorageStatus {
  #persist = $state<PersistAnswer | null>(null);
  #estimate = $state.raw<StorageEstimateBytes | null>(null);
  readonly #db: AppDb;

  constructor(db: AppDb) {
    this.#db = db;
  }

  /** null until the app has asked. */
  get persist(): PersistAnswer | null {
    return this.#persist;
  }

  get estimate(): StorageEstimateBytes | null {
    return this.#estimate;
  }

  /** Asks for persistent storage (once per start; the browser remembers a grant) and measures usage. */
  async refresh(): Promise<void> {
    this.#persist = await requestPersistence(this.#db);
    this.#estimate = await storageEstimate();
  }
}
