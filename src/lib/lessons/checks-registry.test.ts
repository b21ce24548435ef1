import { describe, expect, it } from 'vitest';
import { emptySnapshot, runCheck, type LabSnapshot } from './checks';

const model = (aliases: Record<string, number>, accuracies: (number | undefined)[]) => ({
  name: 'digits-classifier',
  aliases,
  versions: accuracies.map((a, i) => ({
    version: i + 1,
    variant: 'fp32',
    sizeBytes: 20_000,
    testAccuracy: a,
  })),
});
const snap = (over: Partial<LabSnapshot>): LabSnapshot => ({ ...emptySnapshot(), ...over });

describe('registry-versions', () => {
  it('asks to register first, counts what is missing, passes at the minimum', () => {
    expect(runCheck('registry-versions', { min: 2 }, snap({})).message).toMatch(
      /No model registered/,
    );
    const one = snap({ models: [model({}, [0.97])] });
    expect(runCheck('registry-versions', { min: 2 }, one).message).toMatch(/register 1 more/);
    const two = snap({ models: [model({}, [0.97, 0.96])] });
    expect(runCheck('registry-versions', { min: 2 }, two).passed).toBe(true);
  });
});

describe('champion-is-best', () => {
  it('needs a champion, then the best version behind it', () => {
    expect(runCheck('champion-is-best', {}, snap({ models: [model({}, [0.9])] })).passed).toBe(
      false,
    );
    const wrong = runCheck(
      'champion-is-best',
      {},
      snap({ models: [model({ champion: 1 }, [0.95, 0.972])] }),
    );
    expect(wrong.passed).toBe(false);
    expect(wrong.message).toMatch(/points at v1, but v2 scored higher \(97\.2%\)/);
    const right = runCheck(
      'champion-is-best',
      {},
      snap({ models: [model({ champion: 2 }, [0.95, 0.972])] }),
    );
    expect(right.passed).toBe(true);
  });

  it('accepts a tie for best', () => {
    const tie = snap({ models: [model({ champion: 1 }, [0.97, 0.97])] });
    expect(runCheck('champion-is-best', {}, tie).passed).toBe(true);
  });
});

describe('endpoint-served', () => {
  const models = [model({ champion: 2 }, [0.95, 0.97])];
  const served = (versionId: string, n: number) => ({
    versionId,
    runtime: 'ort-wasm',
    served: n,
    rejected: 3,
  });

  it('fails before serving, when serving a non-champion, and below the count', () => {
    expect(runCheck('endpoint-served', { minRequests: 100 }, snap({ models })).passed).toBe(false);
    const other = snap({ models, lastServed: served('digits-classifier@v1', 500) });
    expect(runCheck('endpoint-served', { minRequests: 100 }, other).message).toMatch(
      /not the champion/,
    );
    const few = snap({ models, lastServed: served('digits-classifier@v2', 20) });
    expect(runCheck('endpoint-served', { minRequests: 100 }, few).message).toMatch(
      /served 20 requests/,
    );
  });

  it('passes when the champion served enough', () => {
    const ok = snap({ models, lastServed: served('digits-classifier@v2', 2000) });
    const r = runCheck('endpoint-served', { minRequests: 100 }, ok);
    expect(r.passed).toBe(true);
    expect(r.message).toMatch(/served 2000 requests on ort-wasm, 3 rejected/);
  });
});
