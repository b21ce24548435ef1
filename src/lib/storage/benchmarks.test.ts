import { describe, expect, it } from 'vitest';
import { benchCell, benchRecord } from '../../../tests/fixtures/storage/benchmark';
import { openTestDb, plain } from '../../../tests/fixtures/storage/helpers';
import {
  exportWorkspace,
  parseBackupFile,
  restoreWorkspace,
  stringifyBackup,
  type WorkspaceBackup,
} from './backup';
import { deleteBenchmark, getBenchmark, listBenchmarks, saveBenchmark } from './benchmarks';
import { canonicalJson, sha256Hex } from './canonical';
import { ImportError } from './errors';
import { clearWorkspace } from './reset';

describe('benchmarks repository', () => {
  it('saves, lists newest first, reads and deletes', async () => {
    const db = await openTestDb();
    await saveBenchmark(db, benchRecord('b', 2000));
    await saveBenchmark(db, benchRecord('a', 1000));
    await saveBenchmark(db, benchRecord('c', 2000));
    expect((await listBenchmarks(db)).map((b) => b.id)).toEqual(['c', 'b', 'a']);
    expect(await getBenchmark(db, 'a')).toEqual(benchRecord('a', 1000));
    await deleteBenchmark(db, 'b');
    await deleteBenchmark(db, 'missing'); // not an error
    expect((await listBenchmarks(db)).map((b) => b.id)).toEqual(['c', 'a']);
    await clearWorkspace(db);
    expect(await listBenchmarks(db)).toEqual([]);
  });

  it('replaces a record saved again under the same id', async () => {
    const db = await openTestDb();
    await saveBenchmark(db, benchRecord('x', 1));
    await saveBenchmark(db, { ...benchRecord('x', 1), cells: [benchCell({ batch: 16 })] });
    const [only] = await listBenchmarks(db);
    expect(only.cells.map((c) => c.batch)).toEqual([16]);
  });
});

/** A backup of `db` with `edit` applied to its file JSON and the checksum recomputed. */
async function editedBackup(
  backup: WorkspaceBackup,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write invalid shapes
  edit: (file: Record<string, any>) => void,
): Promise<string> {
  const file = JSON.parse(stringifyBackup(backup));
  edit(file);
  const { checksum: _old, ...rest } = file;
  return JSON.stringify({ ...rest, checksum: await sha256Hex(canonicalJson(rest)) });
}

describe('benchmarks in a workspace backup', () => {
  it('travel through a backup file and restore exactly', async () => {
    const source = await openTestDb();
    await saveBenchmark(source, benchRecord('one', 1));
    await saveBenchmark(source, { ...benchRecord('two', 2), slo: undefined, failures: undefined });
    const backup = await parseBackupFile(stringifyBackup(await exportWorkspace(source)));
    const target = await openTestDb();
    await restoreWorkspace(target, backup);
    expect(plain(await listBenchmarks(target))).toEqual(plain(await listBenchmarks(source)));
  });

  it('a malformed benchmark record is refused with its path', async () => {
    const db = await openTestDb();
    await saveBenchmark(db, benchRecord());
    const backup = await exportWorkspace(db);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- invalid shapes on purpose
    const cases: [(f: Record<string, any>) => void, string][] = [
      [(f) => (f.stores.benchmarks[0].cells[1].timing = 'vibes'), 'cells[1].timing'],
      [(f) => (f.stores.benchmarks[0].cells[0].p99 = -1), 'cells[0].p99'],
      [(f) => (f.stores.benchmarks[0].cells[0].accuracy = 1.5), 'cells[0].accuracy'],
      [(f) => (f.stores.benchmarks[0].cells[0].batch = 0), 'cells[0].batch'],
      [(f) => delete f.stores.benchmarks[0].environment.wasmSimd, 'environment.wasmSimd'],
      [
        (f) => (f.stores.benchmarks[0].environment.webgpu.isFallbackAdapter = 'yes'),
        'environment.webgpu.isFallbackAdapter',
      ],
      [(f) => (f.stores.benchmarks[0].slo.minAccuracy = 96), 'slo.minAccuracy'],
      [(f) => (f.stores.benchmarks[0].failures[0].threads = 0), 'failures[0].threads'],
    ];
    for (const [edit, path] of cases) {
      const error = await parseBackupFile(await editedBackup(backup, edit)).catch(
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(ImportError);
      expect((error as ImportError).path).toBe(`stores.benchmarks[0].${path}`);
    }
    const dup = await parseBackupFile(
      await editedBackup(backup, (f) => f.stores.benchmarks.push(f.stores.benchmarks[0])),
    ).catch((e: unknown) => e);
    expect((dup as ImportError).message).toMatch(/stores\.benchmarks\[1\]\.id: duplicate/);
  });
});
