/**
 * Backup shape checks for the stores schema v5 added (v5-records.ts). Like the other checks they
 * look at the fields the app reads and keep any other field as it was.
 */
import {
  array,
  fail,
  finite,
  integer,
  object,
  oneOf,
  string,
  text,
  time,
  type Obj,
} from './backup-checks';
import type {
  ClassReportRecord,
  DrillAttemptRecord,
  LessonPackRecord,
  SimSessionRecord,
} from './v5-records';

function objects(value: unknown, path: string): void {
  array(value, path).forEach((item, i) => object(item, `${path}[${i}]`));
}

function boolean(value: unknown, path: string): void {
  if (typeof value !== 'boolean') fail(path, 'expected true or false');
}

function stringMap(value: unknown, path: string, check: (v: unknown, p: string) => void): void {
  const o = object(value, path);
  for (const [k, v] of Object.entries(o)) check(v, `${path}.${k}`);
}

export function simSession(value: unknown, path: string): SimSessionRecord {
  const o: Obj = object(value, path);
  string(o.id, `${path}.id`);
  time(o.createdAt, `${path}.createdAt`);
  time(o.updatedAt, `${path}.updatedAt`);
  string(o.versionId, `${path}.versionId`);
  object(o.spec, `${path}.spec`);
  finite(o.simTimeMs, `${path}.simTimeMs`);
  integer(o.requests, `${path}.requests`, 0);
  for (const f of ['windows', 'alerts', 'log']) objects(o[f], `${path}.${f}`);
  const ledger = object(o.ledger, `${path}.ledger`);
  for (const f of ['recorded', 'lost', 'doubled']) integer(ledger[f], `${path}.ledger.${f}`, 0);
  return o as unknown as SimSessionRecord;
}

export function drillAttempt(value: unknown, path: string): DrillAttemptRecord {
  const o: Obj = object(value, path);
  string(o.id, `${path}.id`);
  string(o.drillId, `${path}.drillId`);
  oneOf(o.kind, `${path}.kind`, ['design', 'incident']);
  time(o.startedAt, `${path}.startedAt`);
  if (o.finishedAt !== undefined) time(o.finishedAt, `${path}.finishedAt`);
  finite(o.timeLimitMs, `${path}.timeLimitMs`);
  stringMap(o.answers, `${path}.answers`, text);
  stringMap(o.rubricScores, `${path}.rubricScores`, finite);
  if (o.score !== undefined) finite(o.score, `${path}.score`);
  finite(o.maxScore, `${path}.maxScore`);
  boolean(o.modelAnswerRevealed, `${path}.modelAnswerRevealed`);
  return o as unknown as DrillAttemptRecord;
}

export function lessonPack(value: unknown, path: string): LessonPackRecord {
  const o: Obj = object(value, path);
  string(o.id, `${path}.id`);
  string(o.title, `${path}.title`);
  text(o.author, `${path}.author`);
  time(o.importedAt, `${path}.importedAt`);
  string(o.checksum, `${path}.checksum`);
  array(o.lessons, `${path}.lessons`).forEach((item, i) => {
    const lesson = object(item, `${path}.lessons[${i}]`);
    string(lesson.fileName, `${path}.lessons[${i}].fileName`);
    string(lesson.source, `${path}.lessons[${i}].source`);
  });
  return o as unknown as LessonPackRecord;
}

export function classReport(value: unknown, path: string): ClassReportRecord {
  const o: Obj = object(value, path);
  string(o.id, `${path}.id`);
  string(o.learnerName, `${path}.learnerName`);
  time(o.signedAt, `${path}.signedAt`);
  time(o.importedAt, `${path}.importedAt`);
  string(o.checksum, `${path}.checksum`);
  array(o.exercises, `${path}.exercises`).forEach((item, i) => {
    const p = `${path}.exercises[${i}]`;
    const e = object(item, p);
    string(e.lessonId, `${p}.lessonId`);
    string(e.exerciseId, `${p}.exerciseId`);
    string(e.status, `${p}.status`);
    integer(e.attempts, `${p}.attempts`, 0);
    integer(e.hintsUsed, `${p}.hintsUsed`, 0);
    boolean(e.solutionRevealed, `${p}.solutionRevealed`);
  });
  return o as unknown as ClassReportRecord;
}
