import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDrill } from '../lessons/drills-parse';
import type { IncidentDrill } from '../lessons/drills-types';
import { readFindings } from './drills-findings-form';
import { FINDING_KEYS } from './drills-session.svelte';

const file = 'lessons/drills/10-predictions-degraded.md';
const drill = parseDrill(file, readFileSync(file, 'utf8')) as IncidentDrill;

describe('reading the findings form', () => {
  it('parses every field of a complete form', () => {
    const read = readFindings(drill, {
      [FINDING_KEYS.features]: 'px_r3c3, 28 35 36',
      [FINDING_KEYS.kind]: 'upstream-bug',
      [FINDING_KEYS.onset]: 'day 0, 06:00:00',
      [FINDING_KEYS.action]: 'fix-upstream',
    });
    expect(read).toEqual({
      ok: true,
      findings: {
        features: [27, 28, 35, 36],
        kind: 'upstream-bug',
        onsetMs: 21_600_000,
        action: 'fix-upstream',
      },
    });
  });

  it('says what is missing or malformed, field by field', () => {
    const read = readFindings(drill, {
      [FINDING_KEYS.features]: 'px_r9c9',
      [FINDING_KEYS.kind]: 'weird',
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.features).toMatch(/"px_r9c9" is not a feature/);
    expect(read.errors.kind).toBe('Choose the kind of problem.');
    expect(read.errors.onset).toMatch(/Type the time as the Operate screen shows it/);
    expect(read.errors.action).toBe('Choose what you do first.');
  });
});
