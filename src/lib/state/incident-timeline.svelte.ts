/**
 * The Incidents screen's state: the saved Operate sessions, the one picked, its timeline (both
 * clocks), its impact, and the learner's post-mortem draft, autosaved on every change under one
 * settings key (postmortem-draft.ts). A draft with problems is not saved; the problems are shown.
 */
import { getSetting, setSetting, type AppDb } from '../storage';
import { buildIncidentTimeline, type IncidentTimeline } from './incident-timeline';
import { loadOperational, loadSessions, type SessionChoice } from './incident-timeline-load';
import { renderPostmortem } from './postmortem';
import {
  draftProblems,
  EMPTY_DRAFT,
  POSTMORTEM_KEY,
  readStoredDrafts,
  withDraft,
  type PostmortemDraft,
} from './postmortem-draft';
import { computeImpact, type Impact } from './postmortem-impact';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class IncidentState {
  readonly #db: AppDb;
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #sessions = $state.raw<SessionChoice[]>([]);
  #unreadable = $state.raw<string[]>([]);
  #selected = $state<string | null>(null);
  #timeline = $state.raw<IncidentTimeline | null>(null);
  #draft = $state.raw<PostmortemDraft>(EMPTY_DRAFT);
  #problems = $state.raw<string[]>([]);
  #saved = $state<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  #writes: Promise<void> = Promise.resolve();

  constructor(db: AppDb) {
    this.#db = db;
  }

  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  /** Readable saved sessions, newest first. */
  get sessions(): SessionChoice[] {
    return this.#sessions;
  }
  /** One line per saved session that could not be read. */
  get unreadable(): string[] {
    return this.#unreadable;
  }
  get session(): SessionChoice | null {
    return this.#sessions.find((s) => s.id === this.#selected) ?? null;
  }
  get timeline(): IncidentTimeline | null {
    return this.#timeline;
  }
  get impact(): Impact | null {
    const s = this.session;
    return s ? computeImpact(s) : null;
  }
  get draft(): PostmortemDraft {
    return this.#draft;
  }
  /** Why the current draft was not saved ([] when it was). */
  get problems(): string[] {
    return this.#problems;
  }
  get saved(): 'idle' | 'saving' | 'saved' | 'failed' {
    return this.#saved;
  }

  /** Reads the sessions and opens the newest. */
  async load(): Promise<void> {
    try {
      const { sessions, unreadable } = await loadSessions(this.#db);
      this.#sessions = sessions;
      this.#unreadable = unreadable;
      this.#loaded = true;
      if (sessions[0]) await this.select(sessions[0].id);
    } catch (err) {
      this.#error = `The saved simulations could not be read: ${message(err)}`;
      this.#loaded = true;
    }
  }

  /** Opens a session: its timeline and its saved draft. */
  async select(id: string): Promise<void> {
    const s = this.#sessions.find((x) => x.id === id);
    if (!s) return;
    this.#selected = id;
    this.#error = null;
    this.#problems = [];
    this.#saved = 'idle';
    try {
      const [operational, stored] = await Promise.all([
        loadOperational(this.#db, s),
        getSetting<unknown>(this.#db, POSTMORTEM_KEY, {}),
      ]);
      if (this.#selected !== id) return;
      this.#timeline = buildIncidentTimeline(s, operational);
      this.#draft = readStoredDrafts(stored)[id]?.draft ?? EMPTY_DRAFT;
    } catch (err) {
      this.#error = `The timeline could not be built: ${message(err)}`;
    }
  }

  /** Replaces the draft and saves it, unless it has problems (then nothing is saved). */
  setDraft(draft: PostmortemDraft): void {
    const id = this.#selected;
    this.#draft = draft;
    this.#problems = draftProblems(draft);
    if (!id || this.#problems.length > 0) return;
    this.#saved = 'saving';
    this.#writes = this.#writes.then(async () => {
      try {
        const all = readStoredDrafts(await getSetting<unknown>(this.#db, POSTMORTEM_KEY, {}));
        await setSetting(this.#db, POSTMORTEM_KEY, withDraft(all, id, draft, Date.now()));
        if (this.#draft === draft) this.#saved = 'saved';
      } catch (err) {
        this.#saved = 'failed';
        this.#error = `The post-mortem could not be saved: ${message(err)}`;
      }
    });
  }

  /** Resolves once every pending save has finished. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  /** The post-mortem as markdown, exported at `now` (ms since epoch). */
  markdown(now: number): string | null {
    const s = this.session;
    const t = this.#timeline;
    if (!s || !t || t.sessionId !== s.id) return null;
    return renderPostmortem(t, this.impact, this.#draft, {
      sessionId: s.id,
      versionId: s.versionId,
      sessionStartedAt: s.createdAt,
      exportedAt: now,
    });
  }
}
