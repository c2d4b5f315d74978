/**
 * A store that uses a name without importing it (FluidAuth's docs store pasted without its first
 * line): the checks worker and the Lab's server worker say which import to add, not to move code into
 * the store's methods. Other errors at the top level keep that advice.
 */
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
function modulesFor(code: string) {
  return urls.forRun({ code, imports: scanImports(code).imports, table: identityTable(code), run: ++runs, channel: `playground-test-${crypto.randomUUID()}` });
}

/** What the checks worker says of `code`, which does not load. */
async function loadMessage(code: string): Promise<string> {
  const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
  expect(outcome.kind).toBe('failed');
  return outcome.kind === 'failed' ? outcome.message : '';
}

/** FluidAuth's docs store, as a reader pastes it: with no import. */
const PASTED_STORE = `export class MyStore extends BaseSessionStore {
  sessions = new Map();
  create(data) { this.sessions.set(data.sessionId, data); }
  get(id) { return this.sessions.get(id) ?? null; }
  update(id, data) { this.sessions.set(id, data); }
  delete(id) { this.sessions.delete(id); }
  clean() {}
}
`;

describe('a store that uses a name it does not import', () => {
  it('is told the import line FluidAuth’s docs use for BaseSessionStore, and that sessionlab has it too', async () => {
    expect(await loadMessage(PASTED_STORE)).toBe(
      "BaseSessionStore is not defined (line 1 in the editor): add `import { BaseSessionStore } from '@fluidauth/express/base';` (or from 'sessionlab') at the top of your code.",
    );
  });

  it('is told to import MemoryStore from sessionlab', async () => {
    const code = `const fallback = new MemoryStore();\n${PASTED_STORE.replace(' extends BaseSessionStore', '')}`;
    expect(await loadMessage(code)).toBe("MemoryStore is not defined (line 1 in the editor): add `import { MemoryStore } from 'sessionlab';` at the top of your code.");
  });

  it('is told to import openDB from idb', async () => {
    const code = `const database = openDB('sessions', 1);\n${PASTED_STORE.replace(' extends BaseSessionStore', '')}`;
    expect(await loadMessage(code)).toBe("openDB is not defined (line 1 in the editor): add `import { openDB } from 'idb';` at the top of your code.");
  });

  it('is told the import when a method uses the name, in the failing check’s message', async () => {
    const code = `import { BaseSessionStore } from 'sessionlab';\n${PASTED_STORE.replace('get(id) {', 'get(id) {\n    if (!this.sessions.has(id)) throw new SessionStoreError(`no session ${id}`);')}`;
    const outcome = await runChecks({ suite: CONFORMANCE, checks: conformanceChecks, entryUrl: modulesFor(code).entryUrl });
    expect(outcome.kind).toBe('done');
    const messages = outcome.kind === 'failed' ? [] : outcome.results.map((result) => result.message ?? '');
    expect(messages).toContainEqual(
      expect.stringContaining("SessionStoreError is not defined (line 6 in the editor): add `import { SessionStoreError } from 'sessionlab';` at the top of your code"),
    );
  });

  it('keeps the advice about the top level for a name no module offers', async () => {
    const code = `const table = connectToDatabase();\n${PASTED_STORE.replace(' extends BaseSessionStore', '')}`;
    expect(await loadMessage(code)).toBe(
      "Your code threw while it was loading: ReferenceError: connectToDatabase is not defined (line 1 in the editor). Code at the top level of the module runs once, when the server starts; move work that can fail into the store's methods.",
    );
  });

  it('keeps the advice about the top level for an error that is not a missing name', async () => {
    const code = `const settings = JSON.parse('{');\n${PASTED_STORE.replace(' extends BaseSessionStore', '')}`;
    expect(await loadMessage(code)).toMatch(/^Your code threw while it was loading: SyntaxError: .* \(line 1 in the editor\)\. Code at the top level of the module runs once/);
  });
});

describe('the Lab’s server worker on a store that does not import BaseSessionStore', () => {
  let lab: SimController | null = null;
  afterEach(async () => {
    await lab?.dispose();
    lab = null;
  });

  it('keeps the store it had, and says which import to add', async () => {
    lab = await startLab({ store: { kind: 'memory' }, base: '/' });
    await lab.setStore({ kind: 'module', url: modulesFor(PASTED_STORE).entryUrl, label: 'MyStore (test)' });
    expect(lab.options.store).toEqual({ kind: 'memory' });
    const crashed = lab.events().find((event): event is Extract<SimEvent, { kind: 'server' }> => event.kind === 'server' && event.step === 'crashed');
    expect(crashed?.detail).toMatch(/^BaseSessionStore is not defined \(line 1 in the editor\): add `import \{ BaseSessionStore \} from '@fluidauth\/express\/base';` \(or from 'sessionlab'\) at the top of your code\./);
  });
});
