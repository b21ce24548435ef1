/**
 * An instructor's lesson pack: one JSON file bundling lessons in the course's markdown format
 * (lessons/README.md, "Lesson packs"). Parsing is strict and all-or-nothing: every lesson goes
 * through the same parser and validator as the built-in course (only widgets and checks that
 * exist), ids may not collide with built-in lessons or other installed packs, and the checksum
 * must match. Errors name the file and line, as `01-x.md:12: message`.
 */
import {
  LESSON_FILE_RE,
  LESSON_ID_RE,
  LessonValidationError,
  parseLesson,
  validateCourse,
} from '../lessons/parse';
import { lessonExercises } from '../lessons/exercises';
import type { Lesson, LessonError } from '../lessons/types';
import {
  ImportError,
  canonicalJson,
  readJsonFile,
  sha256Hex,
  type LessonPackRecord,
} from '../storage';

export const LESSON_PACK_FORMAT = 'pocket-mlops-lesson-pack';
/** Largest pack file accepted: 2 MB (2 * 1024 * 1024 bytes of UTF-8). */
export const MAX_LESSON_PACK_BYTES = 2 * 1024 * 1024;
/** Most lessons in one pack. */
export const MAX_PACK_LESSONS = 40;
/** Largest lesson source in a pack, in UTF-16 code units (about bytes for English text). */
export const MAX_LESSON_SOURCE_CHARS = 200_000;

/** The file as an instructor writes it (scripts/make-lesson-pack.mjs makes one). */
export interface LessonPackFile {
  format: typeof LESSON_PACK_FORMAT;
  version: 1;
  id: string;
  title: string;
  author: string;
  lessons: { fileName: string; source: string }[];
  /** SHA-256 hex of the canonical JSON of every other field. */
  checksum: string;
}

/** A pack that passed every check, ready to save in one transaction. */
export interface ParsedLessonPack {
  record: Omit<LessonPackRecord, 'importedAt'>;
  lessons: Lesson[];
}

/** Who already uses lesson and exercise ids: the built-in course and other installed packs. */
export interface IdOwners {
  builtIn: readonly Lesson[];
  /** Installed packs, each with its parsed lessons. A pack with the same id is being replaced. */
  packs: readonly { id: string; title: string; lessons: readonly Lesson[] }[];
}

/** Checksum of a pack file: SHA-256 of the canonical JSON of everything but `checksum`. */
export function lessonPackChecksum(file: Record<string, unknown>): Promise<string> {
  const { checksum: _ignored, ...rest } = file;
  return sha256Hex(canonicalJson(rest));
}

const KEYS = ['format', 'version', 'id', 'title', 'author', 'lessons', 'checksum'];

function field(root: Record<string, unknown>, key: string, max: number): string {
  const v = root[key];
  if (typeof v !== 'string' || v.trim() === '')
    throw new ImportError('must be a non-empty string', key);
  if (v.length > max) throw new ImportError(`is ${v.length} characters; the limit is ${max}`, key);
  return v.trim();
}

function lessonEntries(value: unknown): { fileName: string; source: string }[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ImportError('must be a non-empty list of { fileName, source }', 'lessons');
  if (value.length > MAX_PACK_LESSONS)
    throw new ImportError(
      `has ${value.length} lessons; the limit is ${MAX_PACK_LESSONS}`,
      'lessons',
    );
  return value.map((entry, i) => {
    const at = `lessons[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ImportError('must be an object { fileName, source }', at);
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e))
      if (k !== 'fileName' && k !== 'source') throw new ImportError(`unknown field "${k}"`, at);
    if (typeof e.fileName !== 'string' || !LESSON_FILE_RE.test(e.fileName))
      throw new ImportError(
        `fileName must be NN-slug.md (two digits, a hyphen, a kebab-case slug), got ${JSON.stringify(e.fileName)}`,
        at,
      );
    if (typeof e.source !== 'string' || e.source.trim() === '')
      throw new ImportError(`${e.fileName}: source must be the lesson's markdown text`, at);
    if (e.source.length > MAX_LESSON_SOURCE_CHARS)
      throw new ImportError(
        `${e.fileName} is ${e.source.length} characters; the limit is ${MAX_LESSON_SOURCE_CHARS}`,
        at,
      );
    return { fileName: e.fileName, source: e.source };
  });
}

/** Parses every lesson; collects all errors of all lessons before refusing. */
function parseAll(
  entries: { fileName: string; source: string }[],
  owners: IdOwners,
  packId: string,
): Lesson[] {
  const errors: LessonError[] = [];
  const lessons: Lesson[] = [];
  for (const { fileName, source } of entries) {
    try {
      lessons.push(parseLesson(fileName, source));
    } catch (e) {
      if (!(e instanceof LessonValidationError)) throw e;
      errors.push(...e.errors);
    }
  }
  const builtInIds = new Set(owners.builtIn.map((l) => l.meta.id));
  // Prerequisites may name built-in lessons; everything else follows the course's own rules.
  errors.push(
    ...validateCourse(lessons).filter((e) => {
      const m = /^unknown prerequisite "([^"]+)"/.exec(e.message);
      return !(m && builtInIds.has(m[1]));
    }),
  );
  const lessonOwner = new Map<string, string>();
  const exerciseOwner = new Map<string, string>();
  for (const l of owners.builtIn) {
    lessonOwner.set(l.meta.id, `the built-in lesson ${l.file}`);
    for (const x of lessonExercises(l)) exerciseOwner.set(x.id, `the built-in lesson ${l.file}`);
  }
  for (const p of owners.packs) {
    if (p.id === packId) continue; // the same pack, being replaced by a newer file
    for (const l of p.lessons) {
      lessonOwner.set(l.meta.id, `the pack "${p.title}"`);
      for (const x of lessonExercises(l)) exerciseOwner.set(x.id, `the pack "${p.title}"`);
    }
  }
  for (const l of lessons) {
    const owner = lessonOwner.get(l.meta.id);
    if (owner)
      errors.push({
        file: l.file,
        line: l.metaLines.id ?? 1,
        message: `lesson id "${l.meta.id}" is already used by ${owner}; pick another id`,
      });
    for (const s of l.segments) {
      if (s.kind !== 'exercise') continue;
      const used = exerciseOwner.get(s.exercise.id);
      if (used)
        errors.push({
          file: l.file,
          line: s.line,
          message: `exercise id "${s.exercise.id}" is already used by ${used}; pick another id`,
        });
    }
  }
  if (errors.length > 0) throw new LessonValidationError(errors);
  return lessons;
}

/**
 * Parses and validates a lesson pack file (its text). Nothing is saved here.
 * @throws ImportError (format, fields, size, checksum) or LessonValidationError (a lesson's
 *   `file:line: message` list); either way, nothing may be saved.
 */
export async function parseLessonPackFile(
  text: string,
  owners: IdOwners,
): Promise<ParsedLessonPack> {
  const parsed = readJsonFile(text, MAX_LESSON_PACK_BYTES);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ImportError('this is not a Pocket MLOps lesson pack (expected a JSON object)');
  const root = parsed as Record<string, unknown>;
  if (root.format !== LESSON_PACK_FORMAT)
    throw new ImportError(
      `this is not a Pocket MLOps lesson pack (${root.format === undefined ? 'no "format" field' : `format ${JSON.stringify(root.format)}`}; expected "${LESSON_PACK_FORMAT}")`,
      'format',
    );
  if (root.version !== 1)
    throw new ImportError(
      `unsupported lesson pack version ${JSON.stringify(root.version)}; this app reads version 1`,
      'version',
    );
  for (const k of Object.keys(root))
    if (!KEYS.includes(k)) throw new ImportError(`unknown field "${k}"`);
  const id = field(root, 'id', 64);
  if (!LESSON_ID_RE.test(id))
    throw new ImportError(`must be kebab-case, got ${JSON.stringify(id)}`, 'id');
  const title = field(root, 'title', 120);
  const author = field(root, 'author', 120);
  const entries = lessonEntries(root.lessons);
  if (typeof root.checksum !== 'string' || !/^[0-9a-f]{64}$/.test(root.checksum))
    throw new ImportError('must be 64 lowercase hex digits (SHA-256)', 'checksum');
  if ((await lessonPackChecksum(root)) !== root.checksum)
    throw new ImportError(
      'checksum mismatch: the file was changed or corrupted after it was made',
      'checksum',
    );
  const lessons = parseAll(entries, owners, id);
  return {
    record: {
      id,
      title,
      author,
      checksum: root.checksum,
      lessons: entries,
      index: lessons.map((l) => ({
        id: l.meta.id,
        title: l.meta.title,
        minutes: l.meta.minutes,
        level: l.meta.level,
      })),
    },
    lessons,
  };
}
