/**
 * The lesson-pack sanitizer against known XSS payloads, in real Chromium (DOMPurify needs a real
 * DOM, and a browser's parser is the one attackers aim at). The sanitizer and renderer are bundled
 * from src with vite, loaded into a blank page, and every output is then put live into the page:
 * no script may run, no dialog open, and no request leave the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { launch, newProfileDir } from './browser';
import { HTML_PAYLOADS, MARKDOWN_PAYLOADS } from '../fixtures/classroom/xss-payloads';

type Api = {
  renderMarkdown(text: string): string;
  sanitizeLessonHtml(html: string, origin: 'built-in' | 'imported'): string;
};

async function bundle(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: {
        entry: 'tests/fixtures/classroom/sanitize-entry.ts',
        formats: ['iife'],
        name: 'LessonSanitizer',
        fileName: 'sanitizer',
      },
    },
  });
  const result = Array.isArray(out) ? out[0] : out;
  if (!('output' in result)) throw new Error('vite returned a watcher, not a bundle');
  const chunk = result.output.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('no chunk in the sanitizer bundle');
  return chunk.code;
}

/** Everything in `html` that could run or load: returns a list of problems (empty = clean). */
function problemsIn(page: Page, html: string): Promise<string[]> {
  return page.evaluate((h) => {
    const doc = new DOMParser().parseFromString(`<body>${h}</body>`, 'text/html');
    const bad: string[] = [];
    const forbidden =
      /^(script|iframe|frame|object|embed|form|style|link|meta|base|input|button|use|image|animate|set|video)$/;
    for (const el of Array.from(doc.body.querySelectorAll('*'))) {
      if (forbidden.test(el.localName)) bad.push(`<${el.localName}>`);
      for (const a of Array.from(el.attributes)) {
        const name = a.name.toLowerCase();
        if (name.startsWith('on')) bad.push(`${name} handler`);
        if (/script:/i.test(a.value.replace(/\s/g, ''))) bad.push(`${name}=${a.value}`);
        if (name === 'style' && /url\(|\\/i.test(a.value)) bad.push(`style ${a.value}`);
        if (
          ['href', 'src', 'srcset', 'xlink:href', 'poster', 'action', 'background'].includes(name)
        ) {
          const v = a.value.trim();
          const local = !/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.startsWith('//') && !v.includes('\\');
          const dataImage =
            /^data:image\/(png|gif|jpeg|webp);base64,/i.test(v) && el.localName === 'img';
          if (!local && !dataImage) bad.push(`${name}=${v}`);
        }
      }
    }
    return bad;
  }, html);
}

describe('lesson-pack sanitizer (real Chromium)', () => {
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];
  const outputs = new Map<string, string>();

  beforeAll(async () => {
    const code = await bundle();
    context = await launch(newProfileDir());
    context.on('request', (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent('<!doctype html><html><body><main id="out"></main></body></html>');
    await page.addScriptTag({ content: code });
  });
  afterAll(async () => {
    await context?.close();
  });

  const run = (source: string, markdown: boolean): Promise<string> =>
    page.evaluate(
      ([s, md]) => {
        const api = (window as unknown as { LessonSanitizer: Api }).LessonSanitizer;
        return api.sanitizeLessonHtml(md ? api.renderMarkdown(s) : s, 'imported');
      },
      [source, markdown] as const,
    );

  it.each(Object.entries(HTML_PAYLOADS))('neutralizes raw HTML: %s', async (name, payload) => {
    const html = await run(payload, false);
    outputs.set(name, html);
    expect(await problemsIn(page, html)).toEqual([]);
  });

  it.each(Object.entries(MARKDOWN_PAYLOADS))('neutralizes markdown: %s', async (name, payload) => {
    const html = await run(payload, true);
    outputs.set(name, html);
    expect(await problemsIn(page, html)).toEqual([]);
  });

  it('replaces remote images by a visible note and keeps remote link text as plain text', async () => {
    expect(outputs.get('remote image')).toContain('[remote image removed: tracker]');
    expect(outputs.get('srcset only')).toContain('remote image removed: only srcset');
    expect(outputs.get('markdown remote image')).toContain('[remote image removed: tracker pixel]');
    expect(outputs.get('markdown protocol-relative image')).toContain('remote image removed');
    expect(outputs.get('svg data image')).toContain('image with an unsafe address removed');
    for (const key of ['remote link', 'markdown remote link']) {
      expect(outputs.get(key)).toContain('outside site');
      expect(outputs.get(key)).not.toContain('<a');
    }
    expect(outputs.get('markdown bare URL')).not.toContain('<a');
    expect(outputs.get('srcset with remote URL')).toContain('<img src="/icons/icon.svg">');
  });

  it('keeps what is safe: local links, raster data images, KaTeX math', async () => {
    const local = await run('[next](#/lessons) and [section](#intro)', true);
    expect(local).toContain('<a href="#/lessons">next</a>');
    expect(local).toContain('<a href="#intro">section</a>');
    const dot = await run('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">', false);
    expect(dot).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    const math = await run('Loss $\\sqrt{x^2}$ and $$\\frac{a}{b}$$', true);
    expect(math).toContain('class="katex"');
    expect(math).toContain('<math');
    expect(await problemsIn(page, math)).toEqual([]);
  });

  it('the built-in profile still keeps remote links of shipped lessons', async () => {
    const html = await page.evaluate(() => {
      const api = (window as unknown as { LessonSanitizer: Api }).LessonSanitizer;
      return api.sanitizeLessonHtml(api.renderMarkdown('[ONNX](https://onnx.ai)'), 'built-in');
    });
    expect(html).toContain('href="https://onnx.ai"');
  });

  it('put live into the page, nothing runs, opens a dialog or makes a request', async () => {
    const all = [...outputs.values()].join('\n');
    await page.evaluate((h) => {
      document.getElementById('out')!.innerHTML = h;
      for (const d of Array.from(document.querySelectorAll('details'))) d.open = !d.open;
    }, all);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(
      undefined,
    );
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(outputs.size).toBe(
      Object.keys(HTML_PAYLOADS).length + Object.keys(MARKDOWN_PAYLOADS).length,
    );
  });
});
