/**
 * The class table: learners (one imported report each) by exercises, with totals, sorting and a
 * CSV export. Pure functions over stored reports.
 */
import type { ClassReportRecord } from '../storage';

/** One cell: how far a learner got on one exercise. `none` = no record in their report. */
export interface ClassCell {
  status: 'passed' | 'attempted' | 'not-started' | 'none';
  attempts: number;
  hintsUsed: number;
  solutionRevealed: boolean;
}

export interface ClassRow {
  id: string;
  learnerName: string;
  /** ms since the epoch. */
  signedAt: number;
  cells: ClassCell[];
  passed: number;
  attempted: number;
  solutionsRevealed: number;
}

export interface ClassTable {
  /** Exercise ids, in course order, then any the course does not know (other packs), sorted. */
  exercises: string[];
  rows: ClassRow[];
  /** Per exercise: learners who passed it. */
  passedBy: number[];
}

export type SortKey = 'name' | 'passed' | 'attempted' | 'solutions' | 'signed';

const NONE: ClassCell = { status: 'none', attempts: 0, hintsUsed: 0, solutionRevealed: false };

/**
 * Builds the table.
 * @param courseOrder exercise ids in the order the course (and installed packs) lists them.
 */
export function buildClassTable(
  reports: readonly ClassReportRecord[],
  courseOrder: readonly string[],
  sort: { key: SortKey; descending: boolean } = { key: 'name', descending: false },
): ClassTable {
  const seen = new Set(reports.flatMap((r) => r.exercises.map((e) => e.exerciseId)));
  const known = courseOrder.filter((id) => seen.has(id));
  const extra = [...seen].filter((id) => !courseOrder.includes(id)).sort();
  const exercises = [...known, ...extra];
  const rows = reports.map((r): ClassRow => {
    const byId = new Map(r.exercises.map((e) => [e.exerciseId, e]));
    const cells = exercises.map((id): ClassCell => {
      const e = byId.get(id);
      if (!e) return NONE;
      const status = e.status === 'passed' || e.status === 'attempted' ? e.status : 'not-started';
      return {
        status,
        attempts: e.attempts,
        hintsUsed: e.hintsUsed,
        solutionRevealed: e.solutionRevealed,
      };
    });
    return {
      id: r.id,
      learnerName: r.learnerName,
      signedAt: r.signedAt,
      cells,
      passed: cells.filter((c) => c.status === 'passed').length,
      attempted: cells.filter((c) => c.status === 'attempted').length,
      solutionsRevealed: cells.filter((c) => c.solutionRevealed).length,
    };
  });
  const value = (r: ClassRow): string | number =>
    sort.key === 'name'
      ? r.learnerName.toLocaleLowerCase()
      : sort.key === 'passed'
        ? r.passed
        : sort.key === 'attempted'
          ? r.attempted
          : sort.key === 'solutions'
            ? r.solutionsRevealed
            : r.signedAt;
  rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
    // Ties keep a stable, readable order: by name, then by signing time.
    const tie = a.learnerName.localeCompare(b.learnerName) || a.signedAt - b.signedAt;
    return (sort.descending ? -c : c) || tie;
  });
  const passedBy = exercises.map(
    (_, i) => rows.filter((r) => r.cells[i].status === 'passed').length,
  );
  return { exercises, rows, passedBy };
}

/** A cell in words (for the CSV and screen readers), e.g. "passed, 2 attempts, solution revealed". */
export function cellText(c: ClassCell): string {
  if (c.status === 'none') return 'not in report';
  const parts: string[] = [c.status === 'not-started' ? 'not started' : c.status];
  if (c.attempts > 0) parts.push(`${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`);
  if (c.hintsUsed > 0) parts.push(`${c.hintsUsed} hint${c.hintsUsed === 1 ? '' : 's'}`);
  if (c.solutionRevealed) parts.push('solution revealed');
  return parts.join(', ');
}

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled). A
 * value starting with = + - @ tab or CR gets a leading apostrophe first, so a spreadsheet shows
 * it as text instead of running it as a formula (CSV injection).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The table as CSV text (CRLF line ends, header row first, a totals row last). */
export function classTableCsv(table: ClassTable): string {
  const header = [
    'Learner',
    'Signed at (UTC)',
    'Passed',
    'Attempted',
    'Solutions revealed',
    ...table.exercises,
  ];
  const lines = [header];
  for (const r of table.rows) {
    lines.push([
      r.learnerName,
      new Date(r.signedAt).toISOString(),
      String(r.passed),
      String(r.attempted),
      String(r.solutionsRevealed),
      ...r.cells.map(cellText),
    ]);
  }
  lines.push(['Learners who passed', '', '', '', '', ...table.passedBy.map(String)]);
  return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}
