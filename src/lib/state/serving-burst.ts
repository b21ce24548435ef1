/**
 * A load burst: `n` test split rows sent through the endpoint at once, in chunks that let the
 * browser breathe, and what it measured (predictions per second, latency, batch sizes).
 */
import type { Endpoint, PredictResult } from '../engine/endpoint';
import type { RuntimeId } from '../protocol/serve';
import type { PreparedModel } from './serving-model';
import * as ops from './serving-ops';
import type { BurstResult } from './serving-types';

/** Requests submitted per main-thread task during a burst. */
const BURST_CHUNK = 1_000;

/** Lets the browser run other tasks (input, rendering) before the next chunk. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Sends `count` requests (test split rows, repeated as needed) and waits for every answer.
 * @returns the figures, and why requests got no prediction (null when all did).
 */
export async function runBurst(
  endpoint: Pick<Endpoint, 'predict' | 'stats'>,
  model: Pick<PreparedModel, 'dataset' | 'testRows'>,
  count: number,
  runtime: RuntimeId,
): Promise<{ result: BurstResult; error: string | null }> {
  const f = model.dataset.features;
  const x = model.dataset.x;
  const inputs = ops.burstRows(model.testRows, count).map((r) => x.subarray(r * f, (r + 1) * f));
  const before = endpoint.stats.batchSizes;
  const t0 = performance.now();
  // Submitted in chunks with a yield between them: validating and queueing 100,000 requests
  // in one go blocked the main thread for over 300 ms (bench); chunks keep it under budget.
  const pending: Promise<PredictResult>[] = [];
  let peakQueueDepth = 0;
  for (let i = 0; i < inputs.length; i += BURST_CHUNK) {
    for (const input of inputs.slice(i, i + BURST_CHUNK)) pending.push(endpoint.predict(input));
    peakQueueDepth = Math.max(peakQueueDepth, endpoint.stats.queueDepth);
    if (i + BURST_CHUNK < inputs.length) await nextTask();
  }
  const results = await Promise.all(pending);
  const wallMs = performance.now() - t0;
  const answered = results.flatMap((r) => (r.ok ? [r.latencyMs] : []));
  const result: BurstResult = {
    n: count,
    answered: answered.length,
    failed: count - answered.length,
    wallMs,
    perSecond: ops.perSecond(answered.length, wallMs),
    latency: ops.summarizeLatency(answered),
    batchSizes: ops.countsSince(before, endpoint.stats.batchSizes),
    peakQueueDepth,
    runtime,
  };
  const failure = results.find((r) => !r.ok);
  const error =
    failure && !failure.ok
      ? `${result.failed} of ${count} requests got no prediction: ${failure.reason}`
      : null;
  return { result, error };
}
