import { describe, expect, it } from 'vitest';
import { RequestLedger } from '../core/prediction-log';
import { chainProblem, defaultChain, faultLabel, ledgerVerdict } from './fallback-lab';
import type { ServableVersion } from './serving-ops';

function v(
  modelName: string,
  version: number,
  variant: string,
  aliases: string[] = [],
  datasetId = 'digits',
): ServableVersion {
  return {
    id: `${modelName}@v${version}`,
    modelName,
    version,
    createdAt: version * 1000 + (modelName === 'cancer' ? 100_000 : 0),
    variant,
    datasetId,
    aliases,
    label: `${modelName} v${version}`,
  };
}

describe('defaultChain', () => {
  it('is null for an empty registry', () => {
    expect(defaultChain([])).toBeNull();
  });
  it('primary = newest int8 of the champion model, secondary = the fp32 champion', () => {
    const list = [
      v('m', 1, 'fp32'),
      v('m', 2, 'fp32', ['champion']),
      v('m', 3, 'int8-weight'),
      v('m', 4, 'int8-dynamic'),
    ];
    expect(defaultChain(list)).toEqual({ primary: 'm@v4', secondary: 'm@v2' });
  });
  it('without an int8 version, both are the champion', () => {
    expect(defaultChain([v('m', 1, 'fp32', ['champion']), v('m', 2, 'fp16')])).toEqual({
      primary: 'm@v1',
      secondary: 'm@v1',
    });
  });
  it('without a champion, the newest fp32; the model of the newest registration', () => {
    const list = [
      v('m', 1, 'fp32'),
      v('m', 2, 'fp32'),
      v('cancer', 1, 'fp32', [], 'breast_cancer'),
    ];
    expect(defaultChain(list)).toEqual({ primary: 'cancer@v1', secondary: 'cancer@v1' });
    expect(defaultChain(list.slice(0, 2))).toEqual({ primary: 'm@v2', secondary: 'm@v2' });
  });
});

describe('chainProblem', () => {
  const list = [v('m', 1, 'fp32'), v('cancer', 1, 'fp32', [], 'breast_cancer')];
  it('refuses versions of different data sets, and missing choices', () => {
    expect(chainProblem(list, { primary: 'm@v1', secondary: 'cancer@v1' })).toMatch(
      /trained on digits .* on breast_cancer/,
    );
    expect(chainProblem(list, { secondary: 'm@v1' })).toBe('Choose the primary version.');
    expect(chainProblem(list, { primary: 'm@v1', secondary: 'gone@v9' })).toBe(
      'Choose the secondary version.',
    );
    expect(chainProblem(list, { primary: 'm@v1', secondary: 'm@v1' })).toBeNull();
  });
});

describe('labels and verdicts', () => {
  it('names faults', () => {
    expect(faultLabel({ kind: 'crash' })).toBe('crash');
    expect(faultLabel({ kind: 'latency', ms: 400 })).toBe('latency 400 ms');
    expect(faultLabel({ kind: 'corrupt', mode: 'nan' })).toBe('corrupt (NaN)');
    expect(faultLabel({ kind: 'clear' })).toBe('clear');
  });
  it('counts failed requests as lost, flags doubles, names refusals', () => {
    const ledger = new RequestLedger({ onDuplicate: 'flag' });
    for (let id = 0; id < 5; id++) ledger.record(id, 'a');
    ledger.record(2, 'b');
    const verdict = ledgerVerdict(ledger.verify(6), 1, 2);
    expect(verdict).toMatchObject({ requests: 6, lost: 2, doubled: 1, refused: 2 });
    expect(verdict.text).toBe('6 requests, 2 lost, 1 answered twice, 2 refused as bad input');
  });
});
