// @ts-check
/**
 * The playground's runtime inside a worker that runs reader code (the simulated server, or the checks
 * worker). The page loads this file's text as a module from a blob URL (module-urls.ts), and the small
 * entry module it writes for each Run calls it:
 *
 *   setUp(config)        before the reader's module loads: console capture, where to report
 *   loadFailed(error)    the reader's module did not load: a message in the reader's terms
 *   prepare(namespace)   picks the store class, and returns a subclass that reports each call
 *
 * Everything the reader sees points at lines of the code in the editor: positions in the compiled
 * module are translated with the run's line table (source-map.ts), and errors thrown by reader code get
 * "(line N in the editor)" added to their message, so the Session's own reports (the timeline, the
 * conformance results) carry it too.
 *
 * Plain JavaScript with no imports: it must run as is, from a blob, in any worker.
 */

const STORE_METHODS = ['create', 'get', 'update', 'delete', 'clean'];
const OPTIONAL_METHODS = ['compareAndSet', 'listByUser', 'all'];
const CONSOLE_LEVELS = /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug']);
/** A worker that installs this hook object gets reports directly instead of over a BroadcastChannel. */
const HOOKS_KEY = 'sessionlab.playground-hooks';
/** At most this many console lines per worker and run reach the page; the rest are counted. */
const CONSOLE_LIMIT = 200;
/** The registry of the modules reader code may import, on the worker's global object (READER_MODULES_KEY in src/sim/reader-modules.ts). */
const REGISTRY_KEY = 'sessionlab.reader-modules';
/** Where FluidAuth's docs import a name from: a reader coming from there is told the line they know. */
const FLUIDAUTH_IMPORTS = /** @type {Record<string, string>} */ ({ BaseSessionStore: '@fluidauth/express/base' });

/**
 * @typedef {object} RuntimeConfig
 * @property {string} channel  BroadcastChannel name of the page that runs the playground
 * @property {number} run  the Run this module belongs to
 * @property {string} readerUrl  URL of the compiled reader module
 * @property {number[][]} table  per compiled line: column, source line, source column, … (0-based)
 * @property {Record<string, string>} modules  URL of each module reader code may import → its name
 */

/**
 * What a worker that runs checks installs on its global object (HOOKS_KEY) before loading reader code.
 * @typedef {object} RuntimeHooks
 * @property {(message: object) => void} report  receives what would otherwise go over the channel
 * @property {() => number[]} [pending]  ids of the store calls that have not finished
 * @property {(id: number) => string | null} [methodOf]  the method of a call, by id
 * @property {() => void} [newCheck]  a new check begins: announce the next method again
 */

/** @type {RuntimeConfig | null} */
let config = null;
/** @type {((message: object) => void) | null} */
let send = null;
let consoleLines = 0;
let calls = 0;
/** @type {Map<number, string>} calls that have not finished, by id → method */
const pending = new Map();
/** In the checks worker: the method last announced to the page (announced again only when another starts). */
let announced = '';
/** Errors already given a line, so one thrown through several methods is reported once. */
const located = new WeakSet();

class StoreLoadError extends Error {
  /** @override */
  name = 'StoreLoadError';
}

/**
 * Starts the runtime for one Run. Safe to call again in the same worker (a new Run): the new settings
 * replace the old ones.
 * @param {RuntimeConfig} settings
 */
export function setUp(settings) {
  config = settings;
  consoleLines = 0;
  const hooks = /** @type {RuntimeHooks | undefined} */ (
    /** @type {any} */ (globalThis)[Symbol.for(HOOKS_KEY)]
  );
  if (hooks?.report) {
    send = hooks.report;
    hooks.pending = () => [...pending.keys()];
    hooks.methodOf = (id) => pending.get(id) ?? null;
    hooks.newCheck = () => {
      announced = '';
    };
  } else {
    const channel = new BroadcastChannel(settings.channel);
    send = (message) => channel.postMessage(message);
  }
  captureConsole();
}

/**
 * The error to throw when the reader's module did not load, with a message for the reader.
 * @param {unknown} error
 * @returns {Error}
 */
export function loadFailed(error) {
  const text = describe(error);
  const missing = /Failed to resolve module specifier ["']?([^"'\s]+)["']?/.exec(text);
  if (missing) {
    return new StoreLoadError(`Your code imports "${missing[1]}", which is not available here. You can import: ${available()}.`);
  }
  const noExport = /The requested module '([^']+)' does not provide an export named '([^']+)'/.exec(text);
  if (noExport) {
    const name = config?.modules[noExport[1] ?? ''] ?? noExport[1];
    return new StoreLoadError(`"${name}" has no export named "${noExport[2]}". Check the spelling, or look at what it offers: type a dot after an imported name, or hover over the import.`);
  }
  const where = error instanceof Error ? position(String(error.stack ?? '')) : null;
  const line = where ? ` (line ${where.line} in the editor)` : '';
  // A name used without its import (a store pasted from FluidAuth's docs without its first line): say which line to add.
  const name = error instanceof ReferenceError ? undefinedName(error.message) : null;
  const advice = name ? importAdvice(name) : null;
  if (name && advice) return new StoreLoadError(`${name} is not defined${line}: add ${advice} at the top of your code.`);
  return new StoreLoadError(`Your code threw while it was loading: ${text}${line}. Code at the top level of the module runs once, when the server starts; move work that can fail into the store's methods.`);
}

/**
 * The name a ReferenceError says is not defined (Chromium and Firefox: "x is not defined"; Safari: "Can't find variable: x").
 * @param {string} message
 * @returns {string | null}
 */
function undefinedName(message) {
  return (/^([A-Za-z_$][\w$]*) is not defined$/.exec(message) ?? /^Can't find variable: ([A-Za-z_$][\w$]*)$/.exec(message))?.[1] ?? null;
}

/**
 * The import that defines `name`, when a module reader code may import exports it:
 * "`import { BaseSessionStore } from '@fluidauth/express/base';` (or from 'sessionlab')". Null when none does.
 * @param {string} name
 * @returns {string | null}
 */
function importAdvice(name) {
  const registry = /** @type {Record<string, object> | undefined} */ (/** @type {any} */ (globalThis)[Symbol.for(REGISTRY_KEY)]);
  if (!registry) return null;
  const from = specifiers().filter((specifier) => {
    const module = registry[specifier];
    return module !== undefined && Object.prototype.hasOwnProperty.call(module, name);
  });
  const first = from[0];
  if (first === undefined) return null;
  const fluidAuth = FLUIDAUTH_IMPORTS[name];
  const home = fluidAuth !== undefined && from.includes(fluidAuth) ? fluidAuth : first;
  const also = home !== 'sessionlab' && from.includes('sessionlab') ? " (or from 'sessionlab')" : '';
  return `\`import { ${name} } from '${home}';\`${also}`;
}

/**
 * The store class the module exports (the default export first, then the named ones, as the Lab's
 * loader picks it), as a subclass that reports calls and gives errors their line.
 * @param {Record<string, unknown>} namespace
 */
export function prepare(namespace) {
  const names = Object.keys(namespace);
  const classes = names
    .map((name) => /** @type {[string, unknown]} */ ([name, namespace[name]]))
    .filter(([, value]) => typeof value === 'function' && /** @type {Function} */ (value).prototype !== undefined)
    .sort(([a], [b]) => Number(b === 'default') - Number(a === 'default'));
  const complete = classes.find(([, value]) => STORE_METHODS.every((method) => typeof /** @type {any} */ (value).prototype[method] === 'function'));
  if (complete) return instrument(/** @type {new (...args: unknown[]) => object} */ (complete[1]));
  if (classes.length === 0) {
    throw new StoreLoadError(
      `Your code exports no class${names.length > 0 ? ` (it exports ${names.join(', ')})` : ''}. Export your store, e.g. "export class MyStore extends BaseSessionStore { … }".`,
    );
  }
  // The class closest to a store: say exactly what it lacks.
  const [className, missing] = classes
    .map(([name, value]) => /** @type {const} */ ([nameOf(value, name), STORE_METHODS.filter((method) => typeof /** @type {any} */ (value).prototype[method] !== 'function')]))
    .reduce((best, next) => (next[1].length < best[1].length ? next : best));
  const list = missing.map((method) => `${method}()`);
  const listed = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  throw new StoreLoadError(
    `${className} has no ${listed} method${missing.length === 1 ? '' : 's'}. A store needs all five: create, get, update, delete and clean (write them as methods, "clean() { … }", not as properties).`,
  );
}

/**
 * @param {new (...args: unknown[]) => object} Store
 */
function instrument(Store) {
  const Instrumented = class extends Store {
    /** @param {unknown[]} args */
    constructor(...args) {
      try {
        super(...args);
      } catch (error) {
        throw locate(error);
      }
    }
  };
  for (const method of [...STORE_METHODS, ...OPTIONAL_METHODS]) {
    const original = /** @type {any} */ (Store.prototype)[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(Instrumented.prototype, method, {
      configurable: true,
      writable: true,
      /** @this {object} @param {unknown[]} args */
      value(...args) {
        const id = started(method);
        let result;
        try {
          result = original.apply(this, args);
        } catch (error) {
          finished(id);
          throw locate(error);
        }
        if (result === null || (typeof result !== 'object' && typeof result !== 'function') || typeof (/** @type {any} */ (result).then) !== 'function') {
          finished(id);
          return result;
        }
        return Promise.resolve(result).then(
          (value) => {
            finished(id);
            return value;
          },
          (error) => {
            finished(id);
            throw locate(error);
          },
        );
      },
    });
  }
  Object.defineProperty(Instrumented, 'name', { value: Store.name });
  return Instrumented;
}

/** @param {string} method */
function started(method) {
  const id = ++calls;
  pending.set(id, method);
  if (isServer()) {
    send?.({ ...stamp(), type: 'call', id, method });
  } else if (method !== announced) {
    // Checks make thousands of calls: the page only needs to know which method runs now (to name it if it hangs).
    announced = method;
    send?.({ ...stamp(), type: 'call', id, method });
  }
  return id;
}

/** @param {number} id */
function finished(id) {
  pending.delete(id);
  if (isServer()) send?.({ ...stamp(), type: 'return', id });
}

/**
 * Gives an error thrown by reader code its line in the editor, in its message.
 * @param {unknown} error
 */
function locate(error) {
  if (!(error instanceof Error) || located.has(error)) return error;
  located.add(error);
  // Reading the stack first fixes it as it is: the message changes only afterwards.
  const where = position(String(error.stack ?? ''));
  // A name used without its import, inside a method: the same advice as at load time.
  const name = error instanceof ReferenceError ? undefinedName(error.message) : null;
  const advice = name ? importAdvice(name) : null;
  if (where || advice) {
    try {
      error.message = `${error.message}${where ? ` (line ${where.line} in the editor)` : ''}${advice ? `: add ${advice} at the top of your code` : ''}`;
    } catch {
      // A frozen error keeps its message.
    }
  }
  return error;
}

function captureConsole() {
  const key = Symbol.for('sessionlab.playground-console');
  const scope = /** @type {any} */ (globalThis);
  if (scope[key]) return;
  scope[key] = true;
  for (const level of CONSOLE_LEVELS) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      original(...args);
      if (!send) return;
      consoleLines++;
      if (consoleLines > CONSOLE_LIMIT) {
        if (consoleLines === CONSOLE_LIMIT + 1) send({ ...stamp(), type: 'console', level: 'warn', text: `More than ${CONSOLE_LIMIT} lines: the rest of this run's output is not shown.`, line: null });
        return;
      }
      const where = position(String(new Error().stack ?? ''));
      send({ ...stamp(), type: 'console', level, text: args.map((arg) => format(arg, 0)).join(' '), line: where?.line ?? null });
    };
  }
}

function stamp() {
  // Real time (the worker's Date may be the Lab's virtual clock), comparable with the page's: output is shown in the order it happened.
  return { source: isServer() ? 'server' : 'checks', run: config?.run ?? 0, time: performance.timeOrigin + performance.now() };
}

function isServer() {
  return /** @type {any} */ (globalThis).name !== 'session-lab-checks';
}

/**
 * The reader's line and column of the first stack frame in the reader's module.
 * @param {string} stack
 * @returns {{ line: number, column: number } | null}
 */
function position(stack) {
  if (!config) return null;
  const at = stack.indexOf(`${config.readerUrl}:`);
  if (at === -1) return null;
  const match = /^:(\d+):(\d+)/.exec(stack.slice(at + config.readerUrl.length));
  if (!match) return null;
  const row = config.table[Number(match[1]) - 1];
  if (!row || row.length === 0) return null;
  const column = Number(match[2]) - 1;
  let best = 0;
  for (let i = 0; i < row.length; i += 3) {
    if (/** @type {number} */ (row[i]) <= column) best = i;
    else break;
  }
  return { line: /** @type {number} */ (row[best + 1]) + 1, column: /** @type {number} */ (row[best + 2]) + 1 };
}

/** The names of the modules reader code may import, in the page's order. */
function specifiers() {
  const names = Object.values(config?.modules ?? {});
  return names.length > 0 ? names : ['sessionlab', '@fluidauth/express', '@fluidauth/express/base', 'idb'];
}

function available() {
  return specifiers().join(', ');
}

/**
 * A value as a console shows it, briefly.
 * @param {unknown} value
 * @param {number} depth
 * @returns {string}
 */
function format(value, depth) {
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === 'function') return `[${value.prototype ? 'class' : 'function'} ${value.name || '(anonymous)'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (depth >= 3) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) return `[${value.slice(0, 20).map((item) => format(item, depth + 1)).join(', ')}${value.length > 20 ? ', …' : ''}]`;
  if (value instanceof Map) return `Map(${value.size}) {${[...value].slice(0, 20).map(([k, v]) => `${format(k, depth + 1)} => ${format(v, depth + 1)}`).join(', ')}${value.size > 20 ? ', …' : ''}}`;
  if (value instanceof Set) return `Set(${value.size}) {${[...value].slice(0, 20).map((item) => format(item, depth + 1)).join(', ')}}`;
  const entries = Object.entries(value);
  const name = value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : '';
  return `${name}{${entries.slice(0, 20).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${format(v, depth + 1)}`).join(', ')}${entries.length > 20 ? ', …' : ''}}`;
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * @param {unknown} value
 * @param {string} fallback
 */
function nameOf(value, fallback) {
  const name = typeof value === 'function' ? value.name : '';
  return name && name !== 'default' ? name : fallback === 'default' ? 'Your default export' : fallback;
}
