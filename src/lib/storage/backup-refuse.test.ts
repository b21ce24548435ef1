/** parseBackupFile refusing bad files; the round trip and restores are in backup.test.ts. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOW, workspaceDb } from '../../../tests/fixtures/storage/workspace';
import { exportWorkspace, parseBackupFile, stringifyBackup } from './backup';
import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
import { SCHEMA_VERSION } from './schema';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The file's JSON value, to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
async function fileJson(): Promise<Record<string, any>> {
  return JSON.parse(stringifyBackup(await exportWorkspace(await workspaceDb(), NOW)));
}

/** Text of `file` with its checksum recomputed, so only the intended fault remains. */
async function resigned(file: Record<string, unknown>): Promise<string> {
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

async function importError(text: string, opts?: { maxBytes?: number }): Promise<ImportError> {
  const error = await parseBackupFile(text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('parseBackupFile refuses a bad file', () => {
  it('an empty file', async () => {
    expect((await importError('')).message).toBe('the file is empty');
    expect((await importError(' \n ')).message).toMatch(/empty/);
  });

  it('a file over the size limit, without parsing it', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    expect(
      (await importError('x'.repeat(3 * 1024 * 1024), { maxBytes: 2 * 1024 * 1024 })).message,
    ).toBe('file is 3.0 MB; the limit is 2 MB');
    expect(parse).not.toHaveBeenCalled();
  });

  it('a file that is not JSON, or was cut off', async () => {
    expect((await importError('hello')).message).toMatch(/^the file is not valid JSON/);
    const text = stringifyBackup(await exportWorkspace(await workspaceDb(), NOW));
    expect((await importError(text.slice(0, text.length / 2))).message).toMatch(
      /^the file looks truncated/,
    );
  });

  it('another kind of file', async () => {
    expect((await importError('[1, 2]')).message).toMatch(/not a Pocket MLOps backup/);
    expect((await importError('{"a": 1}')).message).toBe(
      'format: this is not a Pocket MLOps backup (no "format" field; expected "pocket-mlops-backup")',
    );
    const progress = await importError('{"format": "pocket-mlops-progress", "version": 1}');
    expect(progress.message).toMatch(/it is a progress file: use "Import a progress file"/);
  });

  it('an unsupported format version', async () => {
    const file = await fileJson();
    const error = await importError(await resigned({ ...file, version: 2 }));
    expect(error.path).toBe('version');
    expect(error.message).toMatch(/unsupported backup version 2.*update the app/);
  });

  it('a backup from a newer schema version, telling to update the app', async () => {
    const file = await fileJson();
    const error = await importError(
      await resigned({ ...file, app: { schemaVersion: SCHEMA_VERSION + 1 } }),
    );
    expect(error.path).toBe('app.schemaVersion');
    expect(error.message).toMatch(/newer version of Pocket MLOps.*update the app/);
  });

  it('a backup from an older schema version than backups exist for', async () => {
    const file = await fileJson();
    const error = await importError(await resigned({ ...file, app: { schemaVersion: 1 } }));
    expect(error.message).toBe(
      `app.schemaVersion: this backup claims data version 1, but Pocket MLOps has written backups only since data version 2; this app restores data versions 2 to ${SCHEMA_VERSION}`,
    );
  });

  it('an unknown or a missing store', async () => {
    const file = await fileJson();
    const unknown = await importError(
      await resigned({ ...file, stores: { ...file.stores, predictions: [] } }),
    );
    expect(unknown.message).toMatch(
      /^stores\.predictions: unknown store \(this app has lessonProgress, .*, aliasEvents, benchmarks, simSessions, drillAttempts, lessonPacks, classReports\)$/,
    );
    const { runs: _runs, ...noRuns } = file.stores;
    expect((await importError(await resigned({ ...file, stores: noRuns }))).message).toBe(
      'stores.runs: missing',
    );
  });

  it('a record of the wrong shape, naming its path', async () => {
    const file = await fileJson();
    file.stores.runs[2].createdAt = 'yesterday';
    expect((await importError(await resigned(file))).message).toBe(
      'stores.runs[2].createdAt: expected a number',
    );
    const file2 = await fileJson();
    file2.stores.lessonProgress[1].status = 'done';
    expect((await importError(await resigned(file2))).path).toBe('stores.lessonProgress[1].status');
    const file3 = await fileJson();
    file3.stores.runs[0].weights = [1, 2, 3];
    expect((await importError(await resigned(file3))).path).toBe('stores.runs[0].weights');
  });

  it('two records with one key', async () => {
    const file = await fileJson();
    file.stores.exerciseEvents[2].seq = file.stores.exerciseEvents[0].seq;
    expect((await importError(await resigned(file))).message).toBe(
      'stores.exerciseEvents[2].seq: duplicate 1 (also at stores.exerciseEvents[0])',
    );
  });

  it('broken binary or number markers', async () => {
    const file = await fileJson();
    file.stores.runs[0].weights.$bytes = 'abc!';
    expect((await importError(await resigned(file))).path).toBe('stores.runs[0].weights.$bytes');
    const file2 = await fileJson();
    file2.stores.runs[0].weights.$type = 'Blob';
    expect((await importError(await resigned(file2))).message).toMatch(
      /^stores\.runs\[0\]\.weights: expected "\$type"/,
    );
    const file3 = await fileJson();
    file3.stores.runs[2].curves[0].loss = { $number: 'lots' };
    expect((await importError(await resigned(file3))).path).toBe(
      'stores.runs[2].curves[0].loss.$number',
    );
    const file4 = await fileJson();
    file4.stores.settings[0].value = { $date: 0 };
    expect((await importError(await resigned(file4))).message).toBe(
      'stores.settings[0].value: unknown marker "$date"',
    );
  });

  it('a file changed after export (checksum mismatch)', async () => {
    const file = await fileJson();
    file.stores.lessonProgress[0].attempts = 99;
    const error = await importError(JSON.stringify(file));
    expect(error.path).toBe('checksum');
    expect(error.message).toMatch(/checksum mismatch/);
    expect((await importError(JSON.stringify({ ...file, checksum: 'abc' }))).path).toBe('checksum');
  });

  it('an unexpected top-level field', async () => {
    const file = await fileJson();
    expect((await importError(await resigned({ ...file, extra: 1 }))).message).toBe(
      'extra: unexpected field',
    );
  });
});
