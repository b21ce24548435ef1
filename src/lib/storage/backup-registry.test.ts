import { describe, expect, it } from 'vitest';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import { addRegistry } from '../../../tests/fixtures/storage/registry';
import { exportWorkspace, parseBackupFile, restoreWorkspace, stringifyBackup } from './backup';
import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
import { getVersion } from './registry';
import { aliasHistory, previousAliasTarget, resolveAlias } from './registry-aliases';

const NOW = () => 1_714_636_800_000;

async function registryFile(): Promise<string> {
  const db = await openTestDb();
  await addRegistry(db);
  return stringifyBackup(await exportWorkspace(db, NOW));
}

/** The registry backup with `edit` applied and its checksum recomputed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
async function edited(edit: (file: Record<string, any>) => void): Promise<string> {
  const file = JSON.parse(await registryFile());
  edit(file);
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

async function importError(text: string): Promise<ImportError> {
  const error = await parseBackupFile(text).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('backing up the model registry', () => {
  it('round-trips models, versions with their bytes, and the alias history', async () => {
    const source = await openTestDb();
    await addRegistry(source);
    const text = stringifyBackup(await exportWorkspace(source, NOW));
    const file = JSON.parse(text);
    expect(file.stores.modelVersions[0].bytes).toEqual({
      $bytes: expect.any(String),
      $type: 'Uint8Array',
    });
    const target = await openTestDb();
    await restoreWorkspace(target, await parseBackupFile(text));
    for (const store of ['models', 'modelVersions', 'aliasEvents'] as const) {
      expect(plain(await target.getAll(store)), store).toEqual(plain(await source.getAll(store)));
    }
    const v2 = await getVersion(target, 'digits-classifier@v2');
    expect(v2!.bytes).toBeInstanceOf(Uint8Array);
    expect((await resolveAlias(target, 'digits-classifier', 'champion'))!.version).toBe(2);
    expect((await previousAliasTarget(target, 'digits-classifier', 'champion'))!.version).toBe(1);
    expect(await aliasHistory(target, 'digits-classifier')).toEqual(
      await aliasHistory(source, 'digits-classifier'),
    );
  });
});

describe('a registry backup that does not hold together is refused', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
  const cases: [string, (f: Record<string, any>) => unknown, string][] = [
    [
      'a model name that is not kebab-case',
      (f) => (f.stores.models[0].name = 'Cancer Screen'),
      'stores.models[0].name: expected a kebab-case name (e.g. "digits-classifier")',
    ],
    [
      'an id that does not match model and version',
      (f) => (f.stores.modelVersions[1].id = 'digits-classifier@v7'),
      'stores.modelVersions[1].id: expected "digits-classifier@v1" (modelName@v<version>)',
    ],
    [
      'bytes of the wrong type',
      (f) => (f.stores.modelVersions[0].bytes.$type = 'ArrayBuffer'),
      'stores.modelVersions[0].bytes: expected binary data ({ "$bytes": ..., "$type": "Uint8Array" })',
    ],
    [
      'a size that is not the size of the bytes',
      (f) => (f.stores.modelVersions[0].sizeBytes = 1),
      'stores.modelVersions[0].sizeBytes: expected 30 (the size of bytes)',
    ],
    [
      'bytes that do not match their sha256',
      (f) => (f.stores.modelVersions[0].bytes.$bytes = 'A'.repeat(40)), // 30 zero bytes
      'stores.modelVersions[0].sha256: does not match bytes: the model file was changed or corrupted',
    ],
    [
      'a sha256 that is not one',
      (f) => (f.stores.modelVersions[0].sha256 = 'abc'),
      'stores.modelVersions[0].sha256: expected 64 lowercase hex digits (a SHA-256)',
    ],
    [
      'a version of a model that is not there',
      (f) => f.stores.models.splice(0, 1),
      'stores.modelVersions[0].modelName: no model "cancer-screen" in stores.models',
    ],
    [
      'an alias pointing at a version that is not there',
      (f) => (f.stores.models[1].aliases.champion = 9),
      'stores.models[1].aliases.champion: version 9 is not in the backup',
    ],
    [
      'a lastVersion below a version in the file',
      (f) => (f.stores.models[1].lastVersion = 2),
      'stores.models[1].lastVersion: expected at least 3 (digits-classifier@v3 is in the backup)',
    ],
    [
      'an alias event with neither a from nor a to version',
      (f) => Object.assign(f.stores.aliasEvents[0], { fromVersion: null, toVersion: null }),
      'stores.aliasEvents[0].toVersion: an alias move needs a version before or after it',
    ],
    [
      'an unknown actor',
      (f) => (f.stores.aliasEvents[2].actor = 'cron'),
      'stores.aliasEvents[2].actor: expected one of "learner", "policy"',
    ],
    [
      'an unknown variant',
      (f) => (f.stores.modelVersions[3].variant = 'int4'),
      'stores.modelVersions[3].variant: expected one of "fp32", "fp16", "int8-weight", "int8-dynamic", "int8-static"',
    ],
    [
      'an input schema whose arrays do not fit its width',
      (f) => f.stores.modelVersions[2].inputSchema.min.pop(),
      'stores.modelVersions[2].inputSchema.min: expected 4 numbers (one per feature)',
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(what, async () => {
      expect((await importError(await edited(edit))).message).toBe(message);
    });
  }

  it('and a refused file changes nothing', async () => {
    const db = await openTestDb();
    await addRegistry(db);
    const before = plain(await db.getAll('modelVersions'));
    await importError(await edited((f) => (f.stores.models[1].aliases.champion = 9)));
    expect(plain(await db.getAll('modelVersions'))).toEqual(before);
  });
});
