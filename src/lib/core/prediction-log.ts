/**
 * What a simulation remembers about its requests, in two parts with two jobs:
 * - `PredictionLog`: a bounded ring of the most recent predictions, for display (and storage,
 *   which must stay bounded: DESIGN.md "the prediction log is a bounded ring");
 * - `RequestLedger`: one entry per request id for the whole run, the version that answered it,
 *   to prove "none lost, none doubled" (CONTRACTS.md, simulator semantics). One byte per
 *   request: 1,000,000 requests cost about 1 MB.
 */

/** One prediction as the dashboard shows it. Times are simulated ms. */
export type PredictionRecord = {
  requestId: number;
  timeMs: number;
  versionId: string;
  /** Predicted class. */
  predicted: number;
  /** Top-label probability, in [0, 1]. */
  confidence: number;
  /** Simulated latency: queue wait + service time, ms. */
  latencyMs: number;
  /** Ground truth, once it has arrived. */
  label?: number;
  /** When the ground truth arrived, simulated ms. */
  labelAtMs?: number;
};

/** The last `capacity` predictions; a record can get its label later while still in the ring. */
export class PredictionLog {
  readonly capacity: number;
  #ring: (PredictionRecord | undefined)[];
  #next = 0;
  #size = 0;
  #slotOf = new Map<number, number>();

  /** @param capacity records kept (an integer >= 1); older ones are dropped first. */
  constructor(capacity = 1000) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new Error(`PredictionLog capacity must be an integer >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#ring = new Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds a record (copied), dropping the oldest when full. */
  push(record: PredictionRecord): void {
    const old = this.#ring[this.#next];
    if (old && this.#slotOf.get(old.requestId) === this.#next) this.#slotOf.delete(old.requestId);
    this.#ring[this.#next] = { ...record };
    this.#slotOf.set(record.requestId, this.#next);
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Attaches ground truth to a logged request; false when it has already left the ring. */
  setLabel(requestId: number, label: number, atMs: number): boolean {
    const slot = this.#slotOf.get(requestId);
    const rec = slot === undefined ? undefined : this.#ring[slot];
    if (!rec) return false;
    rec.label = label;
    rec.labelAtMs = atMs;
    return true;
  }

  /** The records, oldest first (copies). */
  records(): PredictionRecord[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    return Array.from({ length: this.#size }, (_, i) => ({
      ...(this.#ring[(start + i) % this.capacity] as PredictionRecord),
    }));
  }

  /** Restores a log from `records()` output (keeps the newest `capacity`). */
  static from(records: readonly PredictionRecord[], capacity = 1000): PredictionLog {
    const log = new PredictionLog(capacity);
    for (const r of records.slice(-capacity)) log.push(r);
    return log;
  }
}

/** Result of `RequestLedger.verify`. */
export type LedgerCheck = {
  ok: boolean;
  expected: number;
  recorded: number;
  /** Expected ids never recorded (at most the first 100). */
  lost: number[];
  lostCount: number;
  /** Ids recorded more than once (at most the first 100; only with onDuplicate 'flag'). */
  doubled: number[];
  doubledCount: number;
};

/**
 * Request id -> version that answered it, for a whole run, in a growable Uint8Array (0 = not
 * answered, k = versions[k - 1]); at most 255 versions per run. Ids are the traffic's dense
 * ids 0, 1, 2...
 */
export class RequestLedger {
  #slots = new Uint8Array(1024);
  #versions: string[] = [];
  #index = new Map<string, number>();
  #recorded = 0;
  #doubled: number[] = [];
  #doubledCount = 0;
  readonly onDuplicate: 'throw' | 'flag';

  /** @param onDuplicate 'throw' (default): a second answer for an id is an error; 'flag': count it. */
  constructor(options: { onDuplicate?: 'throw' | 'flag' } = {}) {
    this.onDuplicate = options.onDuplicate ?? 'throw';
  }

  /** Requests recorded (duplicates not counted). */
  get recorded(): number {
    return this.#recorded;
  }

  /**
   * Records that `versionId` answered `requestId`.
   * @throws Error on a bad id, a 256th version, or (onDuplicate 'throw') a second answer.
   */
  record(requestId: number, versionId: string): void {
    if (!(Number.isInteger(requestId) && requestId >= 0 && requestId < 2 ** 32)) {
      throw new Error(`ledger: request id must be an integer in [0, 2^32), got ${requestId}`);
    }
    let v = this.#index.get(versionId);
    if (v === undefined) {
      if (this.#versions.length >= 255) throw new Error('ledger: more than 255 versions in a run');
      this.#versions.push(versionId);
      this.#index.set(versionId, (v = this.#versions.length));
    }
    if (requestId >= this.#slots.length) {
      let n = this.#slots.length;
      while (n <= requestId) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.#slots);
      this.#slots = grown;
    }
    const prev = this.#slots[requestId];
    if (prev !== 0) {
      const msg = `ledger: request ${requestId} answered twice (by ${this.#versions[prev - 1]}, then ${versionId})`;
      if (this.onDuplicate === 'throw') throw new Error(msg);
      this.#doubledCount++;
      if (this.#doubled.length < 100) this.#doubled.push(requestId);
      return;
    }
    this.#slots[requestId] = v;
    this.#recorded++;
  }

  /** The version that answered a request, or undefined. */
  versionOf(requestId: number): string | undefined {
    const v = requestId >= 0 && requestId < this.#slots.length ? this.#slots[requestId] : 0;
    return v === 0 ? undefined : this.#versions[v - 1];
  }

  /** Expected ids that were never answered. @param expected a count n (ids 0..n-1) or a list. */
  missing(expected: number | ArrayLike<number>): number[] {
    const out: number[] = [];
    const n = typeof expected === 'number' ? expected : expected.length;
    for (let i = 0; i < n; i++) {
      const id = typeof expected === 'number' ? i : expected[i];
      if (this.versionOf(id) === undefined) out.push(id);
    }
    return out;
  }

  /** Requests answered by each version. */
  countsByVersion(): Map<string, number> {
    const counts = new Array<number>(this.#versions.length + 1).fill(0);
    for (let i = 0; i < this.#slots.length; i++) counts[this.#slots[i]]++;
    return new Map(this.#versions.map((v, k) => [v, counts[k + 1]]));
  }

  /** "None lost, none doubled" for ids 0..expected-1. */
  verify(expected: number): LedgerCheck {
    const lost = this.missing(expected);
    return {
      ok: lost.length === 0 && this.#doubledCount === 0 && this.#recorded === expected,
      expected,
      recorded: this.#recorded,
      lost: lost.slice(0, 100),
      lostCount: lost.length,
      doubled: [...this.#doubled],
      doubledCount: this.#doubledCount,
    };
  }
}
