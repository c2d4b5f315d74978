/**
 * The reader's progress through the exercises, kept in the browser's IndexedDB: which exercises they
 * have checked at least once (attempted) and which passed every check. It survives reloads, and
 * every tab of the site sees the same progress; a change in one tab is announced to the others on a
 * BroadcastChannel, so overview and navigation stay current everywhere.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** The database; never one the exercise checks or the Lab use. */
const DATABASE = 'sessionlab-exercise-progress';
const VERSION = 1;
const PROGRESS = 'progress';
/** Where tabs tell each other that progress changed. */
const CHANNEL = 'sessionlab-exercise-progress';

export interface ExerciseProgress {
  /** The exercise's folder name, e.g. `01-create-and-get`. */
  slug: string;
  /** Checked at least once. */
  attempted: boolean;
  /** Passed every check, at least once (a later failing attempt does not take it back). */
  passed: boolean;
  /** How many times the checks ran. */
  attempts: number;
  /** How many checks passed in the latest attempt, of how many. */
  lastPassed: number;
  lastTotal: number;
  /** ISO times. */
  lastCheckedAt: string;
  passedAt: string | null;
}

/** How one run of an exercise's checks went. */
export interface AttemptOutcome {
  passed: number;
  total: number;
}

interface ProgressSchema extends DBSchema {
  progress: { key: string; value: ExerciseProgress };
}

/** The one progress store of the page: open once, lazily. */
export class ProgressStore {
  readonly #name: string;
  #database: Promise<IDBPDatabase<ProgressSchema>> | null = null;

  constructor(options: { name?: string } = {}) {
    this.#name = options.name ?? DATABASE;
  }

  /** Every exercise with progress, by slug. Never throws: without IndexedDB (private mode) there is simply no progress. */
  async all(): Promise<Map<string, ExerciseProgress>> {
    try {
      const entries = await (await this.#open()).getAll(PROGRESS);
      return new Map(entries.map((entry) => [entry.slug, entry]));
    } catch {
      return new Map();
    }
  }

  /** Records a run of `slug`'s checks and resolves to the progress after it. */
  async record(slug: string, outcome: AttemptOutcome, now: Date = new Date()): Promise<ExerciseProgress> {
    const database = await this.#open();
    const transaction = database.transaction(PROGRESS, 'readwrite');
    const before = await transaction.store.get(slug);
    const passedNow = outcome.total > 0 && outcome.passed === outcome.total;
    const progress: ExerciseProgress = {
      slug,
      attempted: true,
      passed: (before?.passed ?? false) || passedNow,
      attempts: (before?.attempts ?? 0) + 1,
      lastPassed: outcome.passed,
      lastTotal: outcome.total,
      lastCheckedAt: now.toISOString(),
      passedAt: before?.passedAt ?? (passedNow ? now.toISOString() : null),
    };
    await transaction.store.put(progress);
    await transaction.done;
    announce();
    return progress;
  }

  /** Forgets all progress (the overview's "Start over"). */
  async clear(): Promise<void> {
    await (await this.#open()).clear(PROGRESS);
    announce();
  }

  #open(): Promise<IDBPDatabase<ProgressSchema>> {
    this.#database ??= openDB<ProgressSchema>(this.#name, VERSION, {
      upgrade(database) {
        database.createObjectStore(PROGRESS, { keyPath: 'slug' });
      },
    });
    this.#database.catch(() => (this.#database = null)); // try again next time
    return this.#database;
  }
}

/** Calls `listener` whenever progress changes, in this tab or another. Returns an unsubscribe function. */
export function onProgressChange(listener: () => void): () => void {
  // Every BroadcastChannel object of the name hears a message, except the one that sent it: this
  // tab's listeners included.
  const channel = new BroadcastChannel(CHANNEL);
  channel.addEventListener('message', () => listener());
  return () => channel.close();
}

function announce(): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}
