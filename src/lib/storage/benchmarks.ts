import type { BenchmarkRecord } from './benchmark-records';
import type { AppDb } from './db';
import { withStorageErrors } from './errors';

/** Saves a benchmark run, replacing any record with the same id. */
export function saveBenchmark(db: AppDb, record: BenchmarkRecord): Promise<void> {
  return withStorageErrors('save the benchmark results', async () => {
    await db.put('benchmarks', record);
  });
}

/** One benchmark run by id, or undefined. */
export function getBenchmark(db: AppDb, id: string): Promise<BenchmarkRecord | undefined> {
  return withStorageErrors('read the benchmark results', () => db.get('benchmarks', id));
}

/** Benchmark runs, newest first (by `createdAt`, then id). */
export function listBenchmarks(db: AppDb): Promise<BenchmarkRecord[]> {
  return withStorageErrors('read the benchmark results', async () => {
    const records = await db.getAllFromIndex('benchmarks', 'byCreatedAt');
    return records.reverse().sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  });
}

/** Deletes a benchmark run; deleting a missing id is not an error. */
export function deleteBenchmark(db: AppDb, id: string): Promise<void> {
  return withStorageErrors('delete the benchmark results', () => db.delete('benchmarks', id));
}
