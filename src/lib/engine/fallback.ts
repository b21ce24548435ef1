/**
 * The fallback chain: an ordered list of links (e.g. int8 champion endpoint -> fp32 champion
 * endpoint -> a nearest-centroid baseline in plain TypeScript) answering each request with the
 * first link that gives a valid answer in time. The policy (which link next, when a link goes
 * down and comes back) is core/fallback.ts; this class runs it: one timer per attempt, the
 * output validity check, background probes of links that are down (a probe request to a crashed
 * endpoint is also what restarts its worker), the counts for the dashboard, and a RequestLedger
 * where every request id is recorded exactly once with the version that answered it.
 */
import {
  afterAttempt,
  afterProbe,
  DEFAULT_FALLBACK_POLICY,
  fallbackPolicyProblem,
  initialHealth,
  nextLink,
  type FallbackPolicy,
  type LinkHealth,
  type LinkOutcome,
} from '../core/fallback';
import { outputProblem } from '../core/fallback-output';
import { FallbackTally, type FallbackCounts, type RequestEnd } from '../core/fallback-tally';
import { RequestLedger } from '../core/prediction-log';
import { fail } from './endpoint-requests';
import type { PredictFailure, PredictResult } from './endpoint-types';
import { isCrashReason } from './serve-client';

import {
  FAILED_VERSION,
  REFUSED_VERSION,
  type FallbackAnswer,
  type FallbackAttempt,
  type FallbackBatchAnswer,
  type FallbackChainOptions,
  type FallbackLink,
} from './fallback-types';

export type { FallbackPolicy, LinkHealth, LinkOutcome } from '../core/fallback';
export type { FallbackCounts } from '../core/fallback-tally';
export * from './fallback-types';

type Outcome = { outcome: LinkOutcome; result: PredictResult; reason?: string };

/** Stands in for a link without a batch path, so that `nextLink` skips it. */
const DOWN: LinkHealth = { ...initialHealth(), up: false };

export class FallbackChain {
  readonly links: readonly FallbackLink[];
  readonly policy: Readonly<FallbackPolicy>;
  readonly ledger: RequestLedger;
  readonly #nClasses: number;
  readonly #probeInput: unknown;
  readonly #now: () => number;
  readonly #onHealthChange: FallbackChainOptions['onHealthChange'];
  #health: LinkHealth[];
  #tally: FallbackTally;
  #probeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Ids taken and not yet answered (a repeat is refused before it is routed). */
  #open = new Set<number>();
  #disposed = false;

  /** @throws when there is no link or the policy is unusable. */
  constructor(options: FallbackChainOptions) {
    const policy = { ...DEFAULT_FALLBACK_POLICY, ...options.policy };
    const problem = fallbackPolicyProblem(policy);
    if (problem) throw new Error(`The fallback policy is unusable: ${problem}.`);
    this.links = [...options.links];
    this.#tally = new FallbackTally(this.links.length);
    this.policy = Object.freeze(policy);
    this.ledger = options.ledger ?? new RequestLedger();
    this.#nClasses = options.nClasses;
    this.#probeInput = options.probeInput;
    this.#now = options.now ?? (() => performance.now());
    this.#onHealthChange = options.onHealthChange;
    this.#health = this.links.map(initialHealth);
  }

  /** Each link's health, in chain order (copies). */
  get health(): LinkHealth[] {
    return this.#health.map((h) => ({ ...h }));
  }

  /** Requests answered per link and their shares, failures per link, retries. */
  get counts(): FallbackCounts {
    return this.#tally.snapshot();
  }

  resetCounts(): void {
    this.#tally.reset();
  }

  /**
   * Answers one request through the chain and records it in the ledger, once.
   * @param requestId a whole number in [0, 2^32), unique in this chain's ledger.
   * @throws (rejects) only when `requestId` is not such a number, or was given before.
   */
  async predict(requestId: number, input: unknown): Promise<FallbackAnswer> {
    if (!(Number.isInteger(requestId) && requestId >= 0 && requestId < 2 ** 32))
      throw new Error(`A request id must be a whole number in [0, 2^32), got ${requestId}.`);
    if (this.#open.has(requestId) || this.ledger.versionOf(requestId) !== undefined)
      throw new Error(`Request ${requestId} was already sent through the fallback chain.`);
    this.#open.add(requestId);
    const arrivedAt = this.#now();
    const tried: number[] = [];
    const attempts: FallbackAttempt[] = [];
    let last: PredictResult = fail('error', 'Every link of the fallback chain is down.');
    for (let i = nextLink(this.#health, tried, this.policy); i !== null;) {
      tried.push(i);
      const startedAt = this.#now();
      const { outcome, result, reason } = await this.#attempt(this.links[i], input);
      attempts.push({
        link: i,
        outcome,
        ...(reason ? { reason } : {}),
        ms: this.#now() - startedAt,
      });
      this.#update(i, afterAttempt(this.#health[i], outcome, this.policy, this.#now(), reason));
      if (outcome === 'ok')
        return this.#finish(requestId, arrivedAt, { kind: 'served', link: i }, result, attempts);
      last = result;
      i = nextLink(this.#health, tried, this.policy);
    }
    const refused = attempts.length > 0 && attempts.every((a) => a.outcome === 'refused');
    const end: RequestEnd = refused ? { kind: 'refused' } : { kind: 'failed' };
    return this.#finish(requestId, arrivedAt, end, last, attempts);
  }

  /**
   * The batch path: `rows` already-valid rows in one call per link, with the same rules as
   * `predict` applied to the batch: a batch that crashes, errors or runs late is retried on the
   * next link; rows with invalid probabilities are retried there on their own; every request id
   * is recorded once. Links without `predictRows` are skipped.
   * @param requestIds one per row, unique in the ledger.
   * @param x row-major `[rows, features]` (not transferred: sub-batches are copies).
   * @throws (rejects) when an id is not a whole number or was given before.
   */
  async predictBatch(
    requestIds: ArrayLike<number>,
    x: Float32Array,
    rows: number,
  ): Promise<FallbackBatchAnswer> {
    const ids = Array.from({ length: rows }, (_, r) => requestIds[r]);
    for (const id of ids) {
      if (!(Number.isInteger(id) && id >= 0 && id < 2 ** 32))
        throw new Error(`A request id must be a whole number in [0, 2^32), got ${id}.`);
      if (this.#open.has(id) || this.ledger.versionOf(id) !== undefined)
        throw new Error(`Request ${id} was already sent through the fallback chain.`);
    }
    ids.forEach((id) => this.#open.add(id));
    const k = this.#nClasses;
    const features = x.length / rows;
    const startedAt = this.#now();
    const probabilities = new Float32Array(rows * k).fill(NaN);
    const link = new Int8Array(rows).fill(-1);
    const perRow: { link: number; outcome: LinkOutcome }[][] = ids.map(() => []);
    const attempts: FallbackBatchAnswer['attempts'] = [];
    const batchHealth = () => this.#health.map((h, i) => (this.links[i].predictRows ? h : DOWN));
    let pending = ids.map((_, r) => r);
    const tried: number[] = [];
    for (let next = nextLink(batchHealth(), tried, this.policy); next !== null;) {
      const i = next; // a const, for the callbacks below
      if (pending.length === 0) break;
      tried.push(i);
      const sub = new Float32Array(pending.length * features);
      pending.forEach((r, j) =>
        sub.set(x.subarray(r * features, (r + 1) * features), j * features),
      );
      const t0 = this.#now();
      const got = await this.#attemptRows(this.links[i], sub, pending.length);
      const bad: number[] = [];
      if (got.outcome === 'ok') {
        pending.forEach((r, j) => {
          const p = got.probabilities.subarray(j * k, (j + 1) * k);
          const okRow = outputProblem(p, k) === null;
          perRow[r].push({ link: i, outcome: okRow ? 'ok' : 'invalid-output' });
          if (!okRow) return bad.push(r);
          probabilities.set(p, r * k);
          link[r] = i;
        });
      } else pending.forEach((r) => perRow[r].push({ link: i, outcome: got.outcome }));
      const outcome = got.outcome === 'ok' && bad.length > 0 ? 'invalid-output' : got.outcome;
      const reason =
        outcome === 'invalid-output' && !got.reason
          ? `${this.links[i].name} answered invalid probabilities for ${bad.length} of ${pending.length} rows`
          : got.reason;
      attempts.push({
        link: i,
        outcome,
        ...(reason ? { reason } : {}),
        ms: this.#now() - t0,
        rows: pending.length,
      });
      this.#update(i, afterAttempt(this.#health[i], outcome, this.policy, this.#now(), reason));
      if (got.outcome === 'ok') pending = bad;
      next = nextLink(batchHealth(), tried, this.policy);
    }
    const recordedAs = ids.map((id, r) => {
      const served = link[r] >= 0 ? link[r] : null;
      const end: RequestEnd =
        served !== null ? { kind: 'served', link: served } : { kind: 'failed' };
      const version = served !== null ? this.links[served].versionId : FAILED_VERSION;
      this.#open.delete(id);
      this.ledger.record(id, version);
      this.#tally.record(end, perRow[r]);
      return version;
    });
    return { probabilities, link, recordedAs, attempts, roundTripMs: this.#now() - startedAt };
  }

  /** Stops the background probes; links that are down stay down. */
  dispose(): void {
    this.#disposed = true;
    for (const timer of this.#probeTimers.values()) clearTimeout(timer);
    this.#probeTimers.clear();
  }

  /** Records an ended request in the ledger (the one place that does) and in the counts. */
  #finish(
    requestId: number,
    arrivedAt: number,
    end: RequestEnd,
    result: PredictResult,
    attempts: FallbackAttempt[],
  ): FallbackAnswer {
    this.#open.delete(requestId);
    const served = end.kind === 'served' ? end.link : null;
    const recordedAs =
      served !== null
        ? this.links[served].versionId
        : end.kind === 'refused'
          ? REFUSED_VERSION
          : FAILED_VERSION;
    this.ledger.record(requestId, recordedAs);
    this.#tally.record(end, attempts);
    const latencyMs = this.#now() - arrivedAt;
    return { requestId, result, link: served, recordedAs, attempts, latencyMs };
  }

  /** One batch attempt on one link, abandoned after `timeoutMs`. */
  async #attemptRows(
    link: FallbackLink,
    x: Float32Array,
    rows: number,
  ): Promise<{ outcome: LinkOutcome; probabilities: Float32Array; reason?: string }> {
    const controller = new AbortController();
    const none = new Float32Array(0);
    try {
      const run = link.predictRows!(x, rows, controller.signal);
      const got = await this.#beforeTimeout(run, controller);
      if (got === 'late') {
        const reason = `${link.name} gave no answer within ${this.policy.timeoutMs} ms`;
        return { outcome: 'timeout', probabilities: none, reason };
      }
      if (got.length !== rows * this.#nClasses) {
        const reason = `${link.name} answered invalid probabilities: ${got.length} values for ${rows} rows`;
        return { outcome: 'invalid-output', probabilities: none, reason };
      }
      return { outcome: 'ok', probabilities: got };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const outcome = isCrashReason(text) ? 'crashed' : 'error';
      return { outcome, probabilities: none, reason: `${link.name}: ${text}` };
    }
  }

  /** `work`'s value, or 'late' (after aborting `controller`) when `timeoutMs` passes first. */
  async #beforeTimeout<T>(work: Promise<T>, controller: AbortController): Promise<T | 'late'> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.policy.timeoutMs);
    });
    try {
      const got = await Promise.race([work, late]);
      if (got === 'late') controller.abort(); // the link drops it; a late answer is never used
      return got;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One attempt on one link, abandoned after `timeoutMs`; its outcome, classified. */
  async #attempt(link: FallbackLink, input: unknown): Promise<Outcome> {
    const controller = new AbortController();
    let result: PredictResult | 'late';
    try {
      const run = link.predict(input, { signal: controller.signal });
      result = await this.#beforeTimeout(run, controller);
    } catch (error) {
      result = fail('error', error instanceof Error ? error.message : String(error));
    }
    if (result === 'late') {
      const reason = `${link.name} gave no answer within ${this.policy.timeoutMs} ms`;
      return { outcome: 'timeout', result: fail('error', reason), reason };
    }
    if (!result.ok) return classify(link, result);
    const problem = outputProblem(result.probabilities, this.#nClasses);
    if (!problem) return { outcome: 'ok', result };
    const reason = `${link.name} answered invalid probabilities: ${problem}`;
    return { outcome: 'invalid-output', result: fail('error', reason), reason };
  }

  #update(i: number, next: LinkHealth): void {
    const was = this.#health[i];
    this.#health[i] = next;
    if (was.up === next.up) return;
    if (!next.up) this.#scheduleProbe(i);
    this.#onHealthChange?.(i, { ...next });
  }

  /** Probes a down link after `probeIntervalMs`, again and again until it is back up. */
  #scheduleProbe(i: number): void {
    if (this.#disposed || this.#probeTimers.has(i)) return;
    const timer = setTimeout(async () => {
      const { outcome } = await this.#attempt(this.links[i], this.#probeInput);
      this.#probeTimers.delete(i);
      if (this.#disposed) return;
      this.#update(i, afterProbe(this.#health[i], outcome === 'ok', this.policy));
      if (!this.#health[i].up) this.#scheduleProbe(i);
    }, this.policy.probeIntervalMs);
    this.#probeTimers.set(i, timer);
  }
}

/** A failed answer's outcome: refused input, a crashed worker, or another error. */
function classify(link: FallbackLink, result: PredictFailure): Outcome {
  const reason = `${link.name}: ${result.reason}`;
  if (result.kind === 'invalid') return { outcome: 'refused', result, reason };
  const crashed = result.kind === 'error' && isCrashReason(result.reason);
  return { outcome: crashed ? 'crashed' : 'error', result, reason };
}
