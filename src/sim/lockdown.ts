/**
 * Locks a worker's realm down before untrusted code (a reader's store) is loaded into it.
 *
 * Reader code shares the worker's globals with the engine that speaks to the page. Without this, a
 * store could replace `Response.json`, `JSON.stringify`, `MessagePort.prototype.postMessage` or an
 * iterator's `next`, and so forge or tamper with what the engine posts. After `lockDownRealm()`:
 *
 * - every object reachable from the global object (constructors, prototypes, namespaces such as
 *   `JSON` and `Reflect`, the library in the reader-module registry, the hidden intrinsics only
 *   syntax reaches: iterator, generator and async-function prototypes) is frozen;
 * - every global binding that exists now (`Object`, `Response`, `postMessage`, `Date`…) is
 *   non-writable and non-configurable. The global object itself stays open, for the reader's own names;
 * - `Date` is frozen too: it reads the sim's virtual clock (virtual-date.ts) from a closure, so time
 *   still moves when the engine changes the clock state, and only then.
 *
 * Freezing prototypes makes plain assignments to names an object only inherits fail (JavaScript's
 * "override mistake": `error.name = 'X'` on a fresh Error, `thing.toString = …`). The few such names
 * ordinary code assigns are turned into accessors first, whose setter gives the object its own
 * property, as SES's "moderate" override taming does.
 *
 * `console` stays open: a playground captures it, and what it prints is the reader's own output.
 *
 * Call it once, after the engine's own set-up (virtual Date, reader modules, capturing what it needs)
 * and before importing reader code. See /design-notes/untrusted-code/.
 *
 * @example
 * installVirtualDate(() => clockState);
 * provideReaderModules();
 * lockDownRealm();
 * await import(readerModuleUrl);
 */

export interface LockdownOptions {
  /**
   * Global names whose binding stays writable and configurable, for engine code that swaps the value
   * between runs (the value itself is still frozen unless listed in `unfrozen`). Reader code can swap
   * them too: never list anything that takes part in speaking to the page.
   */
  writableGlobals?: readonly string[];
  /**
   * Objects left unfrozen (what they hold is still frozen), for engine code that instruments them
   * later. Reader code can patch them too: never list anything that takes part in speaking to the page.
   */
  unfrozen?: readonly object[];
}

/** Names on shared prototypes that ordinary code assigns on its own objects. */
const OVERRIDABLE: readonly (readonly [string, readonly PropertyKey[]])[] = [
  ['Object', ['constructor', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
  ['Function', ['constructor', 'toString']],
  ['Array', ['constructor', 'toString', 'join', 'push', 'concat']],
  ['Promise', ['constructor']],
  ['Date', ['constructor', 'toString', 'toJSON']],
  ['Error', ['constructor', 'name', 'message', 'toString']],
  ...['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError'].map(
    (name) => [name, ['constructor', 'name', 'message']] as const,
  ),
];

/** Objects only syntax (or a detour) reaches: they are not properties of anything global. */
const HIDDEN_INTRINSICS: readonly (() => unknown)[] = [
  () => Object.getPrototypeOf([][Symbol.iterator]()),
  () => Object.getPrototypeOf(new Map()[Symbol.iterator]()),
  () => Object.getPrototypeOf(new Set()[Symbol.iterator]()),
  () => Object.getPrototypeOf(''[Symbol.iterator]()),
  () => Object.getPrototypeOf(/x/[Symbol.matchAll]('')),
  () => Object.getPrototypeOf(function* () {}),
  () => Object.getPrototypeOf(async function () {}),
  () => Object.getPrototypeOf(async function* () {}),
  () => Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype),
  () => Object.getPrototypeOf(Uint8Array),
  () => Object.getOwnPropertyDescriptor(Function.prototype, 'caller')?.get,
  // Iterator helpers (ES2025).
  () => Object.getPrototypeOf((([] as unknown[]).values() as unknown as { map(f: (v: unknown) => unknown): object }).map((value) => value)),
  () => Object.getPrototypeOf((globalThis as unknown as { Iterator: { from(it: object): object } }).Iterator.from({ next: () => ({ done: true, value: undefined }) })),
  // The web platform's iterators: the engine spreads Headers into arrays.
  () => Object.getPrototypeOf(new Headers()[Symbol.iterator]()),
  () => Object.getPrototypeOf(new URLSearchParams()[Symbol.iterator]()),
  () => Object.getPrototypeOf(new FormData()[Symbol.iterator]()),
  // Singletons behind getters, which the walk does not call.
  () => globalThis.crypto,
  () => globalThis.crypto.subtle,
  () => globalThis.indexedDB,
  () => globalThis.navigator,
  () => globalThis.location,
  () => globalThis.performance,
];

let locked = false;

/** Freezes the realm's shared objects and global bindings (see the module comment). Idempotent. */
export function lockDownRealm(options: LockdownOptions = {}): void {
  if (locked) return;
  locked = true;
  const writable = new Set<PropertyKey>(options.writableGlobals ?? []);
  const unfrozen = new Set<unknown>([globalThis, globalThis.console, ...(options.unfrozen ?? [])]);

  for (const [name, keys] of OVERRIDABLE) {
    const prototype = (globalThis as Record<string, unknown>)[name] as { prototype?: object } | undefined;
    if (prototype?.prototype) for (const key of keys) tameOverride(prototype.prototype, key);
  }

  const roots: unknown[] = [globalThis];
  for (const reach of HIDDEN_INTRINSICS) {
    try {
      roots.push(reach());
    } catch {
      // Not in this browser (iterator helpers, say): nothing to freeze.
    }
  }
  harden(roots, unfrozen);

  pinInherited(writable);
  for (const key of Reflect.ownKeys(globalThis)) {
    if (writable.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, key);
    if (!descriptor?.configurable && !descriptor?.writable) continue;
    try {
      Object.defineProperty(globalThis, key, 'value' in descriptor ? { writable: false, configurable: false } : { configurable: false });
    } catch {
      // A binding the host will not let go of stays as the host made it.
    }
  }
}

/**
 * Gives the global object its own, fixed copy of each name it inherits from the worker's interfaces
 * (`addEventListener`, `setTimeout`, `structuredClone`, `crypto`…). Frozen prototypes already stop
 * assignments; this stops `Object.defineProperty(self, 'setTimeout', …)` from shadowing them.
 */
function pinInherited(writable: ReadonlySet<PropertyKey>): void {
  for (let prototype = Object.getPrototypeOf(globalThis); prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
    for (const key of Reflect.ownKeys(prototype)) {
      if (key === 'constructor' || writable.has(key) || Object.hasOwn(globalThis, key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if (!descriptor) continue;
      try {
        Object.defineProperty(globalThis, key, { ...descriptor, configurable: false, ...('value' in descriptor ? { writable: false } : {}) });
      } catch {
        // Left inherited: the frozen prototype still holds it.
      }
    }
  }
}

/** Freezes everything reachable from `roots` through properties, accessors and prototypes, except `unfrozen`. */
function harden(roots: readonly unknown[], unfrozen: ReadonlySet<unknown>): void {
  const seen = new Set<unknown>();
  const queue = [...roots];
  while (queue.length > 0) {
    const value = queue.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (!unfrozen.has(value)) {
      try {
        Object.freeze(value);
      } catch {
        // Module namespaces cannot be frozen (their bindings stay live) and are read-only anyway.
      }
    }
    queue.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      // Never calls a getter: reading one may have effects (or throw).
      if ('value' in descriptor) queue.push(descriptor.value);
      else queue.push(descriptor.get, descriptor.set);
    }
  }
}

/**
 * Makes `prototype[key]` an accessor: reading gives the original; assigning on an object that
 * inherits it gives that object its own property (as it would before freezing), while assigning on
 * `prototype` itself fails.
 */
function tameOverride(prototype: object, key: PropertyKey): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
  if (!descriptor || !('value' in descriptor) || !descriptor.configurable) return;
  const original: unknown = descriptor.value;
  Object.defineProperty(prototype, key, {
    get: function getOriginal() {
      return original;
    },
    set: function setOwn(this: object, value: unknown) {
      if (this === prototype) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a shared prototype`);
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable ?? false,
    configurable: false,
  });
}
