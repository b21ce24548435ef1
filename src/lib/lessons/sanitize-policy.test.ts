import { describe, expect, it } from 'vitest';
import { REMOTE_RESOURCE } from '../../../tests/fixtures/lessons/remote-urls';
import {
  isAllowedDataImage,
  isAllowedUrl,
  isRemoteUrl,
  isRiskyStyle,
  isSameOriginRelative,
} from './sanitize-policy';

describe('isSameOriginRelative', () => {
  it.each(['#intro', '#/lessons/x', '/icons/icon.svg', './a.png', '../b', 'img/c.png', 'a?b=c:d'])(
    'accepts %s',
    (url) => expect(isSameOriginRelative(url)).toBe(true),
  );
  it.each([
    'https://evil.example/',
    'http://evil.example',
    '//evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example',
    'javascript:alert(1)',
    ' JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'java\u200bscript:alert(1)',
    'data:text/html,<script>1</script>',
    'mailto:a@b.c',
    'vbscript:x',
    '',
  ])('refuses %j', (url) => expect(isSameOriginRelative(url)).toBe(false));
});

describe('data images and URLs per attribute', () => {
  it('allows raster data images in img src only, never svg', () => {
    expect(isAllowedDataImage('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(isAllowedDataImage('data:image/svg+xml;base64,PHN2Zy8+')).toBe(false);
    expect(isAllowedDataImage('data:image/png,<svg>')).toBe(false);
    expect(isAllowedUrl('img', 'src', 'data:image/webp;base64,AAAA')).toBe(true);
    expect(isAllowedUrl('a', 'href', 'data:image/webp;base64,AAAA')).toBe(false);
    expect(isAllowedUrl('img', 'srcset', '/a.png 1x')).toBe(false);
  });
  it('tells remote addresses from other refused ones', () => {
    expect(isRemoteUrl('https://x.example/a.png')).toBe(true);
    expect(isRemoteUrl('//x.example/a.png')).toBe(true);
    expect(isRemoteUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('isRiskyStyle', () => {
  it('flags styles that can fetch or hide a trick, not KaTeX sizes', () => {
    expect(isRiskyStyle('height:0.6444em;vertical-align:-0.25em;')).toBe(false);
    expect(isRiskyStyle(`background:url(${REMOTE_RESOURCE})`)).toBe(true);
    expect(isRiskyStyle('background: URL (x)')).toBe(true);
    expect(isRiskyStyle('background:u\\72 l(x)')).toBe(true);
    expect(isRiskyStyle("background:image-set('x' 1x)")).toBe(true);
    expect(isRiskyStyle('@import "x"')).toBe(true);
    expect(isRiskyStyle('width:expression(alert(1))')).toBe(true);
  });
});
