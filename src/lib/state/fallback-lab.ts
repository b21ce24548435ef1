/**
 * Pure helpers of the fallback lab (lesson 9): which registry versions make the chain by default,
 * whether a chosen pair can form one, how an injected fault is named, the ledger's verdict in
 * words, and the outcome the lab saves for the `fallback-no-loss` check. No DOM, no workers.
 */
import type { LedgerCheck } from '../core/prediction-log';
import type { ServeFault } from '../protocol/serve';
import type { ServableVersion } from './serving-ops';

/** Requests per burst of the lab's traffic. */
export const LAB_BURST = 200;
/** Largest latency the lab's slider injects, ms (the chain's timeout is 250 ms). */
export const LAB_MAX_LATENCY_MS = 1000;

/** The two endpoint links of the chain, as registry version ids. */
export type ChainChoice = { primary: string; secondary: string };

const isInt8 = (v: ServableVersion) => v.variant.startsWith('int8');

/**
 * The default chain: the model of the most recently registered version; its `champion` (or its
 * newest fp32 version when it has none) is the secondary; the primary is the model's newest int8
 * version when there is one, else the secondary itself. null when the registry is empty.
 */
export function defaultChain(list: readonly ServableVersion[]): ChainChoice | null {
  if (list.length === 0) return null;
  const newest = list.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  const same = list.filter((v) => v.modelName === newest.modelName);
  const byVersion = [...same].sort((a, b) => b.version - a.version);
  const champion = same.find((v) => v.aliases.includes('champion'));
  const fp32 =
    champion?.variant === 'fp32' ? champion : (byVersion.find((v) => v.variant === 'fp32') ?? null);
  const secondary = fp32 ?? champion ?? byVersion[0];
  const int8 = byVersion.find(isInt8);
  return { primary: (int8 ?? secondary).id, secondary: secondary.id };
}

/** Why two versions cannot form the chain (a sentence), or null when they can. */
export function chainProblem(
  list: readonly ServableVersion[],
  choice: Partial<ChainChoice>,
): string | null {
  const primary = list.find((v) => v.id === choice.primary);
  const secondary = list.find((v) => v.id === choice.secondary);
  if (!primary) return 'Choose the primary version.';
  if (!secondary) return 'Choose the secondary version.';
  if (primary.datasetId !== secondary.datasetId)
    return (
      `${primary.label} was trained on ${primary.datasetId} and ${secondary.label} on ` +
      `${secondary.datasetId}: every link of a chain must answer the same requests. Pick two ` +
      'versions of the same data set.'
    );
  return null;
}

/** How an injected fault is listed ("crash", "latency 400 ms", "corrupt (NaN)", "clear"). */
export function faultLabel(fault: ServeFault): string {
  switch (fault.kind) {
    case 'crash':
      return 'crash';
    case 'latency':
      return `latency ${Math.round(fault.ms)} ms`;
    case 'corrupt':
      return fault.mode === 'nan' ? 'corrupt (NaN)' : 'corrupt (rows not summing to 1)';
    case 'clear':
      return 'clear';
  }
}

/** What the ledger proves about a session. Counts of requests. */
export type LedgerVerdict = {
  /** Request ids issued (0..requests-1), every one settled. */
  requests: number;
  /** Ids never recorded, plus ids recorded as answered by no link (no prediction). */
  lost: number;
  /** Ids recorded more than once. */
  doubled: number;
  /** Ids refused by every link's input check (bad input, not lost). */
  refused: number;
  /** "600 requests, 0 lost, 0 answered twice". */
  text: string;
};

/**
 * The verdict from the ledger's own check over ids 0..requests-1.
 * @param failed requests the ledger recorded as answered by no link.
 * @param refused requests the ledger recorded as refused.
 */
export function ledgerVerdict(check: LedgerCheck, failed: number, refused: number): LedgerVerdict {
  const lost = check.lostCount + failed;
  const doubled = check.doubledCount;
  const n = check.expected;
  const text =
    `${n.toLocaleString('en-US')} request${n === 1 ? '' : 's'}, ${lost} lost, ` +
    `${doubled} answered twice` +
    (refused > 0 ? `, ${refused} refused as bad input` : '');
  return { requests: n, lost, doubled, refused, text };
}

/** What the lab saves for the `fallback-no-loss` check (see the catalog description). */
export function outcomeValues(v: {
  verdict: LedgerVerdict;
  servedByFallback: number;
  retried: number;
  faults: readonly string[];
  primary: string;
  secondary: string;
  accuracy: number | null;
}): Record<string, number | string> {
  return {
    requests: v.verdict.requests,
    lost: v.verdict.lost,
    doubled: v.verdict.doubled,
    servedByFallback: v.servedByFallback,
    retried: v.retried,
    faultsInjected: v.faults.join(','),
    crashes: v.faults.filter((f) => f === 'crash').length,
    primary: v.primary,
    secondary: v.secondary,
    ...(v.accuracy === null ? {} : { accuracy: v.accuracy }),
  };
}
