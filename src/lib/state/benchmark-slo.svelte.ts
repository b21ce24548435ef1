import { checkSlo, sloProblems, type Slo, type SloVerdict } from '../core/slo';
import type { BenchmarkCell } from '../storage';
import { readSloForm, type SloForm } from './benchmark-prefs';

/**
 * The Benchmark lab's SLO form: p99 at most `p99Ms` at batch `batch`, accuracy at least
 * `minAccuracyPct` percent; the fields as typed, the SLO they make when valid, and verdicts.
 * `onChange` runs after every edit (BenchmarkState saves the form).
 */
export class SloFormState {
  #p99Ms = $state(5);
  #batch = $state(1);
  #minAccuracyPct = $state(96);
  /** The last valid form (what is saved while a field is invalid). */
  #lastValid: SloForm | null = null;

  readonly #onChange: () => void;

  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange;
  }

  /** Largest acceptable p99, ms. */
  get p99Ms(): number {
    return this.#p99Ms;
  }
  set p99Ms(v: number) {
    this.#p99Ms = v;
    this.#onChange();
  }
  get batch(): number {
    return this.#batch;
  }
  set batch(v: number) {
    this.#batch = v;
    this.#onChange();
  }
  /** Minimum accuracy in percent (the form's unit). */
  get minAccuracyPct(): number {
    return this.#minAccuracyPct;
  }
  set minAccuracyPct(v: number) {
    this.#minAccuracyPct = v;
    this.#onChange();
  }

  /** The form as an SLO, or null while a field is invalid (see `sloProblems`). */
  get slo(): Slo | null {
    const slo = this.#asSlo();
    return Object.keys(sloProblems(slo)).length === 0 ? slo : null;
  }
  /** What is wrong with each invalid field of the form. */
  get problems(): Partial<Record<keyof Slo, string>> {
    return sloProblems(this.#asSlo());
  }
  /** How a cell fares against the form's SLO (null while the form is invalid). */
  verdict(cell: BenchmarkCell): SloVerdict | null {
    const slo = this.slo;
    return slo ? checkSlo(cell, slo) : null;
  }

  /** The form to save: as typed when valid, else the last valid one (null if none yet). */
  get saved(): SloForm | null {
    const form = { p99Ms: this.#p99Ms, batch: this.#batch, minAccuracyPct: this.#minAccuracyPct };
    this.#lastValid = readSloForm(form) ?? this.#lastValid;
    return this.#lastValid;
  }
  /** Puts a saved form back (no `onChange`). */
  restore(form: SloForm): void {
    [this.#p99Ms, this.#batch, this.#minAccuracyPct] = [
      form.p99Ms,
      form.batch,
      form.minAccuracyPct,
    ];
    this.#lastValid = form;
  }

  #asSlo(): Slo {
    return {
      p99Ms: Number(this.#p99Ms),
      batch: Number(this.#batch),
      minAccuracy: Number(this.#minAccuracyPct) / 100,
    };
  }
}
