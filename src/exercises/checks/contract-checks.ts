/**
 * Contract checks the conformance suite leaves implicit: what calling a method twice must do.
 */
import { callStore, expectAbsent, expectSame, sampleRecord } from '../../session/conformance/index.ts';
import type { ExerciseCheck } from '../../checks/exercise-check.ts';

export const deleteTwice: ExerciseCheck = {
  id: 'delete-twice',
  title: 'Deleting the same session twice is harmless (a double-clicked logout)',
  hint: 'delete() must be idempotent: the second call finds nothing to delete, and that is fine — no error, and no other session touched. Users double-click, and clean() may have removed the session first.',
  async run(context) {
    const store = await context.createStore();
    const record = sampleRecord();
    const other = sampleRecord();
    await callStore('create()', () => store.create(record));
    await callStore('create()', () => store.create(other));
    await callStore('the first delete()', () => store.delete(record.sessionId));
    await callStore('the second delete() of the same id', () => store.delete(record.sessionId));
    expectAbsent(await callStore('get()', () => store.get(record.sessionId)), 'get() after deleting a session twice');
    expectSame(await callStore('get()', () => store.get(other.sessionId)), other, 'get() of another session after deleting one twice');
  },
};
