/**
 * What a page can ask of a Lab: which store it starts on, a preset of session options (a scenario),
 * and which panels it shows. Shared by `Lab.astro` (at build time) and the `<session-lab>` element.
 */
import type { BalancerPolicy, BrowserId, LabOptions, ReportedStore, ServerCount, StoreChoice } from '../../sim/protocol.ts';

export const LAB_STORES = ['indexeddb', 'memory', 'memory-lww', 'indexeddb-lww', 'faulty-hang'] as const;
export type LabStore = (typeof LAB_STORES)[number];

export const LAB_PANELS = ['app', 'controls', 'timeline', 'diagram', 'inspector'] as const;
export type LabPanel = (typeof LAB_PANELS)[number];

/** The store choices the Lab offers, with what a server restart does to each. */
export const STORE_INFO: Record<LabStore, { label: string; restart: string }> = {
  indexeddb: {
    label: 'IndexedDB',
    restart: 'Records live in your browser’s IndexedDB: a restart keeps every session.',
  },
  memory: {
    label: 'Memory',
    restart: 'Records live in the server’s memory: a restart forgets them all, and everyone is signed out.',
  },
  'memory-lww': {
    label: 'Memory, last write wins',
    restart: 'A MemoryStore without compareAndSet, like a store written from FluidAuth’s docs: two tabs at once lose an item.',
  },
  'indexeddb-lww': {
    label: 'IndexedDB, last write wins',
    restart: 'The shared IndexedDB store without compareAndSet: two tabs at once lose an item, on one server or on two.',
  },
  'faulty-hang': {
    label: 'Hanging store',
    restart: 'Every call hangs forever: the server gives up on the request and is restarted.',
  },
};

export function storeChoice(store: LabStore): StoreChoice {
  switch (store) {
    case 'indexeddb':
      return { kind: 'indexeddb' };
    case 'memory':
      return { kind: 'memory' };
    case 'memory-lww':
      return { kind: 'memory', lastWriteWins: true };
    case 'indexeddb-lww':
      return { kind: 'indexeddb', lastWriteWins: true };
    case 'faulty-hang':
      return { kind: 'faulty', fault: 'hang' };
  }
}

/**
 * The LabStore a store choice came from (as options or as a server event reports it), or null for
 * stores the Lab does not offer (a reader's module).
 */
export function labStoreOf(choice: ReportedStore): LabStore | null {
  if (choice.kind === 'faulty') return choice.fault === 'hang' ? 'faulty-hang' : null;
  if (choice.kind === 'memory' && choice.lastWriteWins) return 'memory-lww';
  if (choice.kind === 'indexeddb' && choice.lastWriteWins) return 'indexeddb-lww';
  return choice.kind === 'module' ? null : choice.kind;
}

/** A store's name for people: the Lab's own name for a store it offers, a reader's store its label. */
export function storeLabel(choice: ReportedStore): string {
  const known = labStoreOf(choice);
  if (known) return STORE_INFO[known].label;
  // Not offered by the Lab: a reader's module, or the store that throws on every call.
  return choice.kind === 'module' ? choice.label : 'Faulty store (throws)';
}

export interface LabScenario {
  /** Shown above the Lab, so the reader knows the rules differ from the defaults. */
  note: string;
  options: Pick<LabOptions, 'sessionDuration' | 'cleanInterval' | 'requestTimeoutMs'>;
}

const MINUTE = 60_000;

/** Presets a docs page picks by name: `<Lab scenario="short-sessions" />`. */
export const LAB_SCENARIOS = {
  /** Expiry within a couple of clicks. */
  'short-sessions': {
    note: 'Sessions here end after 2 minutes without a request, and the server cleans every minute.',
    options: { sessionDuration: 2 * MINUTE, cleanInterval: MINUTE },
  },
  /** Expired records stay in the store: expiry is still enforced when they are read. */
  'lazy-cleaning': {
    note: 'The server cleans only once a day here: expired records stay in the store until a request reads them.',
    options: { cleanInterval: 24 * 60 * MINUTE },
  },
  /** A hanging store is given up on sooner. */
  'quick-timeout': {
    note: 'The server gives up on a request after 1.5 seconds here.',
    options: { requestTimeoutMs: 1500 },
  },
} satisfies Record<string, LabScenario>;

export type LabScenarioName = keyof typeof LAB_SCENARIOS;

/** How many servers a Lab can run behind its load balancer. */
export const LAB_SERVER_COUNTS = [1, 2, 3] as const satisfies readonly ServerCount[];

/** The load balancer's policies, with what each does. */
export const BALANCER_INFO: Record<BalancerPolicy, { label: string; hint: string }> = {
  'round-robin': {
    label: 'Round robin',
    hint: 'Each request goes to the next server in turn.',
  },
  sticky: {
    label: 'Sticky sessions',
    hint: 'The balancer pins your browser to one server with a cookie of its own.',
  },
};

export function isLabServerCount(value: unknown): value is ServerCount {
  return (LAB_SERVER_COUNTS as readonly unknown[]).includes(value);
}

export function isLabPolicy(value: unknown): value is BalancerPolicy {
  return typeof value === 'string' && Object.hasOwn(BALANCER_INFO, value);
}

/** Whether every server of the Lab sees the same records in `store` (a database), or each its own (its memory). */
export function isSharedStore(store: ReportedStore): boolean {
  return store.kind === 'indexeddb';
}

export function isLabStore(value: unknown): value is LabStore {
  return typeof value === 'string' && (LAB_STORES as readonly string[]).includes(value);
}

export function isLabScenario(value: unknown): value is LabScenarioName {
  return typeof value === 'string' && Object.hasOwn(LAB_SCENARIOS, value);
}

export function isLabPanel(value: unknown): value is LabPanel {
  return typeof value === 'string' && (LAB_PANELS as readonly string[]).includes(value);
}

/** The simulated browsers a Lab can have, in the order their tabs are shown. */
export const LAB_BROWSERS = ['laptop', 'phone', 'attacker'] as const satisfies readonly BrowserId[];

/** The browsers' names for people, and what each runs on. */
export const BROWSER_INFO: Record<BrowserId, { label: string; device: string }> = {
  laptop: { label: 'Laptop', device: 'Chrome on macOS' },
  phone: { label: 'Phone', device: 'Safari on iPhone' },
  attacker: { label: 'Attacker', device: 'Firefox on Linux' },
};

export function isLabBrowser(value: unknown): value is BrowserId {
  return typeof value === 'string' && (LAB_BROWSERS as readonly string[]).includes(value);
}

/** A list of browsers as a page gives it (`laptop,phone`), or null when it names none or one the Lab does not have. */
export function labBrowsers(value: string | null | undefined): BrowserId[] | null {
  const ids = (value ?? '').split(/[\s,]+/).filter(Boolean);
  if (ids.length === 0 || !ids.every(isLabBrowser)) return null;
  return [...new Set(ids)];
}
