import { describe, expect, it } from 'vitest';
import type { ClassReportRecord, ExerciseEvent } from '../storage';
import { buildClassTable, cellText, classTableCsv, csvField } from './class-table';
import { buildReport, parseReport, reportFileName, reportRecord } from './class-table-report';

const ex = [
  { lessonId: 'intro', exerciseId: 'intro.quiz' },
  { lessonId: 'intro', exerciseId: 'intro.check' },
];
const ev = (
  exerciseId: string,
  kind: ExerciseEvent['kind'],
  passed?: boolean,
  seq = 1,
): ExerciseEvent => ({
  seq,
  lessonId: 'intro',
  exerciseId,
  kind,
  at: 1000 + seq,
  ...(passed !== undefined && { passed }),
});

async function record(
  name: string,
  events: ExerciseEvent[],
  at = 1_764_000_000_000,
): Promise<ClassReportRecord> {
  return reportRecord(await buildReport(name, ex, events, at), at + 1);
}

describe('progress reports', () => {
  it('summarizes events per exercise and round-trips through the file', async () => {
    const events = [
      ev('intro.quiz', 'check', false, 1),
      ev('intro.quiz', 'hint', undefined, 2),
      ev('intro.quiz', 'check', true, 3),
      ev('intro.check', 'solution', undefined, 4),
    ];
    const report = await buildReport('  Ada Lovelace ', ex, events, Date.UTC(2026, 10, 25));
    expect(report.learnerName).toBe('Ada Lovelace');
    expect(report.exercises).toEqual([
      {
        lessonId: 'intro',
        exerciseId: 'intro.quiz',
        status: 'passed',
        attempts: 2,
        hintsUsed: 1,
        solutionRevealed: false,
      },
      {
        lessonId: 'intro',
        exerciseId: 'intro.check',
        status: 'attempted',
        attempts: 0,
        hintsUsed: 0,
        solutionRevealed: true,
      },
    ]);
    expect(await parseReport(JSON.stringify(report))).toEqual(report);
    expect(reportFileName(report)).toBe('progress-report-ada-lovelace-2026-11-25.json');
    await expect(buildReport(' ', ex, [], 0)).rejects.toThrow(/type your name/);
  });

  it('refuses tampered, truncated, empty, huge and malformed files with the reason', async () => {
    const text = JSON.stringify(
      await buildReport('Ada', ex, [ev('intro.quiz', 'check', false)], 0),
    );
    await expect(parseReport(text.replace('"attempted"', '"passed"'))).rejects.toThrow(
      /^checksum: checksum mismatch/,
    );
    await expect(parseReport(text.slice(0, 120))).rejects.toThrow(/truncated/);
    await expect(parseReport('')).rejects.toThrow(/empty/);
    await expect(parseReport(' '.repeat(2 * 1024 * 1024))).rejects.toThrow(/limit is 1 MB/);
    await expect(parseReport('{"format":"pocket-mlops-progress"}')).rejects.toThrow(
      /full progress file/,
    );
    const bad = JSON.parse(text);
    bad.exercises[0].attempts = -1;
    await expect(parseReport(JSON.stringify(bad))).rejects.toThrow(
      /^exercises\[0\]\.attempts: must be a whole number/,
    );
  });
});

describe('class table', () => {
  it('builds rows, totals and sorts', async () => {
    const a = await record('Zed', [ev('intro.quiz', 'check', true)]);
    const b = await record('amy', [
      ev('intro.check', 'check', false),
      ev('intro.check', 'solution', undefined, 2),
    ]);
    const t = buildClassTable([a, b], ['intro.quiz', 'intro.check']);
    expect(t.exercises).toEqual(['intro.quiz', 'intro.check']);
    expect(t.rows.map((r) => r.learnerName)).toEqual(['amy', 'Zed']);
    expect(t.passedBy).toEqual([1, 0]);
    expect(t.rows[0]).toMatchObject({ passed: 0, attempted: 1, solutionsRevealed: 1 });
    expect(cellText(t.rows[0].cells[1])).toBe('attempted, 1 attempt, solution revealed');
    const byPassed = buildClassTable([a, b], [], { key: 'passed', descending: true });
    expect(byPassed.rows[0].learnerName).toBe('Zed');
    expect(byPassed.exercises).toEqual(['intro.check', 'intro.quiz']); // unknown ids: sorted
  });

  it('quotes CSV fields as RFC 4180 says and neutralizes formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvField('Ada "the first" L')).toBe('"Ada ""the first"" L"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('exports the whole table as CSV with CRLF lines', async () => {
    const t = buildClassTable(
      [await record('Lovelace, "Ada"\n=cmd', [ev('intro.quiz', 'check', true)])],
      ['intro.quiz', 'intro.check'],
    );
    const csv = classTableCsv(t);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'Learner,Signed at (UTC),Passed,Attempted,Solutions revealed,intro.quiz,intro.check',
    );
    expect(lines[1]).toBe(
      `"Lovelace, ""Ada""\n=cmd",2025-11-24T16:00:00.000Z,1,0,0,"passed, 1 attempt",not started`,
    );
    expect(lines[2]).toBe('Learners who passed,,,,,1,0');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
