import { describe, expect, it } from 'vitest';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';

type Version = LabSnapshot['models'][number]['versions'][number];
const snap = (over: Partial<LabSnapshot>): LabSnapshot => ({ ...emptySnapshot(), ...over });
const models = (versions: Version[]): LabSnapshot['models'] => [
  { name: 'digits-classifier', aliases: {}, versions },
];
const fp32 = (version: number, sizeBytes: number, testAccuracy: number): Version => ({
  version,
  variant: 'fp32',
  sizeBytes,
  testAccuracy,
});
const q = (
  version: number,
  parentVersion: number | undefined,
  sizeBytes: number,
  testAccuracy: number | undefined,
  variant = 'int8-weight',
): Version => ({ version, variant, sizeBytes, testAccuracy, parentVersion });
const SMALL = { maxSizeRatio: 0.35, maxAccuracyLoss: 0.01 };

describe('quantized-small', () => {
  it('asks for a quantized version first (fp32 only, or no lineage)', () => {
    const r = runCheck('quantized-small', SMALL, snap({ models: models([fp32(1, 20_000, 0.97)]) }));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No quantized version/);
    const orphan = snap({ models: models([fp32(1, 20_000, 0.97), q(2, undefined, 5000, 0.97)]) });
    expect(runCheck('quantized-small', SMALL, orphan).message).toMatch(/No quantized version/);
  });

  it('names the ratio of a too-large file and explains the fixed overhead', () => {
    const r = runCheck(
      'quantized-small',
      SMALL,
      snap({ models: models([fp32(1, 20_000, 0.97), q(2, 1, 7600, 0.968)]) }),
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/v2 \(int8-weight\), 38\.0% of its parent/);
    expect(r.message).toMatch(/wider model/);
  });

  it('names the accuracy loss when it is too large', () => {
    const r = runCheck(
      'quantized-small',
      SMALL,
      snap({ models: models([fp32(1, 40_000, 0.97), q(2, 1, 11_000, 0.94, 'int8-static')]) }),
    );
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/loses 3\.0 points/);
  });

  it('needs an fp32 parent', () => {
    const r = runCheck(
      'quantized-small',
      SMALL,
      snap({ models: models([q(1, undefined, 40_000, 0.97, 'fp16'), q(2, 1, 10_000, 0.97)]) }),
    );
    expect(r.passed).toBe(false);
  });

  it('passes for a small enough version that keeps its accuracy', () => {
    const r = runCheck(
      'quantized-small',
      SMALL,
      snap({
        models: models([
          fp32(1, 20_000, 0.97),
          q(2, 1, 7600, 0.97),
          fp32(3, 80_000, 0.975),
          q(4, 3, 24_000, 0.97),
        ]),
      }),
    );
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/v4 \(int8-weight\) is 30\.0% .* parent v3 and loses 0\.5 points/);
  });
});

describe('batch-under-slo', () => {
  const cell = (batch: number, p99: number, throughputPerSec: number, runtime = 'ort-wasm') => ({
    versionId: 'digits-classifier@v1',
    runtime,
    batch,
    p99,
    throughputPerSec,
  });

  it('asks for a benchmark first', () => {
    const r = runCheck('batch-under-slo', { p99Ms: 1 }, snap({}));
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/No saved benchmark/);
  });

  it('needs 3 batch sizes for one version on one runtime', () => {
    const split = snap({
      benchmarks: [{ cells: [cell(1, 0.02, 50_000), cell(16, 0.1, 160_000, 'ts')] }],
    });
    const r = runCheck('batch-under-slo', { p99Ms: 1 }, split);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/at most 1 batch size/);
    expect(r.message).toMatch(/1, 16 and 256/);
  });

  it('grades only the latest benchmark', () => {
    const old = { cells: [cell(1, 0.02, 50_000), cell(16, 0.1, 160_000), cell(256, 2, 130_000)] };
    const r = runCheck('batch-under-slo', { p99Ms: 1 }, snap({ benchmarks: [{ cells: [] }, old] }));
    expect(r.passed).toBe(false);
  });

  it('fails with the lowest p99 when no cell meets the SLO', () => {
    const slow = snap({
      benchmarks: [{ cells: [cell(1, 1.5, 900), cell(16, 3, 6000), cell(256, 40, 7000)] }],
    });
    const r = runCheck('batch-under-slo', { p99Ms: 1 }, slow);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/lowest p99 is 1\.500 ms .* batch 1/);
  });

  it('passes and names the batch with the highest throughput under the SLO', () => {
    const ok = snap({
      benchmarks: [
        { cells: [cell(1, 0.02, 50_000), cell(16, 0.3, 160_000), cell(256, 2.5, 200_000)] },
      ],
    });
    const r = runCheck('batch-under-slo', { p99Ms: 1 }, ok);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/batch 16 gives the highest throughput/);
    expect(r.message).toMatch(/160,000 rows\/s/);
  });
});
