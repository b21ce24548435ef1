import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDrill } from '../lessons/drills-parse';
import type { IncidentDrill } from '../lessons/drills-types';
import type { SimSessionRecord } from '../storage/v5-records';
import { drillSimReachedMs, requiredSimMs } from './drills-sim';

const file = 'lessons/drills/10-predictions-degraded.md';
const drill = parseDrill(file, readFileSync(file, 'utf8')) as IncidentDrill;

function session(spec: object, simTimeMs: number): SimSessionRecord {
  return {
    id: `sim-${simTimeMs}`,
    createdAt: 1,
    updatedAt: 2,
    versionId: 'digits-classifier@v1',
    spec: spec as Record<string, unknown>,
    simTimeMs,
    requests: 10,
    windows: [],
    alerts: [],
    log: [],
    ledger: { recorded: 10, lost: 0, doubled: 0 },
  };
}

describe('the drill simulation requirement', () => {
  it('finds the furthest run of the same traffic and drift, whatever the key order or thresholds', () => {
    const reordered = JSON.parse(
      JSON.stringify({ ...drill.operate, thresholds: { driftShare: 0.1 } }),
    );
    const sessions = [session(reordered, 30_000_000), session(drill.operate, 10_000_000)];
    expect(drillSimReachedMs(drill, sessions)).toBe(30_000_000);
    expect(requiredSimMs(drill)).toBe(21_600_000 + 30 * 60_000);
  });

  it('ignores runs with other drift, another seed, or none at all', () => {
    expect(drillSimReachedMs(drill, [])).toBeNull();
    const noDrift = session({ ...drill.operate, scenarios: [] }, 40_000_000);
    const otherSeed = session({ ...drill.operate, seed: 8 }, 40_000_000);
    expect(drillSimReachedMs(drill, [noDrift, otherSeed])).toBeNull();
  });
});
