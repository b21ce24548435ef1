import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLessonsDir, lessonsPlugin } from './lessons-plugin';

/** A lessons folder with the real first lesson plus one broken copy. */
function folderWithBrokenLesson(breakIt: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
  const first = readFileSync('lessons/01-after-the-notebook.md', 'utf8');
  writeFileSync(join(dir, '01-after-the-notebook.md'), first);
  writeFileSync(
    join(dir, '02-broken.md'),
    breakIt(first.replace('id: after-the-notebook', 'id: broken')),
  );
  return dir;
}

describe('lessons build plugin', () => {
  it('accepts the real course', () => {
    const result = checkLessonsDir('lessons');
    expect(result.ok).toBe(true);
  });

  it('carries the real drills, design and incident', () => {
    const result = checkLessonsDir('lessons');
    if (!result.ok) throw new Error(result.message);
    const kinds = result.drills.map((d) => d.kind);
    expect(kinds.filter((k) => k === 'design').length).toBeGreaterThanOrEqual(9);
    expect(kinds).toContain('incident');
  });

  it('fails with file:line for a bad drill, and serves drills in virtual:course', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    const first = 'lessons/01-after-the-notebook.md';
    writeFileSync(join(dir, '01-after-the-notebook.md'), readFileSync(first, 'utf8'));
    mkdirSync(join(dir, 'drills'));
    const good = readFileSync('lessons/drills/01-recs-1m-daily-users.md', 'utf8');
    writeFileSync(join(dir, 'drills', '01-good.md'), good);
    const plugin = lessonsPlugin({ dir }) as unknown as {
      configResolved: (c: { root: string; command: string }) => void;
      load: (this: unknown, id: string) => string;
    };
    plugin.configResolved({ root: '/', command: 'build' });
    const ctx = {
      addWatchFile: () => undefined,
      error: (m: string) => {
        throw new Error(m);
      },
    };
    const code = plugin.load.call(ctx, '\0virtual:course');
    expect(code).toMatch(/export const drills = \[\{"meta":\{"id":"recs-1m-daily-users"/);

    writeFileSync(join(dir, 'drills', '02-bad.md'), good.replace('minutes: 15', 'minutes: 90'));
    const result = checkLessonsDir(dir, dir);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.message).toMatch(/drills\/02-bad\.md:5: minutes must be a whole number/);
  });

  it('fails with file:line for an unknown widget', () => {
    const dir = folderWithBrokenLesson((s) =>
      s.replace('```widget lifecycle-map', '```widget no-such-widget'),
    );
    const result = checkLessonsDir(dir, dir);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.message).toMatch(/02-broken\.md:\d+: .*unknown widget "no-such-widget"/);
  });

  it('fails with file:line for bad frontmatter', () => {
    const dir = folderWithBrokenLesson((s) => s.replace(/minutes: \d+/, 'minutes: 500'));
    const result = checkLessonsDir(dir, dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/02-broken\.md:4: .*minutes/);
  });

  it('makes a build fail through this.error', () => {
    const dir = folderWithBrokenLesson((s) =>
      s.replace('```widget lifecycle-map', '```widget nope'),
    );
    const plugin = lessonsPlugin({ dir });
    const hooks = plugin as unknown as {
      configResolved: (c: { root: string; command: string }) => void;
      buildStart: (this: unknown) => void;
    };
    hooks.configResolved({ root: '/', command: 'build' });
    const ctx = {
      addWatchFile: () => undefined,
      error: (message: string) => {
        throw new Error(message);
      },
      warn: () => undefined,
    };
    expect(() => hooks.buildStart.call(ctx)).toThrow(
      /invalid lesson\(s\):[\s\S]*02-broken\.md:\d+/,
    );
  });
});
