/**
 * lockDownRealm() in a real worker: once the engine has set up, code loaded later (a reader's store)
 * cannot replace or patch what the engine relies on to speak to the page, and ordinary code still runs.
 * Reader code here is a blob module, loaded after the lockdown, as the playground loads a reader's store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClockState } from '../../src/sim/virtual-clock.ts';

let worker: Worker;
let ids = 0;

// A fresh worker for each test: a tamper that got through must not leak into the next test.
beforeEach(async () => {
  worker = new Worker(new URL('../support/lockdown-worker.ts', import.meta.url), { type: 'module' });
  await answer(0);
});
afterEach(() => worker.terminate());

function answer(id: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const listen = (event: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>): void => {
      if (event.data.id !== id) return;
      worker.removeEventListener('message', listen);
      if (event.data.ok) resolve(event.data.value);
      else reject(new Error(event.data.error));
    };
    worker.addEventListener('message', listen);
    worker.addEventListener('error', (event) => reject(new Error(`The worker failed: ${event.message}`)), { once: true });
  });
}

/** Runs `code` (a module whose default export is a function) in the locked-down worker; resolves to what it returns. */
function runReaderCode(code: string): Promise<unknown> {
  const id = ++ids;
  const result = answer(id);
  worker.postMessage({ id, code });
  return result;
}

function setClock(clock: ClockState): Promise<unknown> {
  const id = ++ids;
  const result = answer(id);
  worker.postMessage({ id, clock });
  return result;
}

/**
 * Reader code that tries, for each `name: [() => object, key]`, to replace, redefine and delete the property, and
 * returns the names it managed to change.
 */
function tamperWith(targets: string): string {
  return `
const targets = {${targets}};
export default () => {
  const changed = [];
  for (const [name, [objectOf, key]] of Object.entries(targets)) {
    const object = objectOf();
    const before = Object.getOwnPropertyDescriptor(object, key);
    const forged = function forged() {};
    try { object[key] = forged; } catch {}
    try { Object.defineProperty(object, key, { value: forged, writable: true, configurable: true }); } catch {}
    const after = Object.getOwnPropertyDescriptor(object, key);
    const same = before && after && before.value === after.value && before.get === after.get && before.set === after.set;
    if (!same) { changed.push(name); continue; }
    try { delete object[key]; } catch {}
    if (!Object.getOwnPropertyDescriptor(object, key)) changed.push(name);
  }
  return changed;
};`;
}

describe('lockDownRealm', () => {
  describe('global bindings', () => {
    it('cannot be replaced, redefined or deleted by code loaded afterwards', async () => {
      const names = [
        'Object', 'Array', 'Function', 'Promise', 'JSON', 'Reflect', 'Proxy', 'Symbol', 'Error', 'TypeError', 'Map', 'Set',
        'WeakMap', 'ArrayBuffer', 'Uint8Array', 'TextEncoder', 'TextDecoder', 'Response', 'Request', 'Headers', 'MessagePort',
        'MessageChannel', 'MessageEvent', 'EventTarget', 'BroadcastChannel', 'structuredClone', 'Date', 'URL', 'Blob',
        'ReadableStream', 'queueMicrotask', 'setTimeout', 'globalThis',
      ];
      const targets = names.map((name) => `${JSON.stringify(name)}: [() => globalThis, ${JSON.stringify(name)}]`).join(',\n');
      await expect(runReaderCode(tamperWith(targets))).resolves.toEqual([]);
    });

    it('keep the global object open for new names of the reader’s own', async () => {
      const code = `export default () => { globalThis.readerThing = 42; return globalThis.readerThing; };`;
      await expect(runReaderCode(code)).resolves.toBe(42);
    });
  });

  describe('what speaks to the page', () => {
    it('cannot be patched: postMessage, ports, events, cloning', async () => {
      const targets = `
        'self.postMessage': [() => self, 'postMessage'],
        'self.addEventListener': [() => self, 'addEventListener'],
        'MessagePort.prototype.postMessage': [() => MessagePort.prototype, 'postMessage'],
        'MessagePort.prototype.start': [() => MessagePort.prototype, 'start'],
        'EventTarget.prototype.addEventListener': [() => EventTarget.prototype, 'addEventListener'],
        'EventTarget.prototype.dispatchEvent': [() => EventTarget.prototype, 'dispatchEvent'],
        'MessageEvent.prototype.data': [() => MessageEvent.prototype, 'data'],
        'BroadcastChannel.prototype.postMessage': [() => BroadcastChannel.prototype, 'postMessage'],
        'structuredClone': [() => globalThis, 'structuredClone'],
      `;
      await expect(runReaderCode(tamperWith(targets))).resolves.toEqual([]);
    });

    it('cannot be shadowed by an assignment on the global object', async () => {
      const code = `export default () => {
        const forged = () => {};
        try { self.postMessage = forged; } catch {}
        return self.postMessage === forged;
      };`;
      await expect(runReaderCode(code)).resolves.toBe(false);
    });
  });

  describe('what builds answers', () => {
    it('cannot be patched: Response, Request, Headers, JSON, text codecs', async () => {
      const targets = `
        'Response.json': [() => Response, 'json'],
        'Response.prototype.arrayBuffer': [() => Response.prototype, 'arrayBuffer'],
        'Response.prototype.headers': [() => Response.prototype, 'headers'],
        'Response.prototype.status': [() => Response.prototype, 'status'],
        'Request.prototype.json': [() => Request.prototype, 'json'],
        'Headers.prototype.get': [() => Headers.prototype, 'get'],
        'Headers.prototype.entries': [() => Headers.prototype, 'entries'],
        'Headers.prototype[Symbol.iterator]': [() => Headers.prototype, Symbol.iterator],
        'Headers iterator next': [() => Object.getPrototypeOf(new Headers()[Symbol.iterator]()), 'next'],
        'JSON.stringify': [() => JSON, 'stringify'],
        'JSON.parse': [() => JSON, 'parse'],
        'TextEncoder.prototype.encode': [() => TextEncoder.prototype, 'encode'],
        'TextDecoder.prototype.decode': [() => TextDecoder.prototype, 'decode'],
      `;
      await expect(runReaderCode(tamperWith(targets))).resolves.toEqual([]);
    });

    it('cannot be patched: the language’s own intrinsics, those only syntax reaches included', async () => {
      const targets = `
        'Object.prototype.toString': [() => Object.prototype, 'toString'],
        'Object.assign': [() => Object, 'assign'],
        'Object.entries': [() => Object, 'entries'],
        'Array.prototype.map': [() => Array.prototype, 'map'],
        'Array.prototype[Symbol.iterator]': [() => Array.prototype, Symbol.iterator],
        'Array iterator next': [() => Object.getPrototypeOf([][Symbol.iterator]()), 'next'],
        'Map iterator next': [() => Object.getPrototypeOf(new Map()[Symbol.iterator]()), 'next'],
        'Iterator.prototype[Symbol.iterator]': [() => Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), Symbol.iterator],
        'Function.prototype.call': [() => Function.prototype, 'call'],
        'Function.prototype.apply': [() => Function.prototype, 'apply'],
        'Function.prototype.bind': [() => Function.prototype, 'bind'],
        'Promise.prototype.then': [() => Promise.prototype, 'then'],
        'Promise.resolve': [() => Promise, 'resolve'],
        'Promise.all': [() => Promise, 'all'],
        'async function prototype': [() => Object.getPrototypeOf(async function () {}), 'constructor'],
        'generator prototype next': [() => Object.getPrototypeOf(function* () {}).prototype, 'next'],
        'async generator prototype next': [() => Object.getPrototypeOf(async function* () {}).prototype, 'next'],
        'Reflect.apply': [() => Reflect, 'apply'],
        'Symbol.iterator': [() => Symbol, 'iterator'],
        'Error.prototype.toString': [() => Error.prototype, 'toString'],
        'Map.prototype.get': [() => Map.prototype, 'get'],
        'String.prototype.replace': [() => String.prototype, 'replace'],
        'RegExp.prototype.exec': [() => RegExp.prototype, 'exec'],
        'RegExp.prototype[Symbol.replace]': [() => RegExp.prototype, Symbol.replace],
        'Uint8Array.prototype.set': [() => Object.getPrototypeOf(Uint8Array.prototype), 'set'],
        'crypto.subtle.digest': [() => Object.getPrototypeOf(crypto.subtle), 'digest'],
        'crypto.getRandomValues': [() => Object.getPrototypeOf(crypto), 'getRandomValues'],
      `;
      await expect(runReaderCode(tamperWith(targets))).resolves.toEqual([]);
    });

    it('cannot gain new properties everyone inherits (prototype pollution)', async () => {
      const code = `export default () => {
        try { Object.prototype.polluted = 'yes'; } catch {}
        try { Array.prototype.polluted = 'yes'; } catch {}
        try { Object.setPrototypeOf(Response.prototype, { polluted: 'yes' }); } catch {}
        return [({}).polluted, [].polluted, Response.prototype.polluted];
      };`;
      await expect(runReaderCode(code)).resolves.toEqual([undefined, undefined, undefined]);
    });
  });

  describe('the library reader code imports', () => {
    it('cannot be patched, and can still be extended', async () => {
      const code = `export default async () => {
        const { sessionlab } = globalThis[Symbol.for('sessionlab.reader-modules')];
        const forged = () => {};
        try { sessionlab.Session.prototype.handle = forged; } catch {}
        try { sessionlab.MemoryStore.prototype.get = forged; } catch {}
        try { sessionlab.BaseSessionStore.prototype.touch = forged; } catch {}
        class Mine extends sessionlab.MemoryStore { label = 'mine'; }
        const store = new Mine();
        await store.create({ sessionId: 's', userId: 'u', expires: new Date(Date.now() + 60000).toISOString() });
        return {
          patched: [sessionlab.Session.prototype.handle, sessionlab.MemoryStore.prototype.get, sessionlab.BaseSessionStore.prototype.touch].filter((fn) => fn === forged).length,
          label: store.label,
          found: (await store.get('s'))?.userId ?? null,
        };
      };`;
      await expect(runReaderCode(code)).resolves.toEqual({ patched: 0, label: 'mine', found: 'u' });
    });
  });

  describe('time', () => {
    it('cannot be patched by reader code, and still follows the sim’s clock', async () => {
      const jumped = Date.now() + 3 * 24 * 60 * 60_000;
      await setClock({ offset: 0, pausedAt: jumped });
      const code = `export default () => {
        const forged = () => 0;
        try { Date.now = forged; } catch {}
        try { Date.prototype.getTime = forged; } catch {}
        return { now: Date.now(), date: new Date().getTime(), text: Date() === new Date(${jumped}).toString(), isDate: new Date() instanceof Date && new Date().constructor === Date };
      };`;
      await expect(runReaderCode(code)).resolves.toEqual({ now: jumped, date: jumped, text: true, isDate: true });
      await setClock({ offset: 0, pausedAt: null });
    });
  });

  describe('ordinary reader code', () => {
    it('still runs: its own objects take the names inherited ones have (name, message, toString, constructor)', async () => {
      const code = `export default () => {
        const error = new Error();
        error.name = 'StoreDown';
        error.message = 'the store is down';
        const thing = {};
        thing.toString = () => 'a thing';
        thing.constructor = 'mine';
        class Stamp extends Date {}
        const list = [3, 1, 2].map((n) => n * 2).sort();
        return [String(error), String(thing), thing.constructor, new Stamp(0).getTime(), list, JSON.parse('{"a":[1]}').a[0], new Map([[1, 'x']]).get(1)];
      };`;
      await expect(runReaderCode(code)).resolves.toEqual(['StoreDown: the store is down', 'a thing', 'mine', 0, [2, 4, 6], 1, 'x']);
    });

    it('still reaches the browser APIs a store uses (crypto, IndexedDB, structuredClone, fetch-free Responses)', async () => {
      const code = `export default async () => {
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('x'));
        const opened = await new Promise((resolve, reject) => {
          const request = indexedDB.open('lockdown-probe-' + crypto.randomUUID());
          request.onsuccess = () => { const name = request.result.name; request.result.close(); indexedDB.deleteDatabase(name); resolve(true); };
          request.onerror = () => reject(request.error);
        });
        const body = await Response.json({ ok: true }).json();
        return [digest.byteLength, opened, structuredClone({ a: 1 }).a, body.ok];
      };`;
      await expect(runReaderCode(code)).resolves.toEqual([32, true, 1, true]);
    });
  });
});
