#!/usr/bin/env node
/**
 * Bundles a folder of lesson files (NN-slug.md) into one lesson pack file for Pocket MLOps.
 *
 *   node scripts/make-lesson-pack.mjs <folder> --id <kebab-id> --title "<title>" --author "<name>" [--out pack.json]
 *
 * The checksum is SHA-256 over the canonical JSON (keys sorted, no whitespace) of every field but
 * `checksum`, the same rule the app checks on import (src/lib/state/lesson-packs-file.ts). The app
 * validates the lessons themselves on import; run `npm run build` with the files copied into
 * lessons/ first to see every problem at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Canonical JSON: object keys sorted by UTF-16 code unit, recursively; undefined members dropped. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value)
    .sort()
    .filter((k) => value[k] !== undefined);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/** Builds the pack object from a folder: every NN-slug.md in file-name order. */
export function makeLessonPack(folder, { id, title, author }) {
  const files = readdirSync(folder)
    .filter((f) => /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`no lesson files (NN-slug.md) in ${folder}`);
  const body = {
    format: 'pocket-mlops-lesson-pack',
    version: 1,
    id,
    title,
    author,
    lessons: files.map((fileName) => ({
      fileName,
      source: readFileSync(join(folder, fileName), 'utf8'),
    })),
  };
  const checksum = createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
  return { ...body, checksum };
}

function arg(args, name) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const args = process.argv.slice(2);
  const folder = args[0];
  const id = arg(args, 'id');
  const title = arg(args, 'title');
  const author = arg(args, 'author');
  if (!folder || folder.startsWith('--') || !id || !title || !author) {
    console.error(
      'usage: node scripts/make-lesson-pack.mjs <folder> --id <kebab-id> --title "<title>" --author "<name>" [--out pack.json]',
    );
    process.exit(2);
  }
  const pack = makeLessonPack(folder, { id, title, author });
  const out = arg(args, 'out') ?? `${id}.lesson-pack.json`;
  writeFileSync(out, `${JSON.stringify(pack, null, 2)}\n`);
  console.log(
    `wrote ${out}: ${pack.lessons.length} lessons, checksum ${pack.checksum.slice(0, 12)}…`,
  );
}
