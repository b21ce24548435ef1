/**
 * The URL rules for lesson HTML that came from an imported lesson pack. Pure (no DOM), so the
 * rules themselves are unit-tested in Node; sanitize.ts applies them with DOMPurify in the page.
 *
 * The policy: imported content may only point at this app (a same-origin relative URL: `#x`,
 * `/path`, `./x`, `x/y`), and an image may also be an inline raster `data:` image (png, gif, jpeg,
 * webp; never svg, which can carry script). Everything else (http, https, protocol-relative
 * `//host`, javascript:, data:text/html, mailto: ...) is refused, so imported lessons can neither
 * run script nor make the app fetch anything from another origin.
 */

/** Attributes whose value the browser treats as a URL (fetches or navigates to it). */
export const URL_ATTRIBUTES: readonly string[] = [
  'href',
  'src',
  'srcset',
  'xlink:href',
  'poster',
  'action',
  'formaction',
  'background',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'data',
  'ping',
  'manifest',
  'codebase',
  'archive',
  'profile',
  'usemap',
];

/** Elements never allowed in imported lesson HTML: they run script, load content, or submit. */
export const FORBIDDEN_TAGS: readonly string[] = [
  'script',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'style',
  'link',
  'meta',
  'base',
  'template',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  // SVG elements that load resources or rewrite attributes over time.
  'use',
  'image',
  'feimage',
  'foreignobject',
  'animate',
  'animatemotion',
  'animatetransform',
  'set',
];

/**
 * Characters browsers ignore or strip when they parse a URL (controls, spaces, and the
 * zero-width and bidi marks some obfuscated payloads hide a scheme behind). Removed before the
 * check, so `java\tscript:` or ` javascript:` are judged as the browser would read them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g;

/**
 * True when `raw` (an attribute value as the DOM holds it, entities already decoded) is a
 * relative URL that stays on this app's origin: no scheme, not protocol-relative, no backslash
 * (browsers read `/\host` as `//host`).
 */
export function isSameOriginRelative(raw: string): boolean {
  const url = raw.replace(IGNORED_IN_URL, '');
  if (url === '' || url.includes('\\')) return false;
  if (url.startsWith('//')) return false;
  const end = url.search(/[/?#]/);
  const head = end < 0 ? url : url.slice(0, end);
  return !head.includes(':');
}

const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/]+={0,2}$/i;

/** True for an inline raster image (`data:image/png|gif|jpeg|webp;base64,...`); svg is refused. */
export function isAllowedDataImage(raw: string): boolean {
  return DATA_IMAGE.test(raw.replace(IGNORED_IN_URL, ''));
}

/**
 * True when a `style` attribute could fetch something or hide a trick: `url(`, `image-set(`,
 * `@import`, old IE `expression(`/`behavior`, Firefox `-moz-binding`, or any backslash (a CSS
 * escape can spell `url` as `u\72 l`). KaTeX's own styles (heights, margins in em) have none.
 */
export function isRiskyStyle(style: string): boolean {
  return /url\s*\(|image-set|@import|expression\s*\(|behavior|-moz-binding|\\|&#|javascript:/i.test(
    style.replace(IGNORED_IN_URL, ''),
  );
}

/** Whether an imported element's URL attribute may stay: see the file comment. */
export function isAllowedUrl(tag: string, attribute: string, value: string): boolean {
  if (attribute === 'srcset') return false; // a list of URLs; the renderer never emits one
  if (tag === 'img' && attribute === 'src' && isAllowedDataImage(value)) return true;
  return isSameOriginRelative(value);
}

/** True when `url` points at another site (http(s) or protocol-relative): "remote", as the note says. */
export function isRemoteUrl(url: string): boolean {
  const u = url.replace(IGNORED_IN_URL, '');
  return /^(https?:)?[\\/]{2}/i.test(u) || /^https?:/i.test(u);
}
