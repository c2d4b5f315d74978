/**
 * The playground's sandbox without the editor, in real Chromium: compiled reader code, turned into
 * blob modules (module-urls.ts), imports `sessionlab`, FluidAuth's names and `idb` from the worker
 * that runs it; the checks worker survives an endless loop, names what went wrong and keeps off the
 * Lab's IndexedDB data; the Lab's server worker runs the same modules, and their console output comes
 * back over the channel.
 */
import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { conformanceChecks } from '../../src/session/conformance/index.ts';
import { READER_MODULES } from '../../src/sim/reader-modules.ts';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, SimEvent } from '../../src/sim/protocol.ts';
import { runChecks } from '../../src/checks/check-runner.ts';
import { scanImports } from '../../src/editor/module-imports.ts';
import { ModuleUrls } from '../../src/editor/module-urls.ts';
import { identityTable } from '../../src/editor/source-map.ts';

const CONFORMANCE = { kind: 'conformance' } as const;
const urls = new ModuleUrls(Object.entries(READER_MODULES).map(([specifier, module]) => ({ specifier, exports: Object.keys(module) })));
let runs = 0;

/** The two modules of a Run of `code` (JavaScript, so it is its own source). */
function modulesFor(code: string, channel = `playground-test-${crypto.randomUUID()}`) {
  return urls.forRun({ code, imports: scanImports(code).imports, table: identityTable(code), run: ++runs, channel });
}

const FLUIDAUTH_DOCS_STORE = `import { BaseSessionStore } from "@fluidauth/express/base";

export class MyStore extends BaseSessionStore {
  constructor() {
    super();
    this.db = new Map();
  }
  create(sessionData) {
    this.db.set(sessionData.sessionId, sessionData);
  }
  async get(sessionId) {
    return this.db.get(sessionId) || null;
  }
  async update(sessionId, sessionData) {
    if (this.db.has(sessionId)) this.db.set(sessionId, sessionData);
  }
  async delete(sessionId) {
    this.db.delete(sessionId);
  }
  async clean() {
    const now = new Date();
    for (const [id, data] of this.db) {
      if (new Date(data.expires) < now) this.db.delete(id);
    }
  }
}
`;

describe('the checks worker', () => {
  it("passes every required check of FluidAuth's docs store, and fails the recommended ones it misses", async () => {
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(FLUIDAUTH_DOCS_STORE).entryUrl });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.results).toHaveLength(conformanceChecks.length);
    const required = new Set(conformanceChecks.filter((check) => check.level === 'required').map((check) => check.id));
    expect(outcome.results.filter((result) => required.has(result.id) && !result.passed)).toEqual([]);
    expect(outcome.results.find((result) => result.id === 'clean-unreadable-expiry')?.passed).toBe(false);
  });

  it('stops a store stuck in an endless loop, names the method, and leaves the rest not run', async () => {
    const code = FLUIDAUTH_DOCS_STORE.replace('async get(sessionId) {', 'async get(sessionId) {\n    while (true) {}');
    const started = performance.now();
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl, silenceMs: 1000 });
    expect(performance.now() - started).toBeLessThan(8000);
    expect(outcome).toMatchObject({ kind: 'stuck', checkId: 'create-get', method: 'get' });
    if (outcome.kind !== 'stuck') return;
    expect(outcome.results[0]?.message).toMatch(/^Your store stopped answering: it kept the checks busy for 1 s without a pause, inside get\(\)\./);
    expect(outcome.results.slice(1).every((result) => result.skipped?.startsWith('Not run'))).toBe(true);
  });

  it('names the method whose promise never settles, and gives up after two such checks', async () => {
    const code = FLUIDAUTH_DOCS_STORE.replace('return this.db.get(sessionId) || null;', 'return new Promise(() => {});');
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl, checkTimeoutMs: 300 });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.results[0]?.message).toBe(
      'get() never settled: it returned a promise that neither resolved nor rejected within 300 ms. Every path through get() must resolve (return) or reject (throw).',
    );
    expect(outcome.results[0]?.timedOut).toBe(true);
    expect(outcome.results[2]?.skipped).toMatch(/^Not run: 2 checks in a row got no answer from the store/);
  });

  it('reports a constructor that throws, with its line', async () => {
    const code = FLUIDAUTH_DOCS_STORE.replace('super();', "super();\n    throw new Error('no database');");
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome).toEqual({
      kind: 'failed',
      message: 'new MyStore() threw: Error: no database (line 6 in the editor). The constructor runs with no arguments; keep it free of work that can fail.',
    });
  });

  it('names the methods a store lacks', async () => {
    const code = FLUIDAUTH_DOCS_STORE.replace(/ {2}async delete[\s\S]*?\n {2}}\n/, '').replace(/ {2}async clean[\s\S]*?\n {2}}\n/, '');
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome).toEqual({
      kind: 'failed',
      message: 'MyStore has no delete() and clean() methods. A store needs all five: create, get, update, delete and clean (write them as methods, "clean() { … }", not as properties).',
    });
  });

  it('explains an import of a name the module does not export', async () => {
    const code = FLUIDAUTH_DOCS_STORE.replace('import { BaseSessionStore }', 'import { BaseSessionStore, NoSuchThing }');
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^"@fluidauth\/express\/base" has no export named "NoSuchThing"\./) });
  });

  it('runs an IndexedDB store on databases of its own: the Lab’s records under the same name are untouched', async () => {
    const name = `reader-sessions-${crypto.randomUUID()}`;
    const labDatabase = await openDB(name, 1, { upgrade: (db) => db.createObjectStore('sessions', { keyPath: 'sessionId' }) });
    await labDatabase.put('sessions', { sessionId: 'the-lab-record', userId: 'ada', expires: new Date(Date.now() + 60_000).toISOString() });
    labDatabase.close();
    const code = `import { openDB } from 'idb';
import { BaseSessionStore } from '@fluidauth/express/base';

export class IndexedDBStore extends BaseSessionStore {
  db = openDB(${JSON.stringify(name)}, 1, { upgrade: (db) => db.createObjectStore('sessions', { keyPath: 'sessionId' }) });
  async create(record) { await (await this.db).put('sessions', record); }
  async get(id) { return (await (await this.db).get('sessions', id)) ?? null; }
  async update(id, record) { await (await this.db).put('sessions', record); }
  async delete(id) { await (await this.db).delete('sessions', id); }
  async clean() { await (await this.db).clear('sessions'); }
}
`;
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.results.find((result) => result.id === 'create-get')?.passed).toBe(true);
    const after = await openDB(name, 1);
    expect(await after.getAllKeys('sessions')).toEqual(['the-lab-record']);
    after.close();
    await deleteDB(name);
  });

  it('gives idb to reader code, and the checks their console output', async () => {
    const code = `import { openDB } from 'idb';
import { MemoryStore } from 'sessionlab';
console.log('idb gives', typeof openDB);
export class Wrapped extends MemoryStore {}
`;
    const reports: unknown[] = [];
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl, onReport: (report) => reports.push(report) });
    expect(outcome.kind).toBe('done');
    expect(reports).toContainEqual(expect.objectContaining({ type: 'console', source: 'checks', text: 'idb gives function', line: 3 }));
  });
});

describe('the checks worker, when reader code forges what it says', () => {
  /** A store that keeps nothing, so every check of a record fails, plus code that claims the opposite. */
  const forging = (lie: string) => `import { BaseSessionStore } from "@fluidauth/express/base";
const ids = ${JSON.stringify(conformanceChecks.map((check) => check.id))};
${lie}
export class ForgetfulStore extends BaseSessionStore {
  create() {}
  get() { return null; }
  update() {}
  delete() {}
  clean() {}
}
`;

  it('ignores results and "done" posted on the worker’s own channel', async () => {
    const code = forging(`for (const id of ids) self.postMessage({ type: 'result', result: { id, title: id, passed: true, hint: '', durationMs: 1 } });
self.postMessage({ type: 'done' });`);
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.results.map((result) => result.id)).toEqual(conformanceChecks.map((check) => check.id));
    expect(outcome.results.find((result) => result.id === 'create-get')?.passed).toBe(false);
  });

  it('cannot turn failures into passes by patching how messages are posted', async () => {
    const code = forging(`const lie = (message) => {
  if (message && typeof message === 'object' && message.result) message.result.passed = true, delete message.result.message;
  return message;
};
const portPost = MessagePort.prototype.postMessage;
MessagePort.prototype.postMessage = function (message, ...rest) { return portPost.call(this, lie(message), ...rest); };
const selfPost = self.postMessage;
self.postMessage = function (message, ...rest) { return selfPost.call(this, lie(message), ...rest); };
const clone = globalThis.structuredClone;
globalThis.structuredClone = (value, options) => lie(clone(value, options));`);
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    // Either the patches are refused (the store does not load) or they change nothing: never a pass.
    const results = outcome.kind === 'failed' ? [] : outcome.results;
    expect(results.find((result) => result.id === 'create-get')?.passed ?? false).toBe(false);
  });

  it('cannot turn a failing check into a pass by patching what the checks run on', async () => {
    // Every rejection becomes a fulfilment: a failed assertion would look like a pass. The patch is
    // refused (the realm is locked down before reader code loads); the store loads all the same.
    const code = forging(`try {
  const then = Promise.prototype.then;
  Promise.prototype.then = function (onFulfilled, onRejected) { return then.call(this, onFulfilled, (error) => onFulfilled?.(undefined)); };
} catch {}
try { Object.is = () => true; } catch {}
try { JSON.stringify = () => '{}'; } catch {}`);
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.results.find((result) => result.id === 'create-get')?.passed).toBe(false);
  });

  it('counts only the checks the page asked for, whatever the worker says it runs', async () => {
    const only = conformanceChecks.filter((check) => check.id === 'create-get');
    const outcome = await runChecks({ suite: CONFORMANCE, checks: only, entryUrl: modulesFor(FLUIDAUTH_DOCS_STORE).entryUrl });
    // The worker runs the whole suite; a result for a check the page did not ask for is a message it does not accept.
    expect(outcome).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^The checks received a message that did not come from them/) });
  });
});

describe('the Lab’s server worker on a reader’s module', () => {
  let lab: SimController | null = null;
  afterEach(async () => {
    await lab?.dispose();
    lab = null;
  });

  it('serves with it, and its console output and store calls come back over the channel', async () => {
    lab = await startLab({ store: { kind: 'memory' }, base: '/' });
    const channelName = `playground-test-${crypto.randomUUID()}`;
    const channel = new BroadcastChannel(channelName);
    const reports: { type: string; method?: string; text?: string; line?: number | null }[] = [];
    channel.addEventListener('message', (event) => reports.push(event.data));
    const code = FLUIDAUTH_DOCS_STORE.replace('create(sessionData) {', "create(sessionData) {\n    console.log('create for', sessionData.userId);");
    const modules = modulesFor(code, channelName);
    const choice = { kind: 'module' as const, url: modules.entryUrl, label: 'MyStore (test)' };
    await lab.setStore(choice);
    expect(lab.options.store).toBe(choice);

    const response = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ada' }) });
    expect(response.status).toBe(200);
    // Across a worker and a BroadcastChannel: on a busy machine that takes longer than poll's 1 s default.
    // The reader's line, not just the first console report: under the test server the worker also logs Vite's own "[vite] connected.".
    const logged = () => reports.find((report) => report.type === 'console' && report.text?.startsWith('create for'));
    await expect.poll(logged, { timeout: 5000 }).toMatchObject({ text: 'create for ada', line: 9 });
    expect(reports.filter((report) => report.type === 'call').map((report) => report.method)).toContain('create');
    const calls = lab.events().flatMap((event: SimEvent) => (event.kind === 'session' && event.event.type === 'store-call' ? [event.event.method] : []));
    expect(calls).toContain('create');
    channel.close();
  });

  it('keeps the store it had when the module fails to load, and says why in the reader’s terms', async () => {
    lab = await startLab({ store: { kind: 'memory' }, base: '/' });
    const code = FLUIDAUTH_DOCS_STORE.replace('export class MyStore', 'export const notAStore = 1;\nclass MyStore');
    await lab.setStore({ kind: 'module', url: modulesFor(code).entryUrl, label: 'MyStore (test)' });
    expect(lab.options.store).toEqual({ kind: 'memory' });
    const crashed = lab.events().find((event): event is Extract<SimEvent, { kind: 'server' }> => event.kind === 'server' && event.step === 'crashed');
    expect(crashed?.detail).toBe(
      'Your code exports no class (it exports notAStore). Export your store, e.g. "export class MyStore extends BaseSessionStore { … }". Kept MemoryStore running.',
    );
  });
});
