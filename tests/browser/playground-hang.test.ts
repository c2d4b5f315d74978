/**
 * The playground after a store of the reader's hung, on the pieces that decide it (the page's whole
 * journey is tests/e2e/playground-sandbox.spec.ts): which store the Lab falls back to, what the status
 * line says, and that the code that hung is remembered so that nothing runs it again by itself. And
 * the Checks pane's count of checks a store does not offer.
 */
import { describe, expect, it } from 'vitest';
import type { SimEvent, StoreChoice } from '../../src/sim/protocol.ts';
import type { HungCode } from '../../src/editor/drafts.ts';
import { ReaderProblems } from '../../src/playground/reader-problems.ts';
import { MEMORY_STORE, ServedStores, type ServedStore } from '../../src/playground/served-stores.ts';
import { StoreWatch } from '../../src/playground/store-watch.ts';
import { checkingHungStatus, hungAtStartStatus } from '../../src/playground/hang-words.ts';
import { ChecksView } from '../../src/playground/playground-checks-view.ts';
import type { PlaygroundHost } from '../../src/playground/playground-host.ts';
import { conformanceChecks, type CheckResult } from '../../src/session/conformance/index.ts';

const LOOPING = "javascript\nexport class BrokenStore extends BaseSessionStore {\n  create(record) { while (true) {} }\n}";
const WORKING = "javascript\nexport class BrokenStore extends BaseSessionStore {\n  create(record) { this.db.set(record.sessionId, record); }\n}";

function store(run: number, code: string): ServedStore {
  return { run, choice: { kind: 'module', url: `blob:run-${run}`, label: `BrokenStore (run ${run})` }, label: `BrokenStore (run ${run})`, code };
}

const at = { seq: 1, at: 0 };
const answered: SimEvent = { ...at, kind: 'session', requestId: 1, event: { type: 'store-call', at: 0, method: 'get', key: 'k', durationMs: 1, outcome: 'ok' } };
const blocked = (label: string): SimEvent => ({
  ...at,
  kind: 'server',
  step: 'timeout',
  storeChoice: { kind: 'module', label },
  store: label,
  detail: 'POST /api/login got no answer within 3000 ms; the server is restarted.',
});
const neverSettled: SimEvent = {
  ...at,
  kind: 'session',
  requestId: 2,
  event: { type: 'store-call', at: 0, method: 'get', key: 'k', durationMs: 1500, outcome: 'timeout', error: 'Session store get() did not answer in time: no answer after 1500 ms.' },
};

interface Watched {
  stores: ServedStores;
  watch: StoreWatch;
  problems: ReaderProblems;
  /** The stores the Lab was asked to run, by label. */
  used: string[];
  /** What the draft was asked to remember. */
  hung: HungCode[];
  statuses: string[];
  /** The Lab serves `served` now. */
  serve(served: ServedStore): void;
}

/** A playground without a page: the watch, with what it asked of the page written down. */
function watched(): Watched {
  const stores = new ServedStores();
  const problems = new ReaderProblems({ code: () => LOOPING.slice('javascript\n'.length), fallback: (hung) => stores.fallbackFor(hung).described });
  const used: string[] = [];
  const hung: HungCode[] = [];
  const statuses: string[] = [];
  let serving: StoreChoice = { kind: 'memory' };
  const watch = new StoreWatch({
    stores,
    problems,
    servingReaderCode: () => serving.kind === 'module',
    useStore: async (choice, label) => {
      used.push(label);
      serving = choice;
      return true;
    },
    markHung: (code) => hung.push(code),
    logProblem: () => {},
    status: (text) => statuses.push(text),
  });
  const serve = (served: ServedStore): void => {
    problems.readerStore(served.label);
    stores.serving(served);
    serving = served.choice;
  };
  return { stores, watch, problems, used, hung, statuses, serve };
}

describe('the store the Lab falls back to after a hang', () => {
  it('is never one that only loaded: a store that answered no store call has not worked, so the Lab goes to its own MemoryStore, said plainly', () => {
    const stores = new ServedStores();
    stores.serving(store(1, WORKING));
    stores.serving(store(2, LOOPING));
    expect(stores.fallbackFor('BrokenStore (run 2)')).toEqual(MEMORY_STORE);
    expect(MEMORY_STORE.described).toBe("the Lab's built-in MemoryStore (not your code)");
  });

  it('is the newest store of other code that answered store calls, named as one that served requests without hanging', () => {
    const stores = new ServedStores();
    stores.serving(store(1, WORKING));
    stores.answered();
    stores.serving(store(2, LOOPING));
    expect(stores.fallbackFor('BrokenStore (run 2)')).toMatchObject({
      label: 'BrokenStore (run 1)',
      described: 'BrokenStore (run 1), your last store that served requests without hanging',
    });
  });

  it('is never another Run of the code that hung, even one that answered store calls before (the page ran it at load, the reader ran it again)', () => {
    const stores = new ServedStores();
    stores.serving(store(1, LOOPING));
    stores.answered();
    stores.serving(store(2, LOOPING));
    expect(stores.fallbackFor('BrokenStore (run 2)')).toEqual(MEMORY_STORE);
    stores.hung('BrokenStore (run 2)');
    expect(stores.isHung(LOOPING)).toBe(true);
    // Run once more on purpose, it answers a call: still not a store that worked.
    stores.serving(store(3, LOOPING));
    stores.answered();
    stores.serving(store(4, WORKING));
    expect(stores.fallbackFor('BrokenStore (run 4)')).toEqual(MEMORY_STORE);
  });
});

describe('a store of the reader’s that hangs in the Lab', () => {
  it('goes back to a store of the reader’s only if it served a request: a clean() the server ran at start does not count', async () => {
    const { watch, used, serve, problems } = watched();
    serve(store(1, WORKING));
    await watch.onEvent({ ...answered, requestId: null, event: { type: 'store-call', at: 0, method: 'clean', key: null, durationMs: 1, outcome: 'ok' } } as SimEvent);
    serve(store(2, LOOPING));
    problems.call({ source: 'server', run: 2, type: 'call', id: 1, method: 'create' });
    await watch.onEvent(blocked('BrokenStore (run 2)'));
    expect(used).toEqual(['MemoryStore']);
  });

  it('blocked by a loop: stopped, the status names the method and where the Lab runs, and the code is remembered as hung', async () => {
    const { watch, problems, used, hung, statuses, stores, serve } = watched();
    serve(store(1, LOOPING));
    // The server was inside create() when it stopped answering, as the reader runtime reports it.
    problems.call({ source: 'server', run: 1, type: 'call', id: 1, method: 'create' });
    await watch.onEvent(blocked('BrokenStore (run 1)'));
    expect(used).toEqual(['MemoryStore']);
    expect(statuses).toEqual([
      "BrokenStore (run 1) stopped answering inside create(), so the store was stopped. The Lab now runs on the Lab's built-in MemoryStore (not your code). Fix the code and press Run.",
    ]);
    expect(hung).toEqual([{ code: LOOPING, method: 'create' }]);
    expect(stores.isHung(LOOPING)).toBe(true);
    expect(stores.current).toBeNull();
  });

  it('a promise that never settles: stopped once, however many requests time out, with the method named', async () => {
    const { watch, used, hung, statuses, serve } = watched();
    serve(store(1, WORKING));
    await watch.onEvent(answered);
    serve(store(2, LOOPING));
    await Promise.all([watch.onEvent(neverSettled), watch.onEvent({ ...neverSettled, seq: 2 })]);
    expect(used).toEqual(['BrokenStore (run 1)']);
    expect(statuses).toEqual([
      'BrokenStore (run 2) hung: get() never settled, so the store was stopped. The Lab now runs on BrokenStore (run 1), your last store that served requests without hanging. Fix the code and press Run.',
    ]);
    expect(hung).toEqual([{ code: LOOPING, method: 'get' }]);
  });
});

describe('the Checks pane’s summary', () => {
  it('counts a check not offered apart: neither among the passed nor among the failed', () => {
    const host = Object.assign(document.createElement('div'), { show: () => {}, notify: () => {} }) as unknown as PlaygroundHost;
    host.innerHTML = '<ul data-pg="checks-required"></ul><ul data-pg="checks-recommended"></ul><p data-pg="checks-summary"></p><p data-pg="checks-stale" hidden></p>';
    const view = new ChecksView(host, { lineButton: () => document.createElement('button'), log: () => {} });
    view.waiting();
    const results: CheckResult[] = conformanceChecks.map((check) => {
      const base = { id: check.id, title: check.title, level: check.level, hint: check.hint, durationMs: 1 };
      if (check.id === 'copies-out') return { ...base, passed: false, message: 'get() handed out the stored object.' };
      if (['compare-and-set', 'compare-and-set-concurrent', 'list-by-user'].includes(check.id)) {
        return { ...base, passed: false, skipped: 'not-offered', notOffered: check.id === 'list-by-user' ? 'listByUser' : 'compareAndSet', message: 'The store has no …' };
      }
      return { ...base, passed: true };
    });
    for (const result of results) view.result(result);
    view.finished({ kind: 'done', results }, 'typescript\nclass MyStore {}');
    const recommended = conformanceChecks.filter((check) => check.level === 'recommended').length;
    const required = conformanceChecks.length - recommended;
    expect(host.querySelector('[data-pg="checks-summary"]')?.textContent).toBe(
      `Required: ${required} of ${required} passed. Recommended: ${recommended - 4} of ${recommended - 3} passed, 3 not offered. Every required check passes.`,
    );
    expect(host.querySelector('[data-check="list-by-user"]')?.getAttribute('data-state')).toBe('not-offered');
    expect(host.querySelector('[data-check="list-by-user"] .pg-check-icon')?.textContent).toBe('○');
  });
});

describe('the status line about code that hung', () => {
  it('at start, and while Run checks checks it, says it is not run in the Lab, why, and what to do', () => {
    expect(hungAtStartStatus('create')).toBe(
      'Not run: this code stopped answering inside create() when it last ran, so the Lab runs on its built-in MemoryStore. Fix the code and press Run.',
    );
    expect(hungAtStartStatus(null)).toBe('Not run: this code stopped answering when it last ran, so the Lab runs on its built-in MemoryStore. Fix the code and press Run.');
    expect(checkingHungStatus('BrokenStore (run 3)', 'MemoryStore')).toBe(
      'BrokenStore (run 3) is checked in a worker of its own, not in the Lab: it stopped answering there, so the Lab stays on MemoryStore. Press Run to serve it there again.',
    );
  });
});
