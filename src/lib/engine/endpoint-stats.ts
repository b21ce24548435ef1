/**
 * The endpoint's bookkeeping: requests served, refused, failed and aborted, worker restarts,
 * batches sent by size, and the end-to-end latencies of the last served requests (a bounded
 * ring). `Endpoint` counts into it and hands out copies as `EndpointStats`.
 */
import { LatencyRing } from '../core/latency-ring';

export type EndpointStats = {
  served: number;
  /** Refused by validation. */
  rejected: number;
  /** Failed in the runtime or worker. */
  errors: number;
  aborted: number;
  /** Worker restarts after a crash or an idle shutdown. */
  restarts: number;
  queueDepth: number;
  /** Requests in the batch now running. */
  inFlight: number;
  /** Number of batches sent, by batch size. */
  batchSizes: Record<number, number>;
  /** End-to-end latencies of the last served requests (up to 2,000), oldest first, ms. */
  latencyMs: number[];
};

/** The counters other than `served` (which also records a latency sample). */
export type EndpointCounter = 'rejected' | 'errors' | 'aborted' | 'restarts';

const zero = () => ({ served: 0, rejected: 0, errors: 0, aborted: 0, restarts: 0 });

/** Counters, the batch size histogram and latency samples of one endpoint. */
export class EndpointCounters {
  #counts = zero();
  #batchSizes: Record<number, number> = {};
  readonly #latency: LatencyRing;

  /** @param latencySamples how many latency samples are kept. */
  constructor(latencySamples: number) {
    this.#latency = new LatencyRing(latencySamples);
  }

  /** One request answered with a prediction, `latencyMs` end to end. */
  served(latencyMs: number): void {
    this.#counts.served++;
    this.#latency.push(latencyMs);
  }

  /** One more request refused, failed or aborted, or one more worker restart. */
  count(counter: EndpointCounter): void {
    this.#counts[counter]++;
  }

  /** One batch of `size` requests sent to the worker. */
  batch(size: number): void {
    this.#batchSizes[size] = (this.#batchSizes[size] ?? 0) + 1;
  }

  /** A copy of everything counted, with the queue's figures of the moment. */
  snapshot(queue: { queueDepth: number; inFlight: number }): EndpointStats {
    return {
      ...this.#counts,
      queueDepth: queue.queueDepth,
      inFlight: queue.inFlight,
      batchSizes: { ...this.#batchSizes },
      latencyMs: this.#latency.values(),
    };
  }

  /** Clears the counters, histogram and latency samples. */
  reset(): void {
    this.#counts = zero();
    this.#batchSizes = {};
    this.#latency.clear();
  }
}
