/**
 * Reading a JSON file a learner picked: the checks every import shares (empty, too big,
 * truncated, not JSON), each refused with an ImportError that says what is wrong.
 */
import { ImportError } from './errors';

/**
 * Formats a byte count for a message (1 KB = 1024 bytes, 1 MB = 1024 KB) with one decimal,
 * or, when `trimWhole`, none for a whole number (limits read better as "5 MB").
 */
export function formatSize(bytes: number, trimWhole: boolean): string {
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

export function parseJson(text: string): unknown {
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
 * Size-checks then parses the text of an imported file. The size is checked before parsing,
 * so a huge file is refused fast without being parsed.
 * @param maxBytes largest accepted file, in bytes of UTF-8.
 */
export function readJsonFile(text: string, maxBytes: number): unknown {
  if (text.length === 0) throw new ImportError('the file is empty');
  // UTF-8 never takes fewer bytes than UTF-16 code units, so only count bytes near the limit.
  const bytes = text.length * 3 > maxBytes ? utf8Bytes(text) : text.length;
  if (bytes > maxBytes) {
    throw new ImportError(
      `file is ${formatSize(bytes, false)}; the limit is ${formatSize(maxBytes, true)}`,
    );
  }
  if (text.trim() === '') throw new ImportError('the file is empty (only whitespace)');
  return parseJson(text);
}
