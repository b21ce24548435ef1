// Sizes of what a learner downloads: the critical path (first paint) and the offline precache.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** JS and CSS that index.html loads before the first paint (entry, modulepreloads, styles). */
export function criticalAssets(dist = 'dist') {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = refs.map((ref) => ({
    file: ref,
    bytes: statSync(join(dist, ref)).size,
    gzip: gz(join(dist, ref)),
  }));
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: files.reduce((a, f) => a + f.gzip, 0),
  };
}

/** Every URL in the service worker's precache manifest, with its size on disk. */
export function precache(dist = 'dist') {
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
  const files = urls.map((url) => ({ url, bytes: statSync(join(dist, url)).size }));
  return { entries: files.length, bytes: files.reduce((a, f) => a + f.bytes, 0), files };
}
