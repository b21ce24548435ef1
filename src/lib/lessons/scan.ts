/**
 * Low-level scanning shared by the parser and the renderer: code fences, and the positions of
 * `$...$` / `$$...$$` math outside code. Pure string functions, no DOM.
 *
 * Math rules (pandoc's): `$$...$$` is display math and may span lines; `$...$` is inline math when
 * the opening `$` is followed by a non-space, the closing `$` is preceded by a non-space and not
 * followed by a digit, and no blank line lies between them. So "costs $5 and $10" stays text.
 * `\$` is a literal dollar sign. Nothing inside code spans or fenced code blocks is math.
 */

export interface Fence {
  char: '`' | '~';
  length: number;
  /** Info string after the fence, trimmed (e.g. `widget lifecycle-map`, `ts`). */
  info: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** The fence a line opens, or null. A backtick fence's info string may not contain backticks. */
export function openFence(line: string): Fence | null {
  const m = FENCE_OPEN.exec(line);
  if (!m) return null;
  const char = m[1][0] as '`' | '~';
  if (char === '`' && m[2].includes('`')) return null;
  return { char, length: m[1].length, info: m[2].trim() };
}

/** True when `line` closes `fence` (same character, at least as long, nothing after). */
export function closesFence(line: string, fence: Fence): boolean {
  const m = FENCE_CLOSE.exec(line);
  return m !== null && m[1][0] === fence.char && m[1].length >= fence.length;
}

export interface MathSpan {
  /** Offsets into the scanned text: `text.slice(start, end)` is the whole `$...$` source. */
  start: number;
  end: number;
  tex: string;
  display: boolean;
  /** 0-based line of `start` within the scanned text. */
  line: number;
}

export interface ScanProblem {
  /** 0-based line within the scanned text. */
  line: number;
  message: string;
}

export interface MathScan {
  spans: MathSpan[];
  problems: ScanProblem[];
}

/** Finds math spans outside fenced code blocks and code spans. */
export function scanMath(text: string): MathScan {
  const spans: MathSpan[] = [];
  const problems: ScanProblem[] = [];
  // Split into prose chunks between fenced code blocks; math never crosses a fence.
  const lines = text.split('\n');
  let offset = 0;
  let chunkStart = 0;
  let chunkLine = 0;
  let fence: Fence | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineStart = offset;
    offset += line.length + 1;
    if (fence) {
      if (closesFence(line, fence)) {
        fence = null;
        chunkStart = offset;
        chunkLine = i + 1;
      }
      continue;
    }
    const opened = openFence(line);
    if (opened) {
      scanChunk(text, chunkStart, lineStart, chunkLine, spans, problems);
      fence = opened;
    }
  }
  if (!fence) scanChunk(text, chunkStart, text.length, chunkLine, spans, problems);
  return { spans, problems };
}

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function scanChunk(
  text: string,
  from: number,
  to: number,
  firstLine: number,
  spans: MathSpan[],
  problems: ScanProblem[],
): void {
  let line = firstLine;
  let lineAt = from; // newlines counted up to this offset
  const lineOf = (pos: number) => {
    for (; lineAt < pos; lineAt++) if (text[lineAt] === '\n') line++;
    return line;
  };
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      i = skipCodeSpan(text, i, to);
      continue;
    }
    if (c !== '$') {
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      const close = findClose(text, i + 2, to, true);
      if (close < 0) {
        problems.push({
          line: lineOf(i),
          message: 'unclosed display math: "$$" without a closing "$$"',
        });
        i += 2;
        continue;
      }
      spans.push({
        start: i,
        end: close + 2,
        tex: text.slice(i + 2, close),
        display: true,
        line: lineOf(i),
      });
      i = close + 2;
      continue;
    }
    if (!isSpace(text[i + 1])) {
      const close = findClose(text, i + 1, to, false);
      if (close >= 0) {
        spans.push({
          start: i,
          end: close + 1,
          tex: text.slice(i + 1, close),
          display: false,
          line: lineOf(i),
        });
        i = close + 1;
        continue;
      }
    }
    i++;
  }
}

/** Offset of the closing delimiter, or -1. Inline math stops at a blank line. */
function findClose(text: string, from: number, to: number, display: boolean): number {
  for (let j = from; j < to; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (!display && c === '\n' && /^[ \t]*(\n|$)/.test(text.slice(j + 1, Math.min(to, j + 200))))
      return -1;
    if (c !== '$') continue;
    if (display) {
      if (text[j + 1] === '$') return j;
      continue;
    }
    if (j > from && !isSpace(text[j - 1]) && !isDigit(text[j + 1])) return j;
  }
  return -1;
}

/** Skips a code span starting at `i` (a run of backticks); returns the offset after it. */
function skipCodeSpan(text: string, i: number, to: number): number {
  let n = 0;
  while (text[i + n] === '`') n++;
  const run = '`'.repeat(n);
  let j = text.indexOf(run, i + n);
  while (j >= 0 && j < to) {
    let m = 0;
    while (text[j + m] === '`') m++;
    if (m === n) return j + n;
    j = text.indexOf(run, j + m);
  }
  return i + n; // no closing run: the backticks are literal
}
