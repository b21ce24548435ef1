/**
 * DOMPurify for lesson HTML (the output of render.ts). Built-in lessons get DOMPurify's default
 * profile, as before. Lessons from an imported pack get a strict one (sanitize-policy.ts):
 * no script, frames, objects, forms, styles or `<base>`/`<meta>`; no event handlers; no style
 * that fetches; every URL same-origin relative (images may also be raster `data:` images).
 * An image that points elsewhere becomes a visible note ("remote image removed"); a link to
 * another site becomes its plain text. The app's CSP is the second wall, not the first.
 * Needs a DOM (the page, or a browser in tests).
 */
import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import {
  FORBIDDEN_TAGS,
  URL_ATTRIBUTES,
  isAllowedUrl,
  isRemoteUrl,
  isRiskyStyle,
} from './sanitize-policy';

/** Where lesson markdown came from: shipped with the app, or imported from a lesson pack. */
export type ContentOrigin = 'built-in' | 'imported';

/** The visible text that replaces an image whose address points at another site. */
export const REMOTE_IMAGE_NOTE = 'remote image removed';

const IMPORTED_CONFIG: Config = {
  FORBID_TAGS: [...FORBIDDEN_TAGS],
  FORBID_ATTR: ['srcset', 'sizes', 'target', 'ping', 'formaction', 'action', 'xlink:href'],
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Only plain HTML, MathML and the SVG KaTeX draws with; no custom elements.
  USE_PROFILES: { html: true, svg: true, mathMl: true },
};

let strict: Purifier | null = null;

/** A DOMPurify instance of its own, so these hooks never touch built-in lesson rendering. */
function strictPurifier(): Purifier {
  if (strict) return strict;
  const purifier = DOMPurify(window);
  purifier.addHook('uponSanitizeAttribute', (_node, data) => {
    const name = data.attrName.toLowerCase();
    if (name.startsWith('on')) data.keepAttr = false;
    else if (name === 'style' && isRiskyStyle(data.attrValue)) data.keepAttr = false;
  });
  strict = purifier;
  return purifier;
}

/** A note element standing in for a refused image, saying why (with its alt text, if any). */
function imageNote(doc: Document, img: Element): Element {
  const src = img.getAttribute('src') ?? '';
  const alt = img.getAttribute('alt')?.trim();
  const note = doc.createElement('span');
  note.className = 'image-removed';
  note.textContent = `[${isRemoteUrl(src) || src === '' ? REMOTE_IMAGE_NOTE : 'image with an unsafe address removed'}${alt ? `: ${alt}` : ''}]`;
  return note;
}

/**
 * Applies the URL rules to already-purified HTML, in an inert document (DOMParser's: nothing in
 * it loads or runs), and returns the result as a string.
 */
function enforceUrls(html: string): string {
  const doc = new DOMParser().parseFromString(
    `<!doctype html><html><body>${html}</body></html>`,
    'text/html',
  );
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    const tag = el.localName.toLowerCase();
    if (tag === 'img') {
      const src = el.getAttribute('src');
      if (src === null || !isAllowedUrl('img', 'src', src)) {
        el.replaceWith(imageNote(doc, el));
        continue;
      }
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (!URL_ATTRIBUTES.includes(name) || isAllowedUrl(tag, name, attr.value)) continue;
      if (tag === 'a' && name === 'href') {
        // A link to another site (or a script URL) is kept as its plain text.
        el.replaceWith(...Array.from(el.childNodes));
        break;
      }
      el.removeAttribute(attr.name);
    }
  }
  return doc.body.innerHTML;
}

/**
 * Sanitizes lesson HTML for `{@html}`.
 * @param origin 'built-in': DOMPurify's defaults (trusted content, shipped with the app);
 *   'imported': the strict policy in the file comment.
 */
export function sanitizeLessonHtml(html: string, origin: ContentOrigin): string {
  if (origin === 'built-in') return DOMPurify.sanitize(html);
  const purified = strictPurifier().sanitize(html, IMPORTED_CONFIG);
  return enforceUrls(purified);
}
