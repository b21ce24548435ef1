/**
 * The persisted "last served" record of the Serve screen: which version and runtime the endpoint
 * served and how many requests it answered, saved to storage when the endpoint stops and every
 * 100 requests (so lesson checks can grade it after a reload).
 */
import type { EndpointInfo, EndpointStats } from '../engine/endpoint';
import { getMeta, setMeta, type AppDb, type Clock } from '../storage';
import { crossedMultiple } from './serving-ops';
import type { LastServed } from './serving-types';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The record as the endpoint's info and stats give it, stamped `at`. */
export function lastServedRecord(info: EndpointInfo, stats: EndpointStats, at: number): LastServed {
  return {
    versionId: info.versionId,
    runtime: info.actualRuntime,
    served: stats.served,
    rejected: stats.rejected,
    at,
  };
}

/** The record last read or saved, why saving failed, and when the next save is due. */
export class LastServedBook {
  #record = $state.raw<LastServed | null>(null);
  #saveError = $state<string | null>(null);
  /** Requests (served + rejected) at the last save, since the endpoint started. */
  #savedAtTotal = 0;
  readonly #db: AppDb;
  readonly #clock: Clock;

  constructor(db: AppDb, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  get record(): LastServed | null {
    return this.#record;
  }
  /** Why the record could not be saved, if it could not. */
  get saveError(): string | null {
    return this.#saveError;
  }

  /** Reads the saved record. @throws what storage throws. */
  async load(): Promise<void> {
    this.#record = (await getMeta(this.#db, 'lastServed')) ?? null;
  }

  /** A new endpoint started: its request count begins at 0. */
  restart(): void {
    this.#savedAtTotal = 0;
  }

  /** After requests: saves when the count crossed a multiple of 100 since the last save. */
  afterRequests(info: EndpointInfo | null, stats: EndpointStats): void {
    const total = stats.served + stats.rejected;
    if (crossedMultiple(this.#savedAtTotal, total)) this.save(info, stats);
  }

  /** Saves the record now (in the background; `saveError` says whether it failed). */
  save(info: EndpointInfo | null, stats: EndpointStats): void {
    if (!info) return;
    this.#savedAtTotal = stats.served + stats.rejected;
    const record = lastServedRecord(info, stats, this.#clock());
    this.#record = record;
    setMeta(this.#db, 'lastServed', record).then(
      () => (this.#saveError = null),
      (err: unknown) => (this.#saveError = message(err)),
    );
  }
}
