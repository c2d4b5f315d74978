/**
 * The reader's stores the Lab's server has run: the one it serves now, the last few that loaded and
 * never failed (to fall back to when a newer one hangs), and each Run's modules (module-urls.ts),
 * kept while anything may load them again and revoked as soon as nothing will.
 */
import type { StoreChoice } from '../sim/protocol.ts';
import type { RunModule } from '../editor/module-urls.ts';

export interface ServedStore {
  run: number;
  choice: StoreChoice;
  label: string;
}

/** Where the server goes when no store of the reader's worked. */
export const MEMORY_STORE: { choice: StoreChoice; label: string } = { choice: { kind: 'memory' }, label: 'MemoryStore' };
/** How many of the reader's stores that worked are kept to fall back to (the newest). */
const FALLBACKS_KEPT = 3;

export class ServedStores {
  /** The reader's store the server runs now. */
  #current: ServedStore | null = null;
  /** The last few that loaded and never failed, newest last. */
  #good: ServedStore[] = [];
  /** Each Run's modules, until nothing will load them again. */
  readonly #modules = new Map<number, RunModule>();
  /** Runs whose modules are being loaded now: by the Lab's server (a Run) or by the checks. */
  readonly #loading = new Set<number>();

  get current(): ServedStore | null {
    return this.#current;
  }

  /** A Run's modules, about to be loaded. */
  loading(run: number, modules: RunModule): void {
    this.#modules.set(run, modules);
    this.#loading.add(run);
  }

  /** The server serves `store` now. */
  serving(store: ServedStore): void {
    this.#current = store;
    this.#good = [...this.#good, store].slice(-FALLBACKS_KEPT);
  }

  /** The store being served failed: it is no store to fall back to. */
  currentFailed(): void {
    const current = this.#current;
    if (current) this.#good = this.#good.filter((store) => store !== current);
  }

  /** The store to run after the store labelled `hung` hung: the newest good one before it, or a MemoryStore. */
  fallbackFor(hung: string): { choice: StoreChoice; label: string } {
    return [...this.#good].reverse().find((store) => store.label !== hung) ?? MEMORY_STORE;
  }

  /** The store labelled `label` hung: it is not served, and not fallen back to. */
  hung(label: string): void {
    this.#good = this.#good.filter((store) => store.label !== label);
    if (this.#current?.label === label) this.#current = null;
  }

  /** The server went back to `choice` after a hang. */
  fellBackTo(choice: StoreChoice): void {
    this.#current = this.#good.find((store) => store.choice === choice) ?? null;
    this.release();
  }

  /** `run`'s modules are not being loaded any more; free those of the Runs nothing will load again. */
  doneWith(run: number): void {
    this.#loading.delete(run);
    this.release();
  }

  /** Revokes the modules of every Run that is not serving the Lab, not kept to fall back to, and not being loaded. */
  release(): void {
    const kept = new Set([this.#current, ...this.#good].map((store) => store?.run));
    for (const [run, modules] of this.#modules) {
      if (kept.has(run) || this.#loading.has(run)) continue;
      modules.revoke();
      this.#modules.delete(run);
    }
  }
}
