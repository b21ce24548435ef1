/**
 * The structured sections of a drill file: the answer canvas (`## Canvas`) and the rubric
 * (`## Rubric`), both markdown lists in a fixed shape, parsed with real file lines for errors.
 */
import type { Report } from './blocks';
import { MATH_HINT } from './blocks';
import { checkMath } from './render';
import type { CanvasSection, RubricItem } from './drills-types';

/** One line of a section body with its 1-based file line. */
export interface SourceLine {
  text: string;
  line: number;
}

/** kebab-case id from a label: `Trade-offs` -> `trade-offs`, `Model answer` -> `model-answer`. */
export function drillSlug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}

/** List items of a section: `- ` lines, each with the indented lines that continue it. */
function listItems(
  lines: SourceLine[],
  what: string,
  report: Report,
): { text: string; line: number }[] {
  const items: { text: string; line: number }[] = [];
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    if (/^[-*] /.test(l.text)) items.push({ text: l.text.slice(2).trim(), line: l.line });
    else if (/^\s{2,}\S/.test(l.text) && items.length > 0)
      items[items.length - 1].text += ` ${l.text.trim()}`;
    else report(l.line, `${what}: expected a list item "- **Name** ...", got "${l.text.trim()}"`);
  }
  return items;
}

const CANVAS_ITEM = /^\*\*([^*]+)\*\*:\s*(.+)$/;

/** `- **Requirements**: one line of guidance` per canvas box. */
export function parseCanvas(lines: SourceLine[], report: Report): CanvasSection[] {
  const out: CanvasSection[] = [];
  for (const item of listItems(lines, 'canvas', report)) {
    const m = CANVAS_ITEM.exec(item.text);
    if (!m) {
      report(item.line, 'canvas: write each box as "- **Label**: one line of guidance"');
      continue;
    }
    const label = m[1].trim();
    const id = drillSlug(label);
    if (!id) report(item.line, `canvas: the label "${label}" has no letters or digits`);
    else if (out.some((s) => s.id === id))
      report(item.line, `canvas: box "${label}" appears twice`);
    else {
      for (const p of checkMath(m[2])) report(item.line, `math: ${p.message}${MATH_HINT}`);
      out.push({ id, label, guidance: m[2].trim() });
    }
  }
  return out;
}

const RUBRIC_ITEM = /^\*\*([^*]+)\*\*\s*\((\d+) points?\):\s*(.+)$/;

/** `- **Capacity** (2 points): what earns them` per rubric item. */
export function parseRubric(lines: SourceLine[], report: Report): RubricItem[] {
  const out: RubricItem[] = [];
  for (const item of listItems(lines, 'rubric', report)) {
    const m = RUBRIC_ITEM.exec(item.text);
    if (!m) {
      report(item.line, 'rubric: write each item as "- **Title** (N points): what earns them"');
      continue;
    }
    const title = m[1].trim();
    const points = Number(m[2]);
    const id = drillSlug(title);
    if (!(points >= 1 && points <= 10))
      report(item.line, `rubric: "${title}" must be worth 1 to 10 points, got ${points}`);
    else if (!id) report(item.line, `rubric: the title "${title}" has no letters or digits`);
    else if (out.some((r) => r.id === id))
      report(item.line, `rubric: item "${title}" appears twice`);
    else {
      for (const p of checkMath(m[3])) report(item.line, `math: ${p.message}${MATH_HINT}`);
      out.push({ id, title, points, earns: m[3].trim() });
    }
  }
  return out;
}
