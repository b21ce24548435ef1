/** The learner's colour theme choice; 'system' follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'pocket-mlops-theme';

/**
 * Theme kept in localStorage rather than IndexedDB: it must be known synchronously before the
 * first paint to avoid a flash of the wrong theme, and losing it loses nothing of value.
 */
export class ThemeState {
  #choice = $state<ThemeChoice>('system');
  #media = window.matchMedia('(prefers-color-scheme: dark)');
  #systemDark = $state(false);

  constructor() {
    const saved = localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.#choice = saved;
    this.#systemDark = this.#media.matches;
    this.#media.addEventListener('change', (e) => {
      this.#systemDark = e.matches;
      this.#apply();
    });
    this.#apply();
  }

  get choice(): ThemeChoice {
    return this.#choice;
  }

  /** The theme actually shown. */
  get effective(): 'light' | 'dark' {
    if (this.#choice === 'system') return this.#systemDark ? 'dark' : 'light';
    return this.#choice;
  }

  set choice(value: ThemeChoice) {
    this.#choice = value;
    localStorage.setItem(KEY, value);
    this.#apply();
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.effective;
  }
}
