import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
import { readJsonFile } from './json-file';
import { validateProgressFile } from './progress-file-schema';
import type { ExerciseEvent, LessonProgress } from './records';

/** The `format` tag of a progress file. */
export const PROGRESS_FILE_FORMAT = 'pocket-mlops-progress';
/** Versions of the progress file format this app reads. */
export const SUPPORTED_PROGRESS_FILE_VERSIONS: readonly number[] = [1];
/** Default size limit for `parseProgressFile`: 5 MB (5 * 1024 * 1024 bytes). */
export const DEFAULT_MAX_PROGRESS_FILE_BYTES = 5 * 1024 * 1024;

/** A lesson record in a file; `attempts` is optional because import recomputes it from the events. */
export type ProgressFileLesson = Omit<LessonProgress, 'attempts'> & { attempts?: number };
/** An event record in a file; `seq` is its order on the exporting device. */
export type ProgressFileEvent = ExerciseEvent;

/**
 * All of a learner's progress, as one JSON file (format version 1).
 * `checksum` detects corruption (a truncated download, a bad edit), NOT dishonesty: anyone can
 * edit the file and recompute it. Without a server, nothing can prove a file is honest.
 */
export interface ProgressFile {
  format: typeof PROGRESS_FILE_FORMAT;
  version: 1;
  /** When it was exported, ISO 8601. */
  exportedAt: string;
  app: { schemaVersion: number };
  lessonProgress: ProgressFileLesson[];
  exerciseEvents: ProgressFileEvent[];
  /** SHA-256 hex of the canonical JSON (keys sorted recursively) of every other field. */
  checksum: string;
}

/** Computes the checksum of `file` (every field but `checksum`); see `ProgressFile`. */
export function progressFileChecksum(
  file: Omit<ProgressFile, 'checksum'> | Record<string, unknown>,
): Promise<string> {
  const { checksum: _ignored, ...rest } = file as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Parses and strictly validates the text of a progress file.
 * The size is checked before parsing, so a huge file is refused without being parsed.
 * @param opts.maxBytes largest accepted file in bytes of UTF-8; default 5 MB.
 * @throws ImportError saying what is wrong and, for schema errors, where (a JSON path).
 */
export async function parseProgressFile(
  text: string,
  opts: { maxBytes?: number } = {},
): Promise<ProgressFile> {
  const parsed = readJsonFile(text, opts.maxBytes ?? DEFAULT_MAX_PROGRESS_FILE_BYTES);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImportError('this is not a Pocket MLOps progress file (expected a JSON object)');
  }
  const root = parsed as Record<string, unknown>;
  if (root.format !== PROGRESS_FILE_FORMAT) {
    const found =
      root.format === undefined ? 'no "format" field' : `format ${JSON.stringify(root.format)}`;
    throw new ImportError(
      `this is not a Pocket MLOps progress file (${found}; expected "${PROGRESS_FILE_FORMAT}")`,
      'format',
    );
  }
  if (
    typeof root.version !== 'number' ||
    !SUPPORTED_PROGRESS_FILE_VERSIONS.includes(root.version)
  ) {
    const newer =
      typeof root.version === 'number' &&
      root.version > Math.max(...SUPPORTED_PROGRESS_FILE_VERSIONS);
    throw new ImportError(
      `unsupported progress file version ${JSON.stringify(root.version)}; this app reads version ${SUPPORTED_PROGRESS_FILE_VERSIONS.join(', ')}` +
        (newer ? ' (the file comes from a newer Pocket MLOps: update the app)' : ''),
      'version',
    );
  }
  const file = validateProgressFile(root);
  // Hash what was in the file, not our cleaned copy, so nothing is normalized away unseen.
  if ((await progressFileChecksum(root)) !== file.checksum) {
    throw new ImportError(
      'checksum mismatch: the file was changed or corrupted after export',
      'checksum',
    );
  }
  return file;
}
