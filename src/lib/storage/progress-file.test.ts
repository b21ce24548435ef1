import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportError } from './errors';
import { parseProgressFile, progressFileChecksum, type ProgressFile } from './progress-file';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A valid file body with four events, so `exerciseEvents[3]` exists. */
function body(): Omit<ProgressFile, 'checksum'> {
  return {
    format: 'pocket-mlops-progress',
    version: 1,
    exportedAt: '2024-05-01T12:00:00.000Z',
    app: { schemaVersion: 2 },
    lessonProgress: [
      {
        lessonId: 'l1',
        status: 'completed',
        startedAt: 1,
        completedAt: 5,
        lastVisitedAt: 6,
        attempts: 2,
      },
      { lessonId: 'l2', status: 'in-progress', startedAt: 7, lastVisitedAt: 8 },
    ],
    exerciseEvents: [
      {
        seq: 1,
        lessonId: 'l1',
        exerciseId: 'e1',
        kind: 'check',
        passed: false,
        at: 2,
        detail: 'nope',
      },
      { seq: 2, lessonId: 'l1', exerciseId: 'e1', kind: 'hint', at: 3 },
      { seq: 3, lessonId: 'l1', exerciseId: 'e1', kind: 'check', passed: true, at: 4 },
      { seq: 4, lessonId: 'l2', exerciseId: 'e2', kind: 'solution', at: 8 },
    ],
  };
}

/** Serializes `b` with a correct checksum (as an export would). */
async function fileText(b: object = body()): Promise<string> {
  return JSON.stringify({
    ...b,
    checksum: await progressFileChecksum(b as Record<string, unknown>),
  });
}

async function importError(text: string, opts?: { maxBytes?: number }): Promise<ImportError> {
  const error = await parseProgressFile(text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('parseProgressFile', () => {
  it('accepts a valid file (pretty-printed or not)', async () => {
    const text = await fileText();
    const parsed = await parseProgressFile(text);
    expect(parsed).toEqual(JSON.parse(text));
    expect(await parseProgressFile(JSON.stringify(JSON.parse(text), null, 2))).toEqual(parsed);
  });

  it('refuses an empty file', async () => {
    expect((await importError('')).message).toBe('the file is empty');
    expect((await importError(' \n\t ')).message).toMatch(/empty/);
  });

  it('refuses a 50 MB file of junk by its size, without parsing it', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const junk = 'x'.repeat(50 * 1024 * 1024);
    expect((await importError(junk)).message).toBe('file is 50.0 MB; the limit is 5 MB');
    expect(parse).not.toHaveBeenCalled();
  });

  it('counts the limit in UTF-8 bytes and honours maxBytes', async () => {
    // 600 characters, 1200 bytes of UTF-8.
    expect((await importError('é'.repeat(600), { maxBytes: 1024 })).message).toBe(
      'file is 1.2 KB; the limit is 1 KB',
    );
    await expect(parseProgressFile(await fileText(), { maxBytes: 64 })).rejects.toThrow(
      /the limit is/,
    );
  });

  it('says a cut-off file looks truncated', async () => {
    const text = await fileText();
    for (const cut of [text.slice(0, text.length - 1), text.slice(0, 40), text.slice(0, 120)]) {
      expect((await importError(cut)).message).toMatch(/the file looks truncated .*not valid JSON/);
    }
  });

  it('says where JSON is invalid', async () => {
    const e = await importError('{\n  "format": "pocket-mlops-progress",\n  oops\n}');
    expect(e.message).toMatch(/^the file is not valid JSON \(at line 3, column \d+\)/);
    expect((await importError('hello')).message).toMatch(/not valid JSON/);
  });

  it('refuses a file of another format', async () => {
    const e = await importError(await fileText({ ...body(), format: 'pocket-mlops-lesson-pack' }));
    expect(e.message).toBe(
      'format: this is not a Pocket MLOps progress file (format "pocket-mlops-lesson-pack"; expected "pocket-mlops-progress")',
    );
    expect(e.path).toBe('format');
    expect((await importError('{"hello": 1}')).message).toMatch(/no "format" field/);
    expect((await importError('[1, 2]')).message).toMatch(/not a Pocket MLOps progress file/);
  });

  it('refuses unsupported versions, naming the supported ones', async () => {
    const newer = await importError(await fileText({ ...body(), version: 2 }));
    expect(newer.message).toBe(
      'version: unsupported progress file version 2; this app reads version 1 (the file comes from a newer Pocket MLOps: update the app)',
    );
    expect((await importError(await fileText({ ...body(), version: '1' }))).message).toMatch(
      /unsupported progress file version "1"; this app reads version 1$/,
    );
  });

  it('names the JSON path of a schema error', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
    const cases: [(b: any) => void, string][] = [
      [(b) => (b.exerciseEvents[3].at = 'yesterday'), 'exerciseEvents[3].at: expected a number'],
      [
        (b) => delete b.exerciseEvents[0].exerciseId,
        'exerciseEvents[0].exerciseId: expected a string',
      ],
      [
        (b) => (b.exerciseEvents[1].kind = 'peek'),
        'exerciseEvents[1].kind: expected one of "check", "hint", "solution"',
      ],
      [
        (b) => (b.exerciseEvents[2].passed = 'yes'),
        'exerciseEvents[2].passed: expected true or false',
      ],
      [
        (b) => (b.exerciseEvents[2].seq = 1),
        'exerciseEvents[2].seq: duplicate 1 (also at exerciseEvents[0])',
      ],
      [
        (b) => (b.lessonProgress[1].status = 'done'),
        'lessonProgress[1].status: expected one of "not-started", "in-progress", "completed"',
      ],
      [
        (b) => delete b.lessonProgress[0].completedAt,
        'lessonProgress[0].completedAt: expected a number',
      ],
      [
        (b) => (b.lessonProgress[1].completedAt = 9),
        'lessonProgress[1].completedAt: only a completed lesson has one (status is "in-progress")',
      ],
      [
        (b) => (b.lessonProgress[0].attempts = -1),
        'lessonProgress[0].attempts: expected an integer >= 0',
      ],
      [
        (b) => (b.lessonProgress[0].startedAt = -5),
        'lessonProgress[0].startedAt: expected a time in ms since 1970, not a negative number',
      ],
      [(b) => (b.lessonProgress[1].score = 100), 'lessonProgress[1].score: unexpected field'],
      [(b) => (b.lessonProgress = {}), 'lessonProgress: expected an array'],
      [(b) => (b.extra = true), 'extra: unexpected field'],
      [
        (b) => (b.exportedAt = 'last tuesday'),
        'exportedAt: expected an ISO 8601 date, e.g. 2024-05-01T12:00:00.000Z',
      ],
      [(b) => (b.app = { schemaVersion: 0 }), 'app.schemaVersion: expected an integer >= 1'],
    ];
    for (const [mutate, message] of cases) {
      const b = body();
      mutate(b);
      const e = await importError(await fileText(b));
      expect(e.message).toBe(message);
      expect(e.path).toBe(message.split(':')[0]);
    }
  });

  it('refuses a file changed after export (checksum mismatch)', async () => {
    const file = JSON.parse(await fileText());
    file.lessonProgress[1].status = 'completed';
    file.lessonProgress[1].completedAt = 8;
    const e = await importError(JSON.stringify(file));
    expect(e.message).toBe(
      'checksum: checksum mismatch: the file was changed or corrupted after export',
    );
    const noChecksum = JSON.parse(await fileText());
    noChecksum.checksum = 'abc';
    expect((await importError(JSON.stringify(noChecksum))).message).toMatch(
      /^checksum: expected 64 lowercase hex/,
    );
  });
});
