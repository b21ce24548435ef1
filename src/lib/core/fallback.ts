/**
 * The fallback chain's policy, pure: which link of an ordered chain (e.g. int8 champion -> fp32
 * champion -> a baseline) answers next, when a link is taken out, and when it comes back.
 * Rules, in the words the dashboard uses:
 * - a request goes to the first link that is UP, in chain order; a link that is down is skipped
 *   (skipping is not an attempt);
 * - an attempt fails when the link crashed, errored, ran past `timeoutMs`, answered with invalid
 *   probabilities, or refused the input; the request is then retried on the next link that is up
 *   and not tried yet, and at most `maxAttempts` links are tried in all (2: "retried once");
 * - a crash takes its link DOWN at once; `failuresToOpen` failures in a row (error, timeout,
 *   invalid output) do too; a refusal says nothing about the link (the input was bad);
 * - a link that is down is probed in the background every `probeIntervalMs`; it comes back UP
 *   after `probesToClose` healthy probes in a row (a probe that fails starts the count again).
 * This is a circuit breaker: down = open, probing = half-open, up = closed. The engine wrapper
 * (engine/fallback.ts) runs the timers and the links; the validity check is fallback-output.ts.
 */

/** What one attempt on a link came to. */
export type LinkOutcome = 'ok' | 'crashed' | 'error' | 'timeout' | 'invalid-output' | 'refused';

export const LINK_OUTCOMES: readonly LinkOutcome[] = Object.freeze([
  'ok',
  'crashed',
  'error',
  'timeout',
  'invalid-output',
  'refused',
]);

export type FallbackPolicy = {
  /** An attempt that has not answered after this long is abandoned, milliseconds (> 0). */
  timeoutMs: number;
  /** Links tried per request at most, the first included (>= 1; 2 = retried once). */
  maxAttempts: number;
  /** Failures in a row (error, timeout, invalid output) that take a link down (>= 1). */
  failuresToOpen: number;
  /** Healthy probes in a row that bring a link back up (>= 1). */
  probesToClose: number;
  /** Pause between background probes of a link that is down, milliseconds (>= 0). */
  probeIntervalMs: number;
};

export const DEFAULT_FALLBACK_POLICY: Readonly<FallbackPolicy> = Object.freeze({
  timeoutMs: 250,
  maxAttempts: 2,
  failuresToOpen: 3,
  probesToClose: 3,
  probeIntervalMs: 200,
});

/** A reason the policy is unusable, or null when it is fine. */
export function fallbackPolicyProblem(p: FallbackPolicy): string | null {
  if (!(p.timeoutMs > 0 && Number.isFinite(p.timeoutMs)))
    return `the timeout must be a positive number of ms, got ${p.timeoutMs}`;
  for (const key of ['maxAttempts', 'failuresToOpen', 'probesToClose'] as const) {
    if (!(Number.isInteger(p[key]) && p[key] >= 1))
      return `${key} must be a whole number >= 1, got ${p[key]}`;
  }
  if (!(p.probeIntervalMs >= 0 && Number.isFinite(p.probeIntervalMs)))
    return `the probe interval must be >= 0 ms, got ${p.probeIntervalMs}`;
  return null;
}

/** One link's health: plain data, safe to show and to store. */
export type LinkHealth = {
  up: boolean;
  /** Failures in a row while up. */
  failures: number;
  /** Healthy probes in a row while down. */
  probeStreak: number;
  /** When it went down (the caller's clock, ms), or null while up. */
  downSinceMs: number | null;
  /** Why it went down (the last failure's reason), or null while up. */
  reason: string | null;
  /** Times it has gone down. */
  trips: number;
};

export function initialHealth(): LinkHealth {
  return { up: true, failures: 0, probeStreak: 0, downSinceMs: null, reason: null, trips: 0 };
}

/** True for outcomes that count against the link (everything but ok and refused). */
export function isLinkFailure(outcome: LinkOutcome): boolean {
  return outcome !== 'ok' && outcome !== 'refused';
}

/**
 * The link a request tries next, or null when it is done: `maxAttempts` links tried, or no link
 * that is up remains untried.
 * @param tried links already tried for this request, in order.
 */
export function nextLink(
  health: readonly LinkHealth[],
  tried: readonly number[],
  policy: Pick<FallbackPolicy, 'maxAttempts'>,
): number | null {
  if (tried.length >= policy.maxAttempts) return null;
  const after = tried.length > 0 ? Math.max(...tried) : -1;
  // Only links after the last one tried: a retry never goes back up the chain.
  for (let i = after + 1; i < health.length; i++) if (health[i].up) return i;
  return null;
}

/** The health after an attempt's outcome at `nowMs` (the input is not modified). */
export function afterAttempt(
  health: LinkHealth,
  outcome: LinkOutcome,
  policy: Pick<FallbackPolicy, 'failuresToOpen'>,
  nowMs: number,
  reason: string = outcome,
): LinkHealth {
  if (!health.up || outcome === 'refused') return health; // a late answer from a down link
  if (outcome === 'ok') return { ...health, failures: 0 };
  const failures = health.failures + 1;
  if (outcome !== 'crashed' && failures < policy.failuresToOpen) return { ...health, failures };
  return {
    up: false,
    failures,
    probeStreak: 0,
    downSinceMs: nowMs,
    reason,
    trips: health.trips + 1,
  };
}

/** The health after a background probe of a link that is down (an up link is left as it is). */
export function afterProbe(
  health: LinkHealth,
  healthy: boolean,
  policy: Pick<FallbackPolicy, 'probesToClose'>,
): LinkHealth {
  if (health.up) return health;
  if (!healthy) return { ...health, probeStreak: 0 };
  const probeStreak = health.probeStreak + 1;
  if (probeStreak < policy.probesToClose) return { ...health, probeStreak };
  return { ...health, up: true, failures: 0, probeStreak: 0, downSinceMs: null, reason: null };
}

/**
 * The time an attempt started at `startedAtMs` may still run at `nowMs`, ms (0: it is late).
 * A request has no overall deadline: each attempt gets the full `timeoutMs`, so a retry is never
 * starved by the slow attempt before it.
 */
export function attemptTimeLeft(startedAtMs: number, nowMs: number, timeoutMs: number): number {
  return Math.max(0, startedAtMs + timeoutMs - nowMs);
}
