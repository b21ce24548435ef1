/**
 * An audit of which simulated users saw which version, read from the roll-out's own request
 * ledger: the traffic stream is replayed from its config (same seed, same ids, same users) and
 * each answered request's version is looked up in the ledger. For an A/B test with a sticky
 * split, no user may appear on both arms; a canary (which hashes request ids, not users) puts
 * most users on both. Incremental: each request is read once over the whole run.
 */
import type { RequestLedger } from '../core/prediction-log';
import { createTraffic } from '../core/traffic';
import type { Traffic, TrafficConfig } from '../core/traffic';

/** Distinct users by the versions that answered them (counts of users, not requests). */
export type UserSplit = {
  /** Users with at least one answered request. */
  seen: number;
  /** Users answered only by the champion (arm A). */
  onlyA: number;
  /** Users answered only by the challenger (arm B). */
  onlyB: number;
  /** Users answered by both versions (0 for a sticky split with no failed call). */
  both: number;
};

const BATCH = 4096;

export class UserAudit {
  readonly #replay: Traffic;
  readonly #versions: readonly [string, string];
  /** Per user: bit 1 = answered by the champion, bit 2 = by the challenger. */
  readonly #seen: Uint8Array;

  /** @param config the roll-out's traffic config (`sim.traffic.config`). */
  constructor(config: Readonly<TrafficConfig>, versions: readonly [string, string]) {
    this.#replay = createTraffic(config);
    this.#versions = versions;
    this.#seen = new Uint8Array(config.users);
  }

  /** Reads the ledger for request ids below `upTo` (the requests handed out so far). */
  advance(ledger: RequestLedger, upTo: number): void {
    while (this.#replay.nextRequestId < upTo && !this.#replay.done) {
      const b = this.#replay.next(Math.min(BATCH, upTo - this.#replay.nextRequestId));
      for (let i = 0; i < b.count; i++) {
        const v = ledger.versionOf(b.requestId[i]);
        if (v === this.#versions[0]) this.#seen[b.userId[i]] |= 1;
        else if (v === this.#versions[1]) this.#seen[b.userId[i]] |= 2;
      }
    }
  }

  /** The counts so far (O(users)). */
  split(): UserSplit {
    const s: UserSplit = { seen: 0, onlyA: 0, onlyB: 0, both: 0 };
    for (const bits of this.#seen) {
      if (bits === 0) continue;
      s.seen++;
      if (bits === 1) s.onlyA++;
      else if (bits === 2) s.onlyB++;
      else s.both++;
    }
    return s;
  }
}
