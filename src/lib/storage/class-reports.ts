/**
 * The class table's imported progress reports (an instructor's device). Reports are validated by
 * the state layer (state/class-table-report.ts) before they get here.
 */
import type { AppDb } from './db';
import { withStorageErrors } from './errors';
import type { ClassReportRecord } from './v5-records';
import { writeTx } from './tx';

/** Every imported report. */
export function listClassReports(db: AppDb): Promise<ClassReportRecord[]> {
  return withStorageErrors('read the class table', () => db.getAll('classReports'));
}

/**
 * Adds validated reports in ONE transaction: either all of them are saved or none. A report
 * whose id is already stored is skipped, never overwritten: nothing already imported changes.
 * @returns the ids actually added.
 */
export function addClassReports(db: AppDb, reports: ClassReportRecord[]): Promise<string[]> {
  return writeTx(db, ['classReports'], 'save the progress reports', async (tx) => {
    const store = tx.objectStore('classReports');
    const added: string[] = [];
    for (const r of reports) {
      if ((await store.getKey(r.id)) !== undefined) continue;
      await store.add(r);
      added.push(r.id);
    }
    return added;
  });
}

/** Removes one learner's report from the class table. */
export function deleteClassReport(db: AppDb, id: string): Promise<void> {
  return writeTx(db, ['classReports'], 'remove the report', async (tx) => {
    await tx.objectStore('classReports').delete(id);
  });
}

/** Empties the class table. */
export function clearClassReports(db: AppDb): Promise<void> {
  return writeTx(db, ['classReports'], 'clear the class table', async (tx) => {
    await tx.objectStore('classReports').clear();
  });
}
