/**
 * The instructor's class table: imported progress reports (IndexedDB) and the import of many
 * files at once. Each file is checked on its own: good files go in (in one transaction), refused
 * files are listed with the reason, and nothing already in the table changes.
 */
import {
  addClassReports,
  clearClassReports,
  deleteClassReport,
  listClassReports,
  type AppDb,
  type ClassReportRecord,
} from '../storage';
import { parseReport, reportRecord } from './class-table-report';

/** The outcome for one file of an import. */
export type FileOutcome =
  | { file: string; outcome: 'added' | 'duplicate'; learnerName: string }
  | { file: string; outcome: 'refused'; reason: string };

export class ClassTableState {
  #reports = $state.raw<ClassReportRecord[]>([]);
  readonly #db: AppDb;

  constructor(db: AppDb) {
    this.#db = db;
  }

  get reports(): readonly ClassReportRecord[] {
    return this.#reports;
  }

  async load(): Promise<void> {
    this.#reports = await listClassReports(this.#db);
  }

  /**
   * Checks every file, then saves the good ones in one transaction.
   * @param files name and text of each picked file.
   */
  async importFiles(
    files: readonly { name: string; text: string }[],
    now = Date.now,
  ): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = [];
    const fresh: { record: ClassReportRecord; outcome: FileOutcome }[] = [];
    // A local working set, not reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const known = new Set(this.#reports.map((r) => r.id));
    for (const f of files) {
      try {
        const record = reportRecord(await parseReport(f.text), now());
        const outcome: FileOutcome = {
          file: f.name,
          outcome: known.has(record.id) ? 'duplicate' : 'added',
          learnerName: record.learnerName,
        };
        if (!known.has(record.id)) fresh.push({ record, outcome });
        known.add(record.id);
        outcomes.push(outcome);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        outcomes.push({ file: f.name, outcome: 'refused', reason });
      }
    }
    if (fresh.length > 0) {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const added = new Set(
        await addClassReports(
          this.#db,
          fresh.map((x) => x.record),
        ),
      );
      // Another tab may have added the same report in between: then it is a duplicate here.
      for (const x of fresh) if (!added.has(x.record.id)) x.outcome.outcome = 'duplicate';
    }
    await this.load();
    return outcomes;
  }

  async remove(id: string): Promise<void> {
    await deleteClassReport(this.#db, id);
    await this.load();
  }

  async clear(): Promise<void> {
    await clearClassReports(this.#db);
    await this.load();
  }
}
