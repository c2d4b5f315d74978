/**
 * The reader's stores the Lab's server has run: the one it serves now, the last few that worked (to
 * fall back to when a newer one hangs), the code that hung (never run again without the reader's
 * Run), and each Run's modules (module-urls.ts), kept while anything may load them again and revoked
 * as soon as nothing will.
 *
 * A store "worked" once it answered a store call, and only until it fails or hangs: a store that
 * loaded but never served a request has proven nothing, and a store that hung is never called one
 * that worked, nor is any other Run of the same code.
 */
import type { StoreChoice } from '../sim/protocol.ts';
import type { RunModule } from '../editor/module-urls.ts';

export interface ServedStore {
  run: number;
  choice: StoreChoice;
  label: string;
  /** The reader's code it was made from (language and source): two Runs of the same code are the same store. */
  code: string;
}

/** Where the server goes after a hang: a store of the reader's that worked, or the Lab's own MemoryStore. */
export interface Fallback {
  choice: StoreChoice;
  label: string;
  /** The fallback in a sentence's words: "BrokenStore (run 1), your last store that served requests without hanging". */
  described: string;
}

/** Where the server goes when no store of the reader's worked. */
export const MEMORY_STORE: Fallback = {
  choice: { kind: 'memory' },
  label: 'MemoryStore',
  described: "the Lab's built-in MemoryStore (not your code)",
};
/** How many of the reader's stores that worked are kept to fall back to (the newest). */
const FALLBACKS_KEPT = 3;

export class ServedStores {
  /** The reader's store the server runs now. */
  #current: ServedStore | null = null;
  /** The last few that answered store calls and never failed, newest last. */
  #good: ServedStore[] = [];
  /** The code of every store that hung. */
  readonly #hungCode = new Set<string>();
  /** The code of each store by its label, for the stores the server was given. */
  readonly #codeOf = new Map<string, string>();
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

  /** The server serves `store` now; it has worked once it answers a store call (`answered`). */
  serving(store: ServedStore): void {
    this.#current = store;
    this.#codeOf.set(store.label, store.code);
  }

  /** The store being served answered a store call: it worked, unless its code hung before. */
  answered(): void {
    const current = this.#current;
    if (!current || this.#hungCode.has(current.code) || this.#good.includes(current)) return;
    this.#good = [...this.#good, current].slice(-FALLBACKS_KEPT);
  }

  /** The store being served failed: it is no store to fall back to. */
  currentFailed(): void {
    const current = this.#current;
    if (current) this.#good = this.#good.filter((store) => store !== current);
  }

  /** Whether `code` (language and source, as in `ServedStore.code`) hung when it last ran. */
  isHung(code: string): boolean {
    return this.#hungCode.has(code);
  }

  /** `code` hung before this page opened (the draft says so): it is not run again by itself either. */
  rememberHung(code: string): void {
    this.#hungCode.add(code);
  }

  /**
   * The store to run after the store labelled `hung` (default: the one served now) hung: the newest
   * that worked, of other code, or the Lab's MemoryStore.
   */
  fallbackFor(hung: string | null = this.#current?.label ?? null): Fallback {
    const hungCode = hung === null ? undefined : this.#codeOf.get(hung);
    const store = [...this.#good].reverse().find((candidate) => candidate.label !== hung && candidate.code !== hungCode && !this.#hungCode.has(candidate.code));
    return store ? { choice: store.choice, label: store.label, described: `${store.label}, your last store that served requests without hanging` } : MEMORY_STORE;
  }

  /** The store labelled `label` hung: neither it nor any Run of its code is served or fallen back to. Its code, when known. */
  hung(label: string): string | undefined {
    const code = this.#codeOf.get(label);
    if (code !== undefined) this.#hungCode.add(code);
    this.#good = this.#good.filter((store) => store.label !== label && store.code !== code);
    if (this.#current?.label === label || (code !== undefined && this.#current?.code === code)) this.#current = null;
    return code;
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
