import { describe, expect, it } from 'vitest';
import { emptySnapshot, runCheck, type RunSummary } from './checks';

const snap = (runs: RunSummary[]) => ({ ...emptySnapshot(), runs });
const run = (over: Partial<RunSummary>): RunSummary => ({
  id: 'run-1',
  datasetId: 'digits',
  status: 'completed',
  ...over,
});

describe('run-accuracy', () => {
  const params = { dataset: 'digits', min: 0.96 };

  it('fails with directions when there is no run, and names the best run when short', () => {
    expect(runCheck('run-accuracy', params, snap([])).message).toMatch(/No completed digits run/);
    const r = runCheck(
      'run-accuracy',
      params,
      snap([run({ testAccuracy: 0.9 }), run({ testAccuracy: 0.95 })]),
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/best digits run reached 95\.0%; 96\.0% is needed/);
  });

  it('ignores failed runs and other data sets, and passes on a good completed run', () => {
    const runs = [
      run({ testAccuracy: 0.99, status: 'failed' }),
      run({ testAccuracy: 0.99, datasetId: 'breast_cancer' }),
    ];
    expect(runCheck('run-accuracy', params, snap(runs)).passed).toBe(false);
    const ok = runCheck(
      'run-accuracy',
      params,
      snap([...runs, run({ id: 'run-7', testAccuracy: 0.972 })]),
    );
    expect(ok.passed).toBe(true);
    expect(ok.message).toMatch(/run-7 reached 97\.2%/);
  });
});

describe('threshold-recall', () => {
  const params = { minRecall: 0.95 };
  const bc = (over: Partial<RunSummary>) => run({ datasetId: 'breast_cancer', ...over });

  it('asks for a saved threshold first', () => {
    const r = runCheck('threshold-recall', params, snap([bc({ testAccuracy: 0.97 })]));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/Save this threshold/);
  });

  it('fails when the saved recall is too low and passes when one meets it', () => {
    const low = bc({ threshold: 0.5, malignantRecall: 0.9, malignantPrecision: 0.97 });
    expect(runCheck('threshold-recall', params, snap([low])).message).toMatch(
      /at most 90\.0% recall/,
    );
    const high = bc({
      id: 'run-9',
      threshold: 0.2,
      malignantRecall: 0.977,
      malignantPrecision: 0.91,
    });
    const r = runCheck('threshold-recall', params, snap([low, high]));
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/run-9: at threshold 0\.20 .* 97\.7% of malignant/);
  });
});
