/**
 * One session of the fallback lab, not reactive (the lab's state class copies `view()` into
 * runes): two real endpoints (ONNX Runtime Web in workers) and a nearest-centroid baseline fitted
 * on the training split, in one FallbackChain; test-split traffic in bursts with dense request ids
 * 0, 1, 2...; per link the latencies and correct answers; the faults injected. The ledger is the
 * chain's RequestLedger, set to count (not throw on) a second answer so the verdict can show it.
 * Imported lazily (it carries the engine and the model loader).
 */
import { DEFAULT_SPLIT, stratifiedSplit } from '../core/data';
import { LatencyRing } from '../core/latency-ring';
import { summarize, type LatencySummary } from '../core/latency';
import { RequestLedger } from '../core/prediction-log';
import { gatherRows } from '../core/preprocess';
import { Endpoint } from '../engine/endpoint';
import {
  FAILED_VERSION,
  FallbackChain,
  REFUSED_VERSION,
  type FallbackAnswer,
  type LinkHealth,
} from '../engine/fallback';
import { endpointLink, fitCentroidLink, probeRow } from '../engine/fallback-links';
import type { ServeFault } from '../protocol/serve';
import { getRun, getVersion, type AppDb } from '../storage';
import { faultLabel, ledgerVerdict, type LedgerVerdict } from './fallback-lab';
import { prepareVersion, type PreparedModel } from './serving-model';

/** Latency samples kept per link. */
const SAMPLES = 5000;

/** One link as the lab shows it. Counts of requests; latencies in ms; accuracy a fraction. */
export type LinkView = {
  name: string;
  versionId: string;
  health: LinkHealth;
  served: number;
  /** `served / requests`. */
  share: number;
  /** Requests this link answered after an earlier link failed them. */
  retriedOnto: number;
  timeouts: number;
  crashes: number;
  /** Error and invalid-output attempts. */
  otherFailures: number;
  /** End to end, retries included, of the requests it answered (the last 5,000). */
  latency: LatencySummary | null;
  /** Correct answers / answers, vs the test labels; null before any. */
  accuracy: number | null;
};

export type LabView = {
  links: LinkView[];
  verdict: LedgerVerdict;
  retried: number;
  servedByFallback: number;
  accuracy: number | null;
  faults: string[];
  /** Probes the chain's policy needs to bring a link back (for "probing 1 of 3"). */
  probesToClose: number;
  timeoutMs: number;
};

export class FallbackLabRun {
  readonly chain: FallbackChain;
  readonly #endpoints: Endpoint[];
  readonly #traffic: PreparedModel;
  readonly #latency: LatencyRing[];
  readonly #correct: number[];
  readonly #retriedOnto: number[];
  #answered = 0;
  #correctAll = 0;
  #next = 0;
  /** Ids below this have all been answered (the verdict covers them). */
  #settled = 0;
  #faults: string[] = [];

  private constructor(chain: FallbackChain, endpoints: Endpoint[], traffic: PreparedModel) {
    this.chain = chain;
    this.#endpoints = endpoints;
    this.#traffic = traffic;
    const n = chain.links.length;
    this.#latency = Array.from({ length: n }, () => new LatencyRing(SAMPLES));
    this.#correct = new Array<number>(n).fill(0);
    this.#retriedOnto = new Array<number>(n).fill(0);
  }

  /**
   * Loads both versions, fits the baseline and starts both endpoints on ONNX Runtime Web (wasm).
   * @param onHealthChange called when a link goes down or comes back up.
   * @throws when a version cannot be loaded or an endpoint does not start (both are stopped).
   */
  static async start(
    db: AppDb,
    primaryId: string,
    secondaryId: string,
    onHealthChange: () => void,
  ): Promise<FallbackLabRun> {
    const [primary, secondary] = await Promise.all([
      prepareVersion(db, primaryId),
      prepareVersion(db, secondaryId),
    ]);
    if (primary.schema.features !== secondary.schema.features)
      throw new Error(
        `${primaryId} takes ${primary.schema.features} features and ${secondaryId} takes ${secondary.schema.features}: they cannot answer the same requests.`,
      );
    const train = await trainingRows(db, secondaryId, secondary);
    const baseline = fitCentroidLink(train.x, train.y, secondary.schema);
    const endpoints = [new Endpoint(), new Endpoint()];
    try {
      await Promise.all(
        [primary, secondary].map((m, i) =>
          endpoints[i].start({
            runtime: 'ort-wasm',
            onnx: m.onnx,
            weights: m.weights,
            schema: m.schema,
            versionId: m.versionId,
            threads: 1,
          }),
        ),
      );
    } catch (error) {
      endpoints.forEach((e) => e.stop());
      throw error;
    }
    const chain = new FallbackChain({
      links: [
        endpointLink(`primary: ${primaryId}`, endpoints[0], `primary ${primaryId}`),
        endpointLink(`secondary: ${secondaryId}`, endpoints[1], `secondary ${secondaryId}`),
        baseline,
      ],
      nClasses: secondary.schema.nClasses,
      probeInput: probeRow(secondary.schema),
      ledger: new RequestLedger({ onDuplicate: 'flag' }),
      onHealthChange,
    });
    return new FallbackLabRun(chain, endpoints, secondary);
  }

  /**
   * Sends `n` test-split requests at once through the chain and waits for every answer.
   * @param whileInFlight run once every request is sent (the first batch is then in the
   *   primary's worker): how the lab lands a crash on requests in flight.
   */
  async burst(n: number, whileInFlight?: () => Promise<void>): Promise<void> {
    const { dataset, testRows } = this.#traffic;
    const f = dataset.features;
    const sent: Promise<void>[] = [];
    for (let k = 0; k < n; k++) {
      const id = this.#next++;
      const row = testRows[id % testRows.length];
      const input = dataset.x.subarray(row * f, (row + 1) * f);
      sent.push(this.chain.predict(id, input).then((a) => this.#count(a, dataset.y[row])));
    }
    const during = whileInFlight?.();
    await Promise.all(sent);
    await during;
    this.#settled = Math.max(this.#settled, this.#next);
  }

  /** Breaks (or heals) the primary endpoint. @throws when its worker does not take the fault. */
  async inject(fault: ServeFault): Promise<void> {
    await this.#endpoints[0].injectFault(fault);
    this.#faults.push(faultLabel(fault));
  }

  /** The figures now; the verdict covers the requests of every finished burst. */
  view(): LabView {
    const counts = this.chain.counts;
    const health = this.chain.health;
    const byVersion = this.chain.ledger.countsByVersion();
    const verdict = ledgerVerdict(
      this.chain.ledger.verify(this.#settled),
      byVersion.get(FAILED_VERSION) ?? 0,
      byVersion.get(REFUSED_VERSION) ?? 0,
    );
    const links = this.chain.links.map((link, i): LinkView => {
      const o = counts.outcomes[i];
      const samples = this.#latency[i].values();
      const served = counts.served[i];
      return {
        name: link.name,
        versionId: link.versionId,
        health: health[i],
        served,
        share: counts.shares[i],
        retriedOnto: this.#retriedOnto[i],
        timeouts: o.timeout,
        crashes: o.crashed,
        otherFailures: o.error + o['invalid-output'],
        latency: samples.length > 0 ? summarize(samples) : null,
        accuracy: served > 0 ? this.#correct[i] / served : null,
      };
    });
    return {
      links,
      verdict,
      retried: counts.retried,
      servedByFallback: counts.served.slice(1).reduce((a, b) => a + b, 0),
      accuracy: this.#answered > 0 ? this.#correctAll / this.#answered : null,
      faults: [...this.#faults],
      probesToClose: this.chain.policy.probesToClose,
      timeoutMs: this.chain.policy.timeoutMs,
    };
  }

  /** Stops the probes and both endpoints (their workers end). */
  stop(): void {
    this.chain.dispose();
    this.#endpoints.forEach((e) => e.stop());
  }

  #count(answer: FallbackAnswer, label: number): void {
    const i = answer.link;
    if (i === null || !answer.result.ok) return;
    this.#latency[i].push(answer.latencyMs);
    if (answer.attempts.length > 1) this.#retriedOnto[i]++;
    this.#answered++;
    if (answer.result.predictedClass === label) {
      this.#correct[i]++;
      this.#correctAll++;
    }
  }
}

/** The training split of the run behind `versionId` (its split seed), minus any test row. */
async function trainingRows(db: AppDb, versionId: string, model: PreparedModel) {
  const record = await getVersion(db, versionId);
  const runId = record?.lineage.runId;
  const run = runId ? await getRun(db, runId) : undefined;
  const split = stratifiedSplit(model.dataset.y, DEFAULT_SPLIT, run?.splitSeed ?? 0);
  const test = new Set(model.testRows);
  return gatherRows(
    model.dataset,
    split.train.filter((r) => !test.has(r)),
  );
}
