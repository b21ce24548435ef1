import { describe, expect, it } from 'vitest';
import { REMOTE_SITE } from '../../../tests/fixtures/lessons/remote-urls';
import {
  checkMath,
  renderInlineMarkdown,
  renderMarkdown,
  renderMarkdownWithErrors,
  slugify,
} from './render';
import { scanMath } from './scan';

describe('renderMarkdown', () => {
  it('renders a table', () => {
    const html = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th>a</th>');
    expect(html).toContain('<td>2</td>');
  });

  it('renders fenced code, escaped, with its language', () => {
    const html = renderMarkdown('```ts\nconst a = 1 < 2 && $x$;\n```');
    expect(html).toContain('<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; $x$;');
    expect(html).not.toContain('katex');
  });

  it('renders inline math with KaTeX, underscores and stars intact', () => {
    const html = renderMarkdown('Let $x_1 * y_2 = z_3$ hold, and _this_ is emphasis.');
    expect(html).toContain('<span class="katex">');
    expect(html).not.toContain('katex-display');
    expect(html).toContain('<annotation encoding="application/x-tex">x_1 * y_2 = z_3</annotation>');
    expect(html).toContain('<em>this</em>');
    expect(html.match(/<em>/g)).toHaveLength(1);
  });

  it('renders display math as a block', () => {
    const html = renderMarkdown('Before\n\n$$\n\\sum_{i=1}^n x_i\n$$\n\nAfter');
    expect(html).toContain('<div class="math-display"><span class="katex-display">');
    expect(html).toContain('<p>Before</p>');
    expect(html).toContain('<p>After</p>');
  });

  it('keeps math inside table cells, even with pipes', () => {
    const html = renderMarkdown('| x | norm |\n|---|---|\n| 1 | $|x|$ |');
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain('katex');
  });

  it('does not treat code spans, currency or escaped dollars as math', () => {
    const html = renderMarkdown('Use `$x$` here. It costs $5 and $10. A literal \\$ sign.');
    expect(html).toContain('<code>$x$</code>');
    expect(html).toContain('costs $5 and $10.');
    expect(html).toContain('A literal $ sign.');
    expect(html).not.toContain('katex');
  });

  it('escapes raw HTML instead of emitting it', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <b>bold</b>.',
    );
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('drops unsafe link and image URLs, keeps safe ones', () => {
    const html = renderMarkdown(
      `[bad](javascript:alert(1)) [ok](${REMOTE_SITE}) [local](#intro) ![x](data:text/html,hi)`,
    );
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:text/html');
    expect(html).toContain(
      `<a href="${REMOTE_SITE}" rel="noopener noreferrer" target="_blank">ok</a>`,
    );
    expect(html).toContain('<a href="#intro">local</a>');
  });

  it('gives headings unique slug ids across segments', () => {
    const used = new Set<string>();
    const a = renderMarkdown('## Cost per 1M predictions\n\n## Cost per 1M predictions', {
      usedIds: used,
    });
    const b = renderMarkdown('### Cost per 1M predictions', { usedIds: used });
    expect(a).toContain('<h2 id="cost-per-1m-predictions">');
    expect(a).toContain('<h2 id="cost-per-1m-predictions-1">');
    expect(b).toContain('<h3 id="cost-per-1m-predictions-2">');
    expect(renderMarkdown('## The $p_{99}$ latency')).toContain('<h2 id="the-p99-latency">');
    expect(slugify('Accuracy, latency & cost!')).toBe('accuracy-latency-cost');
  });

  it('collects KaTeX errors and still renders', () => {
    const { html, errors } = renderMarkdownWithErrors('ok\n\n$\\frac{1}{$ bad');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^line 3: KaTeX parse error/);
    expect(html).toContain('katex-error');
  });

  it('renders inline markdown without a paragraph', () => {
    expect(renderInlineMarkdown('**yes**, $a^2$')).toMatch(
      /^<strong>yes<\/strong>, <span class="katex">/,
    );
  });
});

describe('scanMath / checkMath', () => {
  it('finds spans with 0-based lines, skipping fenced code', () => {
    const text = 'a $x$\n```\n$not$\n```\n$$\ny\n$$';
    const { spans, problems } = scanMath(text);
    expect(problems).toEqual([]);
    expect(spans.map((s) => [s.tex, s.display, s.line])).toEqual([
      ['x', false, 0],
      ['\ny\n', true, 4],
    ]);
  });

  it('does not let inline math cross a blank line', () => {
    expect(scanMath('$a\n\nb$').spans).toEqual([]);
  });

  it('reports unclosed display math and bad TeX', () => {
    expect(checkMath('x\n$$ a')).toEqual([
      { line: 1, message: 'unclosed display math: "$$" without a closing "$$"' },
    ]);
    expect(checkMath('$\\notacommand$')[0].message).toContain('Undefined control sequence');
    expect(checkMath('$x^2$')).toEqual([]);
  });
});
