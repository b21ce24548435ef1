import { describe, expect, it } from 'vitest';
import { PredictionLog, RequestLedger, type PredictionRecord } from './prediction-log';

const rec = (requestId: number, extra: Partial<PredictionRecord> = {}): PredictionRecord => ({
  requestId,
  timeMs: requestId * 10,
  versionId: 'v1',
  predicted: requestId % 10,
  confidence: 0.9,
  latencyMs: 1.5,
  ...extra,
});

describe('PredictionLog', () => {
  it('keeps the last `capacity` records, oldest first', () => {
    const log = new PredictionLog(3);
    for (let i = 0; i < 5; i++) log.push(rec(i));
    expect(log.size).toBe(3);
    expect(log.records().map((r) => r.requestId)).toEqual([2, 3, 4]);
  });

  it('attaches a label while the record is in the ring, not after it left', () => {
    const log = new PredictionLog(2);
    log.push(rec(0));
    log.push(rec(1));
    expect(log.setLabel(1, 7, 99)).toBe(true);
    log.push(rec(2));
    expect(log.setLabel(0, 3, 100)).toBe(false);
    expect(log.records()[0]).toMatchObject({ requestId: 1, label: 7, labelAtMs: 99 });
  });

  it('copies records in and out, and restores from a saved list', () => {
    const log = new PredictionLog(4);
    const r = rec(1);
    log.push(r);
    r.predicted = 5;
    log.records()[0].predicted = 6;
    expect(log.records()[0].predicted).toBe(1);
    const back = PredictionLog.from([rec(1), rec(2), rec(3)], 2);
    expect(back.records().map((x) => x.requestId)).toEqual([2, 3]);
  });

  it('refuses a bad capacity', () => {
    expect(() => new PredictionLog(0)).toThrow(/capacity/);
  });
});

describe('RequestLedger', () => {
  it('proves none lost and none doubled over 1,000,000 requests in about 1 MB', () => {
    const ledger = new RequestLedger();
    for (let i = 0; i < 1_000_000; i++) ledger.record(i, i % 100 < 5 ? 'challenger' : 'champion');
    const check = ledger.verify(1_000_000);
    expect(check).toMatchObject({ ok: true, lostCount: 0, doubledCount: 0, recorded: 1_000_000 });
    expect(ledger.countsByVersion()).toEqual(
      new Map([
        ['champion', 950_000],
        ['challenger', 50_000],
      ]),
    );
    expect(ledger.versionOf(3)).toBe('challenger');
    expect(ledger.versionOf(2_000_000)).toBeUndefined();
  });

  it('throws on a second answer for the same request, naming both versions', () => {
    const ledger = new RequestLedger();
    ledger.record(5, 'v1');
    expect(() => ledger.record(5, 'v2')).toThrow(/request 5 answered twice \(by v1, then v2\)/);
  });

  it('flags doubles and losses when asked to count instead of throwing', () => {
    const ledger = new RequestLedger({ onDuplicate: 'flag' });
    for (const id of [0, 1, 3, 3, 4]) ledger.record(id, 'v1');
    expect(ledger.missing(5)).toEqual([2]);
    expect(ledger.missing([4, 9, 1])).toEqual([9]);
    expect(ledger.verify(5)).toMatchObject({ ok: false, lost: [2], doubled: [3], doubledCount: 1 });
  });

  it('refuses bad ids and more than 255 versions', () => {
    const ledger = new RequestLedger();
    expect(() => ledger.record(-1, 'v')).toThrow(/request id/);
    expect(() => ledger.record(1.5, 'v')).toThrow(/request id/);
    for (let v = 0; v < 255; v++) ledger.record(v, `v${v}`);
    expect(() => ledger.record(300, 'one too many')).toThrow(/255 versions/);
  });
});
