import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs script without types; this test checks it agrees with the app
import { makeLessonPack } from '../../../scripts/make-lesson-pack.mjs';
import { parseLesson } from '../lessons/parse';
import { VALID } from '../lessons/test-fixtures';
import { lessonPackChecksum, parseLessonPackFile, type IdOwners } from './lesson-packs-file';

const GOOD = 'tests/fixtures/classroom/pack-good';
const builtIn = [parseLesson('lessons/01-sample.md', VALID)];
const owners: IdOwners = { builtIn, packs: [] };
const meta = { id: 'week-1', title: 'Week 1', author: 'Dr. Ada' };

async function packText(edit: (p: Record<string, unknown>) => void = () => {}): Promise<string> {
  const pack = makeLessonPack(GOOD, meta) as Record<string, unknown>;
  edit(pack);
  pack.checksum = await lessonPackChecksum(pack);
  return JSON.stringify(pack);
}

describe('parseLessonPackFile', () => {
  it('accepts a pack made by scripts/make-lesson-pack.mjs (same checksum rule)', async () => {
    const text = JSON.stringify(makeLessonPack(GOOD, meta));
    const { record, lessons } = await parseLessonPackFile(text, owners);
    expect(record.id).toBe('week-1');
    expect(record.index).toEqual([
      {
        id: 'class-warmup',
        title: 'Class warm-up from your instructor',
        minutes: 10,
        level: 'intro',
      },
    ]);
    expect(lessons[0].segments.some((s) => s.kind === 'widget')).toBe(true);
  });

  it('refuses a changed file by its checksum', async () => {
    const pack = makeLessonPack(GOOD, meta);
    pack.title = 'Week 2';
    await expect(parseLessonPackFile(JSON.stringify(pack), owners)).rejects.toThrow(
      /checksum: checksum mismatch/,
    );
  });

  it('refuses empty, truncated, huge and foreign files', async () => {
    await expect(parseLessonPackFile('', owners)).rejects.toThrow(/empty/);
    const text = await packText();
    await expect(parseLessonPackFile(text.slice(0, 200), owners)).rejects.toThrow(/truncated/);
    await expect(parseLessonPackFile('x'.repeat(3 * 1024 * 1024), owners)).rejects.toThrow(
      /the limit is 2 MB/,
    );
    await expect(parseLessonPackFile('{"format":"pocket-mlops-progress"}', owners)).rejects.toThrow(
      /not a Pocket MLOps lesson pack/,
    );
  });

  it('names the file and line of a bad lesson (unknown widget, unknown check)', async () => {
    const text = await packText((p) => {
      const lessons = p.lessons as { fileName: string; source: string }[];
      lessons[0].source = lessons[0].source
        .replace('widget lifecycle-map', 'widget no-such-widget')
        .replace('kind: quiz', 'kind: check\ncheck: no-such-check');
    });
    const error = await parseLessonPackFile(text, owners).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^01-class-warmup\.md:\d+: unknown widget "no-such-widget"/m,
    );
  });

  it('refuses lesson and exercise ids that a built-in lesson or another pack uses', async () => {
    const text = await packText((p) => {
      const lessons = p.lessons as { fileName: string; source: string }[];
      lessons[0].source = lessons[0].source
        .replace('id: class-warmup\n', 'id: sample\n')
        .replace('id: class-warmup.quiz-serving', 'id: sample.quiz');
    });
    const message = await parseLessonPackFile(text, owners).catch((e: Error) => e.message);
    expect(message).toMatch(
      /01-class-warmup\.md:2: lesson id "sample" is already used by the built-in lesson lessons\/01-sample\.md/,
    );
    expect(message).toMatch(/exercise id "sample\.quiz" is already used by the built-in lesson/);

    const first = await parseLessonPackFile(await packText(), owners);
    const other = {
      builtIn,
      packs: [{ id: 'other-pack', title: 'Other', lessons: first.lessons }],
    };
    await expect(parseLessonPackFile(await packText(), other)).rejects.toThrow(
      /lesson id "class-warmup" is already used by the pack "Other"/,
    );
    // The same pack id is an update of that pack, not a collision.
    const same = { builtIn, packs: [{ id: 'week-1', title: 'Week 1', lessons: first.lessons }] };
    await expect(parseLessonPackFile(await packText(), same)).resolves.toBeTruthy();
  });

  it('refuses bad fields with the field named', async () => {
    await expect(
      parseLessonPackFile(await packText((p) => (p.id = 'Not Kebab')), owners),
    ).rejects.toThrow(/^id: must be kebab-case/);
    await expect(
      parseLessonPackFile(await packText((p) => (p.lessons = [])), owners),
    ).rejects.toThrow(/^lessons: must be a non-empty list/);
    await expect(
      parseLessonPackFile(
        await packText((p) => ((p.lessons as { fileName: string }[])[0].fileName = 'x.md')),
        owners,
      ),
    ).rejects.toThrow(/^lessons\[0\]: fileName must be NN-slug\.md/);
    await expect(parseLessonPackFile(await packText((p) => (p.extra = 1)), owners)).rejects.toThrow(
      /unknown field "extra"/,
    );
  });

  it('the malicious fixture is valid lesson markdown (its payloads are for the sanitizer)', async () => {
    const source = readFileSync(
      'tests/fixtures/classroom/pack-malicious/01-totally-normal.md',
      'utf8',
    );
    expect(() => parseLesson('01-totally-normal.md', source)).not.toThrow();
  });
});
