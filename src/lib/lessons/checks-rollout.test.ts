import { describe, expect, it } from 'vitest';
import type { RolloutEvent, SavedRollout } from '../state/rollout-ops';
import { rolloutForChecks } from '../state/rollout-saved';
import { emptySnapshot, runCheck } from './checks';

/** A record as the Roll out screen saves it (rollout.svelte.ts `#save`), read as checks see it. */
function grade(mode: SavedRollout['mode'], events: [RolloutEvent['kind'], string][]) {
  const stored: SavedRollout = {
    modelName: 'digits-classifier',
    mode,
    champion: 'digits-classifier@v1',
    challenger: 'digits-classifier@v2',
    savedAt: 1,
    ledger: '24000 of 24000 requests answered, 0 lost, 0 answered twice',
    events: events.map(([kind, text], i) => ({ kind, text, simMs: i * 60_000, at: i })),
  };
  return runCheck(
    'canary-guard-rollback',
    {},
    { ...emptySnapshot(), lastRollout: rolloutForChecks(stored) },
  );
}
const START: [RolloutEvent['kind'], string] = [
  'start',
  'Canary started: champion v1, challenger v2.',
];
const FAULT: [RolloutEvent['kind'], string] = [
  'fault',
  'Injected 30 ms of latency into every call to the challenger.',
];
const ROLLBACK: [RolloutEvent['kind'], string] = [
  'rollback',
  'Automatic rollback: guard broken at 1%: p99 latency 3.10x (limit x1.5). The challenger v2 gets no more traffic; champion stays on v1.',
];
const PROMOTE: [RolloutEvent['kind'], string] = [
  'promote',
  'Promoted: guards held at every step. The rollout policy moved champion from v1 to v2.',
];

describe('canary-guard-rollback', () => {
  it('asks for a roll-out when none is saved (or the record is not one)', () => {
    const r = runCheck('canary-guard-rollback', {}, emptySnapshot());
    expect(r).toMatchObject({ passed: false, message: /No roll-out saved yet.*#\/rollout/ });
    const bad = { ...emptySnapshot(), lastRollout: rolloutForChecks({ mode: 'canary' }) };
    expect(runCheck('canary-guard-rollback', {}, bad).message).toMatch(/No roll-out saved/);
  });

  it('a shadow or A/B run is not a canary', () => {
    expect(grade('shadow', [START]).message).toMatch(/was a shadow run.*choose "Canary"/);
    expect(grade('ab', [START]).message).toMatch(/was an A\/B test/);
  });

  it('a canary promoted with no fault is the happy path, not this exercise', () => {
    const r = grade('canary', [START, ['step', 'step up to 5%.'], PROMOTE]);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/promoted with every guard holding.*inject latency/);
  });

  it('a fault the guards missed (promotion after it) says to tighten or inject more', () => {
    const r = grade('canary', [START, FAULT, PROMOTE]);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/no guard caught it.*Max p99 ratio/);
  });

  it('a manual rollback, or a run not judged yet, does not pass', () => {
    const manual = grade('canary', [
      START,
      FAULT,
      ['manual-rollback', 'Manual rollback: champion moved from v2 back to v1 (slow).'],
    ]);
    expect(manual).toMatchObject({ passed: false, message: /You rolled back by hand/ });
    expect(grade('canary', [START, FAULT]).message).toMatch(/not been judged yet/);
  });

  it('a rollback that came before the fault does not count', () => {
    const r = grade('canary', [START, ROLLBACK, FAULT]);
    expect(r).toMatchObject({ passed: false, message: /not been judged yet/ });
  });

  it('passes when the policy rolled back on a guard after the injected fault, quoting it', () => {
    const r = grade('canary', [
      START,
      FAULT,
      ['step', 'step up to 5%.'],
      ROLLBACK,
      ['end', 'The run ended.'],
    ]);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(
      /caught the fault by itself: Automatic rollback: guard broken at 1%: p99/,
    );
  });
});
