/**
 * A record comes back with exactly the fields it was stored with. A store that adds its own
 * bookkeeping to the record (an `expiresAt` number for an index) fails every check that reads a
 * record back, each with a hint written for another fault; `recordsComeBackWhole` says it once, by
 * name, and `setExtraFieldsAside` lets the other checks judge what they are about.
 */
import { callStore, describeValue, expectSame, sampleRecord } from '../../session/conformance/index.ts';
import { CheckFailure, type AnyStore, type CheckContext, type ExerciseCheck } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';

/** The fields of a record as the Session writes it (and as the checks' sample records have them). */
const RECORD_FIELDS: ReadonlySet<string> = new Set(Object.keys(sampleRecord()));

function extraFields(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => !RECORD_FIELDS.has(key));
}

function describeExtra(value: object, fields: readonly string[]): string {
  return fields.map((field) => `\`${field}\` (${describeValue((value as Record<string, unknown>)[field])})`).join(', ');
}

export const recordsComeBackWhole: ExerciseCheck = {
  id: 'records-come-back-whole',
  title: 'A record comes back with exactly its own fields: none missing, none added',
  hint: 'get() must return the record as create() or update() was given it. Keep what your store needs for itself (an expiry as a number for an index) next to the record, not inside it: store { sessionId, expiresAt, record } and hand out entry.record.',
  async run(context) {
    const store = await context.createStore();
    const record = sampleRecord();
    await callStore('create()', () => store.create(record));
    const found = await callStore('get()', () => store.get(record.sessionId));
    if (found === null || found === undefined) throw new CheckFailure(`get() after create() returned ${describeValue(found)}, expected the record.`);
    const extra = extraFields(found);
    if (extra.length > 0) {
      throw new CheckFailure(`get() after create() returned the record with ${extra.length === 1 ? 'an unexpected field' : 'unexpected fields'} ${describeExtra(found, extra)}: nobody wrote ${extra.length === 1 ? 'it' : 'them'}.`);
    }
    const changed: SessionRecord = { ...record, data: { cart: ['plum'] }, version: 1 };
    await callStore('update()', () => store.update(record.sessionId, changed));
    const updated = await callStore('get()', () => store.get(record.sessionId));
    const extraAfterUpdate = extraFields(updated);
    if (updated && extraAfterUpdate.length > 0) {
      throw new CheckFailure(`get() after update() returned the record with ${extraAfterUpdate.length === 1 ? 'an unexpected field' : 'unexpected fields'} ${describeExtra(updated, extraAfterUpdate)}.`);
    }
    expectSame(updated, changed, 'get() after update()');
  },
};

/** Removes, in place, the fields a record never has (so an aliasing store stays an aliasing store). */
function withoutExtraFields<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const field of extraFields(value)) delete (value as Record<string, unknown>)[field];
  }
  return value;
}

/** The store as the other checks see it: what get() and all() return, without fields a record never has. */
function setAsideOn(store: AnyStore): AnyStore {
  const view = Object.create(store) as AnyStore;
  const target = store as AnyStore & Record<string, unknown>;
  // Methods are called on the store itself, so its #private fields stay reachable.
  for (const method of ['create', 'update', 'delete', 'clean', 'compareAndSet', 'listByUser', 'touch', 'count', 'clear'] as const) {
    const own = target[method];
    if (typeof own === 'function') Object.defineProperty(view, method, { value: (...args: unknown[]) => (own as (...a: unknown[]) => unknown).apply(store, args) });
  }
  const get = target['get'] as (id: string) => unknown;
  Object.defineProperty(view, 'get', { value: async (id: string) => withoutExtraFields(await get.call(store, id)) });
  const all = target['all'];
  if (typeof all === 'function') {
    Object.defineProperty(view, 'all', {
      value: async () => {
        const listed: unknown = await (all as () => unknown).call(store);
        return Array.isArray(listed) ? listed.map(withoutExtraFields) : listed;
      },
    });
  }
  return view;
}

/**
 * These checks, run on a view of the store whose reads leave out fields a record never has: an extra
 * field is `recordsComeBackWhole`'s to report, once, and every other check judges its own promise.
 */
export function setExtraFieldsAside(checks: readonly ExerciseCheck[]): ExerciseCheck[] {
  return checks.map((check) => ({
    ...check,
    run: (context: CheckContext) =>
      check.run({
        ...context,
        clock: context.clock,
        indexedDB: context.indexedDB,
        createStore: async () => setAsideOn(await context.createStore()),
        restart: async () => setAsideOn(await context.restart()),
      }),
  }));
}
