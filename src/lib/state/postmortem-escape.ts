/**
 * Escaping learner text (and recorded reasons) for the post-mortem's markdown, so that what the
 * learner typed is shown as typed and can never change the document's structure: a `|` cannot
 * split a table cell, a `#` cannot start a heading, backticks cannot open code, `$` cannot open
 * math (the app's renderer reads `$...$` as KaTeX), `<` cannot start HTML. Uses CommonMark's
 * backslash escapes, which every markdown reader (GitHub, pandoc, the app) understands.
 */

/** Characters that mean something inline: escaped wherever they appear. */
const INLINE = /[\\`*_[\]<>|~$&#!]/g;

/** Escapes inline markdown; keeps line breaks (callers decide what a newline becomes). */
function escapeChars(text: string): string {
  return text.replace(INLINE, (c) => `\\${c}`);
}

/**
 * One line of text for a table cell or a heading: whitespace (newlines included) collapsed to
 * single spaces, every markdown character escaped.
 */
export function escapeInline(text: string): string {
  return escapeChars(text.replace(/\s+/g, ' ').trim());
}

/** A line-start marker that would make a block: list, quote, heading, setext underline, rule. */
const BLOCK_START = /^([-+=>]|\d+[.)])/;

/**
 * Free text (several lines and paragraphs) as markdown paragraphs: characters escaped, each
 * line's leading spaces removed (four would make a code block) and its block marker escaped
 * (`- x`, `1. x`, `> x`, `===`), and single line breaks kept as hard breaks (a trailing
 * backslash). Blank lines separate paragraphs, as the learner typed them.
 */
export function escapeBlock(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((line) =>
          escapeChars(line.trim()).replace(BLOCK_START, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`),
        )
        .filter((line) => line !== '')
        .join('\\\n'),
    )
    .filter((p) => p !== '');
  return paragraphs.join('\n\n');
}

/** A table row from already-escaped cells. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
}

/** A GFM table: header cells (plain words, escaped here) and rows of escaped cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    tableRow(header.map(escapeInline)),
    tableRow(header.map(() => '---')),
    ...rows.map(tableRow),
  ].join('\n');
}
