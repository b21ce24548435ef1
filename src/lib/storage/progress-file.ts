import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
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
 * Formats a byte count for a message (1 KB = 1024 bytes, 1 MB = 1024 KB) with one decimal,
 * or, when `trimWhole`, none for a whole number (limits read better as "5 MB").
 */
function formatSize(bytes: number, trimWhole: boolean): string {
  const [value, unit] =
    bytes >= 1024 * 1024
      ? [bytes / (1024 * 1024), 'MB']
      : bytes >= 1024
        ? [bytes / 1024, 'KB']
        : [bytes, 'bytes'];
  return `${unit === 'bytes' || (trimWhole && Number.isInteger(value)) ? value : value.toFixed(1)} ${unit}`;
}

/** UTF-8 length of `text` without allocating an encoded copy. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True when `text` ends inside a string or with brackets still open: the usual sign of a cut-off file. */
function looksTruncated(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}

/** Where JSON.parse failed, as "line L, column C", from the engine's message when it says. */
function parsePosition(text: string, message: string): string | null {
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  const lineCol = /line (\d+) column (\d+)/.exec(message); // Firefox
  return lineCol ? `line ${lineCol[1]}, column ${lineCol[2]}` : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (looksTruncated(text)) {
      throw new ImportError(
        'the file looks truncated (it ends in the middle of the data) and is not valid JSON',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const where = parsePosition(text, message);
    throw new ImportError(`the file is not valid JSON${where ? ` (at ${where})` : ''}: ${message}`);
  }
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
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_PROGRESS_FILE_BYTES;
  if (text.length === 0) throw new ImportError('the file is empty');
  // UTF-8 never takes fewer bytes than UTF-16 code units, so only count bytes near the limit.
  const bytes = text.length * 3 > maxBytes ? utf8Bytes(text) : text.length;
  if (bytes > maxBytes) {
    throw new ImportError(
      `file is ${formatSize(bytes, false)}; the limit is ${formatSize(maxBytes, true)}`,
    );
  }
  if (text.trim() === '') throw new ImportError('the file is empty (only whitespace)');
  const parsed = parseJson(text);
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
