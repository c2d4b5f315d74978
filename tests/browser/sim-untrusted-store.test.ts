/**
 * A reader's store is untrusted code inside the server worker. Whatever it does there, it cannot speak
 * to the page in the server's place (forged events, forged replies), nor patch what the server uses to
 * build and post its answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, SimEvent, StoreChoice } from '../../src/sim/protocol.ts';

const labs: SimController[] = [];
const moduleUrls: string[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const url of moduleUrls.splice(0)) URL.revokeObjectURL(url);
});

/** A Lab whose server runs the store module `source`. */
async function labOnStore(source: string): Promise<SimController> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  moduleUrls.push(url);
  const store: StoreChoice = { kind: 'module', url, label: 'Reader store' };
  const lab = await startLab({ store, base: '/' });
  labs.push(lab);
  return lab;
}

/** A working store, with `extra` run when its module loads and `onGet` at the start of each get(). */
function readerStore({ extra = '', onGet = '' }: { extra?: string; onGet?: string }): string {
  return `${extra}
export class ReaderStore {
  records = new Map();
  create(record) { this.records.set(record.sessionId, structuredClone(record)); }
  get(id) { ${onGet} const found = this.records.get(id); return found ? structuredClone(found) : null; }
  update(id, record) { this.records.set(id, structuredClone(record)); }
  delete(id) { this.records.delete(id); }
  clean() { return 0; }
  all() { return [...this.records.values()]; }
}`;
}

async function api(path: string, body?: unknown): Promise<{ status: number; type: string | null; text: string }> {
  const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`/api/${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** A reply the page would take for its request number `id`, were it to listen to the worker's own channel. */
const FORGED_REPLIES = `
for (let id = 0; id < 200; id++) {
  self.postMessage({ type: 'reply', id, ok: true, value: {
    status: 200, statusText: 'OK', headers: [['content-type', 'text/html']],
    body: new TextEncoder().encode('<script>forged()</script>').buffer, setCookie: null } });
}`;

const FORGED_EVENT = `
self.postMessage({ type: 'event', requestId: null,
  event: { type: 'store-call', at: 0, method: '(a+)+b', key: null, durationMs: 0, outcome: 'ok' } });`;

function forgedEvents(lab: SimController): SimEvent[] {
  return lab.events().filter((event) => event.kind === 'session' && event.event.type === 'store-call' && (event.event.method as string) === '(a+)+b');
}

describe("a reader's store", () => {
  describe('posting on the worker’s own channel', () => {
    it('cannot add events to the timeline; the page says it dropped a message', async () => {
      const lab = await labOnStore(readerStore({ extra: FORGED_EVENT }));
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(forgedEvents(lab)).toEqual([]);
      expect(lab.events()).toContainEqual(
        expect.objectContaining({ kind: 'server', step: 'crashed', detail: expect.stringMatching(/posted a message of its own.*ignored/) }),
      );
    });

    it('cannot answer the page’s requests in the server’s place', async () => {
      const lab = await labOnStore(readerStore({ onGet: FORGED_REPLIES }));
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      const account = await api('account');
      expect(account).toMatchObject({ status: 200, type: 'application/json' });
      expect(JSON.parse(account.text)).toMatchObject({ user: 'ada' });
      expect(lab.events().filter((event) => event.kind === 'response').every((event) => event.kind === 'response' && event.status === 200)).toBe(true);
    });
  });

  describe('patching what the server uses', () => {
    it('cannot change how answers are built or posted', async () => {
      const tamper = `
        const attempts = [
          () => { Response.json = () => new Response('<script>forged()</script>', { headers: { 'content-type': 'text/html' } }); },
          () => { JSON.stringify = () => '"forged"'; },
          () => { MessagePort.prototype.postMessage = function () {}; },
          () => { Object.defineProperty(self, 'postMessage', { value: () => {} }); },
          () => { Headers.prototype.entries = function* () { yield ['content-type', 'text/html']; }; },
          () => { Array.prototype[Symbol.iterator] = function* () {}; },
        ];
        for (const attempt of attempts) { try { attempt(); } catch {} }`;
      const lab = await labOnStore(readerStore({ extra: tamper }));
      expect(lab.options.store.kind).toBe('module');
      const login = await api('login', { user: 'ada' });
      expect(login).toMatchObject({ status: 200, type: 'application/json' });
      expect(JSON.parse(login.text)).toMatchObject({ user: 'ada' });
    });
  });
});
