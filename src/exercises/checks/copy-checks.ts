/**
 * Checks that a store never shares objects with its callers: what it was given and what it hands out
 * are copies, so no one can change a stored session without calling the store.
 */
import { callStore, expectSame, sampleRecord } from '../../session/conformance/index.ts';
import { HOUR, recordExpiringIn } from '../check-records.ts';
import { CheckFailure, type ExerciseCheck } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';

export const copiesInUpdate: ExerciseCheck = {
  id: 'copies-in-update',
  title: 'Changing a record after update() does not change the store',
  hint: 'update() must keep a copy too (structuredClone(record)), not only create(): the caller keeps its object and goes on changing it — the Session does, for the rest of the request.',
  async run(context) {
    const store = await context.createStore();
    const record = sampleRecord();
    await callStore('create()', () => store.create(record));
    const changed: SessionRecord = { ...structuredClone(record), data: { cart: ['plum'] }, version: 1 };
    const expected = structuredClone(changed);
    await callStore('update()', () => store.update(record.sessionId, changed));
    changed.userId = 'mallory';
    (changed.data['cart'] as string[]).push('stolen');
    expectSame(await callStore('get()', () => store.get(record.sessionId)), expected, 'get() after changing the object given to update()');
  },
};

export const callerCannotRevive: ExerciseCheck = {
  id: 'caller-cannot-revive',
  title: 'A caller cannot bring an expired session back to life by changing the object it got',
  hint: 'This is FluidAuth\'s fault 3: its MemoryStore hands out the stored object, its middleware sets a later expires on it to "extend" the session, and the store is changed without any update(). Hand out copies: return structuredClone(record) from get().',
  async run(context) {
    const store = await context.createStore();
    const now = context.clock.now();
    const expired = recordExpiringIn(now, -HOUR);
    await callStore('create()', () => store.create(expired));
    const found = (await callStore('get()', () => store.get(expired.sessionId))) as SessionRecord | null | undefined;
    if (found) {
      // What FluidAuth's middleware does: extend the object in hand first, decide (and update) later.
      found.expires = new Date(now + HOUR).toISOString();
    }
    const removed: unknown = await callStore('clean()', () => store.clean());
    const left = await callStore('get()', () => store.get(expired.sessionId));
    if (left !== null && left !== undefined) {
      throw new CheckFailure(
        `A session that expired an hour ago is still there after clean()${typeof removed === 'number' ? ` (which removed ${removed})` : ''}: a caller set a later expires on the object get() returned — without calling update() — and that changed the record in your store.`,
      );
    }
  },
};
