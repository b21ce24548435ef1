import { describe, expect, it } from 'vitest';
import { RequestLedger } from '../core/prediction-log';
import { route, type RoutingPolicy } from '../core/routing';
import { createTraffic, type TrafficConfig } from '../core/traffic';
import { UserAudit } from './rollout-users';

const config: TrafficConfig = {
  seed: 7,
  ratePerSecond: 20,
  durationSeconds: 600,
  users: 300,
  poolSize: 50,
};
const state = { champion: 'm@v1', challenger: 'm@v2' };

/** Serves the whole stream with `policy` into a ledger, as rollout-serve does, in batches. */
function serveAll(
  policy: RoutingPolicy,
  audit: UserAudit,
): { ledger: RequestLedger; users: Set<number> } {
  const traffic = createTraffic(config);
  const ledger = new RequestLedger();
  const users = new Set<number>();
  while (!traffic.done) {
    const b = traffic.next(500);
    for (let i = 0; i < b.count; i++) {
      const d = route(String(b.requestId[i]), String(b.userId[i]), policy, state);
      ledger.record(b.requestId[i], d.primary);
      users.add(b.userId[i]);
    }
    audit.advance(ledger, traffic.nextRequestId);
  }
  return { ledger, users };
}

describe('user audit of a roll-out ledger', () => {
  it('a sticky A/B split puts every user on one arm, in about the chosen shares', () => {
    const audit = new UserAudit(config, ['m@v1', 'm@v2']);
    const { users } = serveAll({ kind: 'ab', percentB: 30, salt: 'ab-7' }, audit);
    const s = audit.split();
    expect(s.seen).toBe(users.size);
    expect(s.both).toBe(0);
    expect(s.onlyA + s.onlyB).toBe(s.seen);
    expect(s.onlyB / s.seen).toBeGreaterThan(0.22);
    expect(s.onlyB / s.seen).toBeLessThan(0.38);
  });

  it('a canary (split by request) puts users on both versions, and the audit says so', () => {
    const audit = new UserAudit(config, ['m@v1', 'm@v2']);
    serveAll({ kind: 'canary', percent: 50, salt: 'c' }, audit);
    const s = audit.split();
    expect(s.both).toBeGreaterThan(s.seen / 2);
    expect(s.onlyA + s.onlyB + s.both).toBe(s.seen);
  });

  it('reads only what was handed out: nothing before the first advance, unanswered ids skipped', () => {
    const audit = new UserAudit(config, ['m@v1', 'm@v2']);
    expect(audit.split()).toEqual({ seen: 0, onlyA: 0, onlyB: 0, both: 0 });
    const ledger = new RequestLedger();
    ledger.record(0, 'm@v2');
    audit.advance(ledger, 5); // ids 1..4 were never answered: not counted
    expect(audit.split()).toEqual({ seen: 1, onlyA: 0, onlyB: 1, both: 0 });
  });
});
