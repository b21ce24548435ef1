/**
 * The rollout router: which model version answers a request, and which one shadows it. Pure and
 * deterministic, so the simulator replays a run exactly and tests need no workers. Traffic is
 * split by hashing, never by drawing random numbers:
 * - canary: by the REQUEST id, so a canary percentage is a share of requests;
 * - A/B: by the USER id with a salt, so a user keeps their arm for the whole experiment
 *   (sticky), and a new salt reshuffles users for a new experiment;
 * - shadow: the champion answers, the challenger gets a copy whose answer is only logged.
 */
import { hashString } from './rng';

/** Model versions by role (the registry's aliases). */
export type RoutingState = { champion: string; challenger?: string };

export type RoutingPolicy =
  | { kind: 'single' }
  /** `percent` of requests (0..100) go to the challenger; `salt` (default '') seeds the hash. */
  | { kind: 'canary'; percent: number; salt?: string }
  | { kind: 'shadow' }
  /** `percentB` of users (0..100) are in arm B (the challenger); `salt` names the experiment. */
  | { kind: 'ab'; percentB: number; salt: string };

export type RouteDecision = {
  /** Version id whose answer is returned. */
  primary: string;
  /** Version id that receives a copy of the request (answer logged, never returned). */
  shadow?: string;
  /** A/B only: the user's arm (A = champion, B = challenger). */
  arm?: 'A' | 'B';
};

const TWO_POW_32 = 4294967296;

/**
 * A stable position in [0, 100) for an id within a namespace: hashString (FNV-1a with a murmur3
 * finaliser) of `namespace + "\u0000" + id`, scaled. Equal inputs give equal buckets on every
 * machine; a percentage p selects the ids whose bucket is below p, so raising p only adds ids.
 */
export function bucketPercent(namespace: string, id: string): number {
  return (hashString(`${namespace}\u0000${id}`) / TWO_POW_32) * 100;
}

function checkPercent(name: string, p: number): void {
  if (!(p >= 0 && p <= 100)) throw new Error(`route: ${name} must be in [0, 100], got ${p}`);
}

function challengerOf(state: RoutingState, kind: string): string {
  if (!state.challenger) {
    throw new Error(`route: a ${kind} policy needs a challenger version, and there is none`);
  }
  return state.challenger;
}

/**
 * Routes one request.
 * @param requestId unique per request (canary buckets hash it).
 * @param userId the simulated user (A/B buckets hash it with the policy's salt).
 * @param policy how traffic is split; percentages are 0..100.
 * @param state the champion and, for every policy except 'single', the challenger.
 * @returns the version that answers, and for 'shadow' the version that gets a copy.
 * @throws Error when the policy needs a challenger and there is none, or a percentage is
 *   outside [0, 100].
 */
export function route(
  requestId: string,
  userId: string,
  policy: RoutingPolicy,
  state: RoutingState,
): RouteDecision {
  const { champion } = state;
  if (!champion) throw new Error('route: there is no champion version to serve');
  switch (policy.kind) {
    case 'single':
      return { primary: champion };
    case 'canary': {
      checkPercent('canary percent', policy.percent);
      const challenger = challengerOf(state, 'canary');
      // Same salt, same buckets at every step: 1% -> 5% keeps the first 1% on the challenger.
      const inCanary = bucketPercent(`canary:${policy.salt ?? ''}`, requestId) < policy.percent;
      return { primary: inCanary ? challenger : champion };
    }
    case 'shadow':
      return { primary: champion, shadow: challengerOf(state, 'shadow') };
    case 'ab': {
      checkPercent('percentB', policy.percentB);
      const challenger = challengerOf(state, 'A/B');
      const inB = bucketPercent(`ab:${policy.salt}`, userId) < policy.percentB;
      return inB ? { primary: challenger, arm: 'B' } : { primary: champion, arm: 'A' };
    }
  }
}
