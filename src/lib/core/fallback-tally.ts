/**
 * The fallback chain's counters for the dashboard: how many requests each link answered (and its
 * share of all requests), how attempts failed on each link, how many requests were retried, and
 * how many got no prediction at all (refused by every link tried, or failed on all of them).
 */
import { LINK_OUTCOMES, type LinkOutcome } from './fallback';

/** How a request ended. */
export type RequestEnd =
  { kind: 'served'; link: number } | { kind: 'refused' } | { kind: 'failed' };

export type FallbackCounts = {
  /** Requests ended, whatever the end. */
  requests: number;
  /** Requests answered by each link, in chain order. */
  served: number[];
  /** `served[i] / requests` (0 when there are no requests yet). */
  shares: number[];
  /** Requests that needed more than one attempt. */
  retried: number;
  /** Requests refused by the input check of every link tried. */
  refused: number;
  /** Requests with no answer: every link tried failed, or every link was down. */
  failed: number;
  /** Attempt outcomes per link, in chain order. */
  outcomes: Record<LinkOutcome, number>[];
};

const noOutcomes = (): Record<LinkOutcome, number> =>
  Object.fromEntries(LINK_OUTCOMES.map((o) => [o, 0])) as Record<LinkOutcome, number>;

export class FallbackTally {
  readonly links: number;
  #served: number[];
  #outcomes: Record<LinkOutcome, number>[];
  #requests = 0;
  #retried = 0;
  #refused = 0;
  #failed = 0;

  /** @param links the chain's length (>= 1). */
  constructor(links: number) {
    if (!(Number.isInteger(links) && links >= 1))
      throw new Error(`a fallback chain needs at least one link, got ${links}`);
    this.links = links;
    this.#served = new Array<number>(links).fill(0);
    this.#outcomes = Array.from({ length: links }, noOutcomes);
  }

  /**
   * Counts one ended request.
   * @param attempts the links tried, in order, with each outcome.
   */
  record(end: RequestEnd, attempts: readonly { link: number; outcome: LinkOutcome }[]): void {
    this.#requests++;
    if (attempts.length > 1) this.#retried++;
    for (const { link, outcome } of attempts) this.#outcomes[link][outcome]++;
    if (end.kind === 'served') this.#served[end.link]++;
    else if (end.kind === 'refused') this.#refused++;
    else this.#failed++;
  }

  snapshot(): FallbackCounts {
    const requests = this.#requests;
    return {
      requests,
      served: [...this.#served],
      shares: this.#served.map((s) => (requests > 0 ? s / requests : 0)),
      retried: this.#retried,
      refused: this.#refused,
      failed: this.#failed,
      outcomes: this.#outcomes.map((o) => ({ ...o })),
    };
  }

  reset(): void {
    this.#requests = this.#retried = this.#refused = this.#failed = 0;
    this.#served.fill(0);
    this.#outcomes = Array.from({ length: this.links }, noOutcomes);
  }
}
