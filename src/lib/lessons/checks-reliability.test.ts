import { describe, expect, it } from 'vitest';
import { RequestLedger } from '../core/prediction-log';
import { ledgerVerdict, outcomeValues } from '../state/fallback-lab';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';

type Values = LabSnapshot['widgetOutcomes'][string];
const snapshot = (values: Values): LabSnapshot => ({
  ...emptySnapshot(),
  widgetOutcomes: { 'fallback-lab': values },
});
const PARAMS = { minRequests: 500 };
const grade = (values: Values) => runCheck('fallback-no-loss', PARAMS, snapshot(values));
const good = {
  requests: 800,
  lost: 0,
  doubled: 0,
  servedByFallback: 214,
  retried: 12,
  crashes: 1,
  faultsInjected: 'crash',
};

describe('fallback-no-loss', () => {
  it('asks for a lab session first', () => {
    const r = runCheck('fallback-no-loss', PARAMS, emptySnapshot());
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No fallback lab session saved yet/);
  });

  it('traffic without a fault fails: inject a crash first', () => {
    const r = grade({ ...good, crashes: 0, servedByFallback: 0, faultsInjected: '' });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/faults injected: none/);
    expect(r.message).toMatch(/Inject a crash first/);
  });

  it('latency alone is not a crash', () => {
    const r = grade({ ...good, crashes: 0, faultsInjected: 'latency 400 ms,clear' });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/latency 400 ms, clear\. Inject a crash first/);
  });

  it('a lost or doubled request fails and says so', () => {
    expect(grade({ ...good, lost: 3 }).message).toMatch(/3 lost.*lost or answered twice/);
    expect(grade({ ...good, doubled: 1 }).passed).toBe(false);
  });

  it('a crash nobody noticed (no fallback answer) fails with what to change', () => {
    const r = grade({ ...good, servedByFallback: 0 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/Crash the primary while traffic is running/);
  });

  it('too few requests fails with how many more', () => {
    const r = grade({ ...good, requests: 400 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/at least 500 requests in the session: 100 more/);
  });

  it('passes with a crash absorbed and the ledger clean', () => {
    const r = grade(good);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/800 requests, 0 lost, 0 answered twice, 214 served by a fallback/);
  });

  it('grades what the lab saves, from a real ledger', () => {
    const ledger = new RequestLedger({ onDuplicate: 'flag' });
    for (let id = 0; id < 600; id++) ledger.record(id, id % 3 === 0 ? 'secondary' : 'primary');
    const verdict = ledgerVerdict(ledger.verify(600), 0, 0);
    expect(verdict.text).toBe('600 requests, 0 lost, 0 answered twice');
    const values = (faults: string[]) =>
      outcomeValues({
        verdict,
        servedByFallback: 200,
        retried: 5,
        faults,
        primary: 'm@v2',
        secondary: 'm@v1',
        accuracy: 0.96,
      });
    expect(grade(values(['latency 300 ms'])).passed).toBe(false);
    expect(grade(values(['latency 300 ms', 'crash', 'clear'])).passed).toBe(true);
    // One request missing from the ledger is lost.
    const partial = new RequestLedger();
    for (let id = 0; id < 600; id++) if (id !== 17) partial.record(id, 'primary');
    const lostOne = ledgerVerdict(partial.verify(600), 0, 0);
    expect(lostOne.lost).toBe(1);
    const saved = outcomeValues({
      verdict: lostOne,
      servedByFallback: 9,
      retried: 9,
      faults: ['crash'],
      primary: 'a',
      secondary: 'b',
      accuracy: null,
    });
    expect(grade(saved).passed).toBe(false);
  });
});

describe('ab-sample-size', () => {
  const decided = (values: Values) =>
    runCheck(
      'ab-sample-size',
      {},
      { ...emptySnapshot(), widgetOutcomes: { 'ab-test-lab': values } },
    );
  const atPlan = {
    plannedPerArm: 3000,
    usersA: 3000,
    usersB: 3012,
    stoppedEarly: false,
    pValue: 0.0123,
    alpha: 0.05,
    verdict: 'ship-b',
    decision: 'ship-b',
  };

  it('asks for a recorded decision first', () => {
    expect(runCheck('ab-sample-size', {}, emptySnapshot()).message).toMatch(
      /No A\/B decision recorded yet/,
    );
  });
  it('stopping early fails, even with a significant p-value', () => {
    const r = decided({ ...atPlan, usersA: 800, usersB: 790, stoppedEarly: true });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/decided at 790 of 3,000 planned users per arm.*stopping early/);
  });
  it('a decision the test does not support fails and says what the test says', () => {
    const r = decided({ ...atPlan, pValue: 0.21, verdict: 'no-difference', decision: 'ship-b' });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(
      /says "no detectable difference", but you chose "B is better: ship B"/,
    );
  });
  it('passes at the plan with the right reading', () => {
    const r = decided(atPlan);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/p = 0\.0123, alpha 0\.05.*ship B/);
  });
});
