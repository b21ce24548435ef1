/**
 * Markdown + KaTeX to an HTML string. Pure (no DOM): runs in Node and in the browser.
 *
 * Math is cut out before marked sees the text (so `_` and `*` inside TeX are not emphasis, and
 * `|` inside TeX does not split table cells), replaced by private-use placeholders, and put back
 * as KaTeX HTML afterwards. Raw HTML in the markdown is escaped, never emitted; link and image
 * URLs are limited to safe schemes. The UI still sanitizes the result with DOMPurify.
 */
import katex from 'katex';
import { Marked, type Tokens } from 'marked';
import { scanMath, type MathSpan } from './scan';

export interface RenderResult {
  html: string;
  /** KaTeX parse errors, e.g. `line 3: KaTeX parse error: ...` (line relative to the text). */
  errors: string[];
}

export interface RenderOptions {
  /**
   * Heading ids already used on the page. Pass the same Set for every markdown segment of a
   * lesson so ids stay unique; new ids are added to it.
   */
  usedIds?: Set<string>;
}

const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

interface Context {
  spans: MathSpan[];
  usedIds: Set<string>;
}

let ctx: Context | null = null;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Puts the original `$...$` source back (inside code, or for heading slugs). */
function restoreSource(s: string): string {
  if (!ctx) return s;
  const spans = ctx.spans;
  return s.replace(PLACEHOLDER, (_, k: string) => {
    const sp = spans[Number(k)];
    return sp ? (sp.display ? `$$${sp.tex}$$` : `$${sp.tex}$`) : '';
  });
}

/** Lower-case, letters and digits joined by hyphens; unique within `used`. */
export function slugify(text: string, used?: Set<string>): string {
  const base =
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/[\s-]+/g, '-') || 'section';
  if (!used) return base;
  let slug = base;
  for (let n = 1; used.has(slug); n++) slug = `${base}-${n}`;
  used.add(slug);
  return slug;
}

const SAFE_LINK = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i;
// `//host/x.png` is another site (protocol-relative), not a local path: never fetched.
const SAFE_IMAGE = /^(?![\\/]{2})(data:image\/(png|gif|jpeg|webp);|\/|\.{0,2}\/|[^:]*$)/i;

const md = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      // Raw HTML is shown as text, never emitted as markup.
      const text = escapeHtml(token.text);
      return token.block ? `<p>${text.trimEnd()}</p>\n` : text;
    },
    heading(token: Tokens.Heading) {
      const plain = restoreSource(token.text).replace(/\$+/g, '');
      const id = slugify(plain, ctx?.usedIds);
      return `<h${token.depth} id="${id}">${this.parser.parseInline(token.tokens)}</h${token.depth}>\n`;
    },
    code(token: Tokens.Code) {
      token.text = restoreSource(token.text);
      return false;
    },
    codespan(token: Tokens.Codespan) {
      token.text = restoreSource(token.text);
      return false;
    },
    link(token: Tokens.Link) {
      const href = token.href.trim();
      if (!SAFE_LINK.test(href)) return this.parser.parseInline(token.tokens);
      if (/^https?:/i.test(href)) {
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
        const body = this.parser.parseInline(token.tokens);
        return `<a href="${escapeHtml(encodeURI(href).replace(/%25/g, '%'))}"${title} rel="noopener noreferrer" target="_blank">${body}</a>`;
      }
      return false;
    },
    image(token: Tokens.Image) {
      if (SAFE_IMAGE.test(token.href.trim())) return false;
      // Nothing is fetched from another site (the app makes no network requests): say so.
      const what = /^(https?:)?\/\//i.test(token.href.trim())
        ? 'remote image removed'
        : 'image with an unsafe address removed';
      const alt = token.text.trim() ? `: ${escapeHtml(token.text.trim())}` : '';
      return `<span class="image-removed">[${what}${alt}]</span>`;
    },
  },
});

function renderTex(span: MathSpan, errors: string[]): string {
  const opts = {
    displayMode: span.display,
    strict: 'ignore' as const,
    trust: false,
    output: 'htmlAndMathml' as const,
  };
  try {
    return katex.renderToString(span.tex, { ...opts, throwOnError: true });
  } catch (e) {
    errors.push(`line ${span.line + 1}: ${e instanceof Error ? e.message : String(e)}`);
    return katex.renderToString(span.tex, { ...opts, throwOnError: false });
  }
}

function withMath(text: string, options: RenderOptions, inline: boolean): RenderResult {
  text = text.replace(/[\uE000\uE001]/g, '\uFFFD'); // our placeholder characters
  const { spans, problems } = scanMath(text);
  const errors = problems.map((p) => `line ${p.line + 1}: ${p.message}`);
  let source = '';
  let at = 0;
  spans.forEach((sp, k) => {
    source += text.slice(at, sp.start) + PH_OPEN + k + PH_CLOSE;
    at = sp.end;
  });
  source += text.slice(at);

  const previous = ctx;
  ctx = { spans, usedIds: options.usedIds ?? new Set() };
  let html: string;
  try {
    html = (
      inline ? md.parseInline(source, { async: false }) : md.parse(source, { async: false })
    ) as string;
  } finally {
    ctx = previous;
  }
  const rendered = spans.map((sp) => renderTex(sp, errors));
  html = html.replace(new RegExp(`<p>${PH_OPEN}(\\d+)${PH_CLOSE}</p>`, 'g'), (whole, k: string) =>
    spans[Number(k)]?.display ? `<div class="math-display">${rendered[Number(k)]}</div>` : whole,
  );
  html = html.replace(PLACEHOLDER, (_, k: string) => rendered[Number(k)] ?? '');
  return { html, errors };
}

/** Renders block markdown with math; returns the HTML and any math errors. */
export function renderMarkdownWithErrors(text: string, options: RenderOptions = {}): RenderResult {
  return withMath(text, options, false);
}

/** Renders block markdown (headings with ids, tables, code, math) to an unsanitized HTML string. */
export function renderMarkdown(text: string, options: RenderOptions = {}): string {
  return withMath(text, options, false).html;
}

/** Renders one line of inline markdown (quiz options, hints), no wrapping `<p>`. */
export function renderInlineMarkdown(text: string): string {
  return withMath(text, {}, true).html;
}

/** Math problems in `text` (unclosed `$$`, KaTeX parse errors) with 0-based line offsets. */
export function checkMath(text: string): { line: number; message: string }[] {
  const { spans, problems } = scanMath(text);
  const out = problems.map((p) => ({ line: p.line, message: p.message }));
  for (const sp of spans) {
    try {
      katex.renderToString(sp.tex, {
        displayMode: sp.display,
        throwOnError: true,
        strict: 'ignore',
        trust: false,
      });
    } catch (e) {
      out.push({ line: sp.line, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
