/**
 * Checks that sessions outlive the process: they are written to IndexedDB before create() resolves,
 * a restarted server (a new instance, the old connections closed) finds them, and two instances at
 * once (two tabs, two workers) see each other's changes.
 */
import { callStore, describeValue, expectAbsent, expectSame, sampleRecord } from '../../session/conformance/index.ts';
import { holdsString } from '../check-records.ts';
import { CheckFailure, type ExerciseCheck } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';

export const storesInIndexedDB: ExerciseCheck = {
  id: 'stores-in-indexeddb',
  title: 'Sessions are written to IndexedDB by the time create() resolves',
  hint: 'Keep the records in IndexedDB, not in a Map (not even a static or module-level one: a restarted server starts with empty memory). Open the database with openDB() from "idb", and await the write — and the transaction (await tx.done) — before create() returns.',
  async run(context) {
    if (!context.indexedDB) throw new CheckFailure('This check needs IndexedDB, and there is none here. Run it in a browser.');
    const store = await context.createStore();
    const record = sampleRecord();
    await callStore('create()', () => store.create(record));
    const databases = await context.indexedDB.databases();
    if (databases.length === 0) {
      throw new CheckFailure('create() resolved, but your store never opened an IndexedDB database: the sessions live in memory, which a server restart empties.');
    }
    const described = (database: (typeof databases)[number]): string =>
      `"${database.name}" (${database.stores.map((objectStore) => `${objectStore.name}: ${objectStore.values.length} records`).join(', ') || 'no object stores yet'})`;
    const found = databases.some((database) => database.stores.some((objectStore) => holdsString(objectStore.values, record.sessionId) || holdsString(objectStore.keys, record.sessionId)));
    if (!found) {
      const where = databases.map(described).join('; ');
      throw new CheckFailure(
        `create() resolved, but no IndexedDB database holds session "${record.sessionId}" yet (your databases: ${where}). Either the record went to memory, or create() did not wait for the write to commit.`,
      );
    }
  },
};

export const restartKeepsSessions: ExerciseCheck = {
  id: 'restart-keeps-sessions',
  title: 'After a server restart, the sessions created before it are still there',
  hint: 'A restart ends the process: memory (a Map, a cache, a static field) is gone, open connections are closed, and a new instance of your store starts. Only what was committed to IndexedDB by the time create() resolved survives. Use a fixed database name, never clear or delete it when the store starts, and await every write.',
  async run(context) {
    const before = await context.createStore();
    const records = [sampleRecord({ userId: 'ada' }), sampleRecord({ userId: 'grace' })];
    for (const record of records) await callStore('create()', () => before.create(record));
    const after = await context.restart();
    for (const record of records) {
      const found = await callStore('get() after the restart', () => after.get(record.sessionId));
      if (found === null || found === undefined) {
        throw new CheckFailure(
          `After a restart, get() of ${record.userId}'s session (created before it) returned ${describeValue(found)}: the session did not survive. Whatever the old instance kept was lost with it.`,
        );
      }
      expectSame(found, record, `After a restart, get() of ${record.userId}'s session`);
    }
  },
};

export const restartKeepsChanges: ExerciseCheck = {
  id: 'restart-keeps-changes',
  title: 'After a restart, updates and deletes made before it still hold',
  hint: 'update() and delete() must reach IndexedDB too, and be committed before they resolve: a session extended or logged out just before a restart must come back extended, or not at all.',
  async run(context) {
    const before = await context.createStore();
    const kept = sampleRecord();
    const removed = sampleRecord();
    await callStore('create()', () => before.create(kept));
    await callStore('create()', () => before.create(removed));
    const changed: SessionRecord = { ...kept, expires: new Date(Date.parse(kept.expires) + 60_000).toISOString(), data: { cart: ['plum'] }, version: 1 };
    await callStore('update()', () => before.update(kept.sessionId, changed));
    await callStore('delete()', () => before.delete(removed.sessionId));
    const after = await context.restart();
    expectSame(await callStore('get() after the restart', () => after.get(kept.sessionId)), changed, 'After a restart, get() of a session updated before it');
    expectAbsent(await callStore('get() after the restart', () => after.get(removed.sessionId)), 'After a restart, get() of a session deleted (logged out) before it', 'the logout was undone.');
  },
};

export const instancesAgree: ExerciseCheck = {
  id: 'instances-agree',
  title: 'Two instances at once (two tabs, two workers) see each other\'s changes',
  hint: 'Every tab and worker of a site opens the same IndexedDB database. An instance that answers get() from its own Map (a cache) keeps serving a session another instance has since changed or logged out. Read from IndexedDB every time; it is fast enough.',
  async run(context) {
    const first = await context.createStore();
    const second = await context.createStore();
    const record = sampleRecord({ userId: 'ada' });
    await callStore('create() on the first instance', () => first.create(record));
    expectSame(await callStore('get() on the second instance', () => second.get(record.sessionId)), record, 'A second instance\'s get() of a session the first one created');
    const changed: SessionRecord = { ...record, data: { cart: ['plum'] }, version: 1 };
    await callStore('update() on the second instance', () => second.update(record.sessionId, changed));
    const seen = await callStore('get() on the first instance', () => first.get(record.sessionId));
    if (seen === null || seen === undefined) throw new CheckFailure('After the second instance updated a session, the first instance\'s get() returned nothing.');
    expectSame(seen, changed, 'After the second instance updated a session, the first instance\'s get()');
    await callStore('delete() on the first instance', () => first.delete(record.sessionId));
    expectAbsent(
      await callStore('get() on the second instance', () => second.get(record.sessionId)),
      'After the first instance deleted (logged out) a session, the second instance\'s get()',
      'it still serves a session that was logged out.',
    );
  },
};
