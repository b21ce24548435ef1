/**
 * Progress reports: a learner signs off (types their name) and exports per-exercise results
 * (status, attempts, hints used, solution revealed) with a checksum; an instructor imports many
 * into the class table. The checksum (SHA-256 over canonical JSON) detects a damaged or edited
 * file; it cannot prove honesty: anyone can edit a report and recompute it. Only a server could.
 */
import { EXERCISE_ID_RE } from '../lessons/blocks';
import {
  ImportError,
  canonicalJson,
  readJsonFile,
  sha256Hex,
  type ClassReportRecord,
  type ExerciseEvent,
} from '../storage';

export const REPORT_FORMAT = 'pocket-mlops-progress-report';
/** Largest report file accepted: 1 MB. */
export const MAX_REPORT_BYTES = 1024 * 1024;
/** Longest learner name, in characters. */
export const MAX_NAME_CHARS = 100;
const MAX_EXERCISES = 5000;

/** passed: a check passed; attempted: checked, hinted or revealed but not passed; else not-started. */
export type ReportStatus = 'passed' | 'attempted' | 'not-started';

export interface ReportExercise {
  lessonId: string;
  exerciseId: string;
  status: ReportStatus;
  attempts: number;
  hintsUsed: number;
  solutionRevealed: boolean;
}

export interface ProgressReport {
  format: typeof REPORT_FORMAT;
  version: 1;
  learnerName: string;
  /** When the learner signed it off, ISO 8601. */
  signedAt: string;
  exercises: ReportExercise[];
  /** SHA-256 hex of the canonical JSON of every other field. */
  checksum: string;
}

/**
 * Builds a signed report from the exercise event log.
 * @param exercises every exercise the learner could do (course and pack lessons), in order.
 * @param now ms since the epoch, for `signedAt`.
 */
export async function buildReport(
  learnerName: string,
  exercises: readonly { lessonId: string; exerciseId: string }[],
  events: readonly ExerciseEvent[],
  now: number,
): Promise<ProgressReport> {
  const name = learnerName.trim();
  if (name === '') throw new ImportError('type your name first: the report is signed with it');
  if (name.length > MAX_NAME_CHARS)
    throw new ImportError(`the name is longer than ${MAX_NAME_CHARS} characters`);
  const rows = new Map<string, ReportExercise>();
  const row = (lessonId: string, exerciseId: string) => {
    let r = rows.get(exerciseId);
    if (!r) {
      r = {
        lessonId,
        exerciseId,
        status: 'not-started',
        attempts: 0,
        hintsUsed: 0,
        solutionRevealed: false,
      };
      rows.set(exerciseId, r);
    }
    return r;
  };
  for (const x of exercises) row(x.lessonId, x.exerciseId);
  for (const e of events) {
    const r = row(e.lessonId, e.exerciseId);
    if (e.kind === 'check') {
      r.attempts++;
      if (e.passed) r.status = 'passed';
    } else if (e.kind === 'hint') r.hintsUsed++;
    else r.solutionRevealed = true;
    if (r.status === 'not-started') r.status = 'attempted';
  }
  const body = {
    format: REPORT_FORMAT as typeof REPORT_FORMAT,
    version: 1 as const,
    learnerName: name,
    signedAt: new Date(now).toISOString(),
    exercises: [...rows.values()],
  };
  return { ...body, checksum: await sha256Hex(canonicalJson(body)) };
}

function exercise(v: unknown, i: number): ReportExercise {
  const at = `exercises[${i}]`;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ImportError('must be an object', at);
  const o = v as Record<string, unknown>;
  const keys = ['lessonId', 'exerciseId', 'status', 'attempts', 'hintsUsed', 'solutionRevealed'];
  for (const k of Object.keys(o))
    if (!keys.includes(k)) throw new ImportError(`unknown field "${k}"`, at);
  if (typeof o.lessonId !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(o.lessonId))
    throw new ImportError('must be a kebab-case lesson id', `${at}.lessonId`);
  if (typeof o.exerciseId !== 'string' || !EXERCISE_ID_RE.test(o.exerciseId))
    throw new ImportError('must be an exercise id such as intro.quiz-roles', `${at}.exerciseId`);
  if (o.status !== 'passed' && o.status !== 'attempted' && o.status !== 'not-started')
    throw new ImportError('must be "passed", "attempted" or "not-started"', `${at}.status`);
  for (const k of ['attempts', 'hintsUsed'] as const) {
    const n = o[k];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1e6)
      throw new ImportError('must be a whole number from 0 to 1,000,000', `${at}.${k}`);
  }
  if (typeof o.solutionRevealed !== 'boolean')
    throw new ImportError('must be true or false', `${at}.solutionRevealed`);
  return o as unknown as ReportExercise;
}

/**
 * Parses and checks a report file's text.
 * @throws ImportError saying what is wrong (empty, too big, truncated, not a report, a field,
 *   checksum mismatch).
 */
export async function parseReport(text: string): Promise<ProgressReport> {
  const root = readJsonFile(text, MAX_REPORT_BYTES);
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw new ImportError('this is not a Pocket MLOps progress report (expected a JSON object)');
  const o = root as Record<string, unknown>;
  if (o.format !== REPORT_FORMAT) {
    const hint =
      o.format === 'pocket-mlops-progress'
        ? ' (it is a full progress file: ask for the report from the Classroom page)'
        : '';
    throw new ImportError(`this is not a Pocket MLOps progress report${hint}`, 'format');
  }
  if (o.version !== 1)
    throw new ImportError(
      `unsupported report version ${JSON.stringify(o.version)}; this app reads version 1`,
      'version',
    );
  const keys = ['format', 'version', 'learnerName', 'signedAt', 'exercises', 'checksum'];
  for (const k of Object.keys(o))
    if (!keys.includes(k)) throw new ImportError(`unknown field "${k}"`);
  if (
    typeof o.learnerName !== 'string' ||
    o.learnerName.trim() === '' ||
    o.learnerName.length > MAX_NAME_CHARS
  )
    throw new ImportError(`must be a name of 1 to ${MAX_NAME_CHARS} characters`, 'learnerName');
  if (typeof o.signedAt !== 'string' || Number.isNaN(Date.parse(o.signedAt)))
    throw new ImportError('must be a date and time (ISO 8601)', 'signedAt');
  if (!Array.isArray(o.exercises) || o.exercises.length > MAX_EXERCISES)
    throw new ImportError(`must be a list of at most ${MAX_EXERCISES} exercises`, 'exercises');
  const exercises = o.exercises.map(exercise);
  if (typeof o.checksum !== 'string' || !/^[0-9a-f]{64}$/.test(o.checksum))
    throw new ImportError('must be 64 lowercase hex digits (SHA-256)', 'checksum');
  const { checksum: _c, ...body } = o;
  if ((await sha256Hex(canonicalJson(body))) !== o.checksum)
    throw new ImportError(
      'checksum mismatch: the report was changed or damaged after it was signed',
      'checksum',
    );
  return {
    format: REPORT_FORMAT,
    version: 1,
    learnerName: o.learnerName.trim(),
    signedAt: o.signedAt,
    exercises,
    checksum: o.checksum,
  };
}

/** The stored form of a checked report; its id is the checksum, so the same file never goes in twice. */
export function reportRecord(report: ProgressReport, importedAt: number): ClassReportRecord {
  return {
    id: report.checksum,
    learnerName: report.learnerName,
    signedAt: Date.parse(report.signedAt),
    importedAt,
    checksum: report.checksum,
    exercises: report.exercises.map((e) => ({ ...e })),
  };
}

/** A file name for the learner's download, e.g. `progress-report-ada-lovelace-2026-11-25.json`. */
export function reportFileName(report: ProgressReport): string {
  const slug =
    report.learnerName
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'learner';
  return `progress-report-${slug.slice(0, 40)}-${report.signedAt.slice(0, 10)}.json`;
}
