/**
 * Writing a session record at commit. With a compare-and-set store, a write that lost a race
 * re-reads the newest record, merges this request's own changes onto it and tries again; without
 * one, the last write wins.
 */
import { mergeChanges } from './merge-changes.ts';
import type { SessionRuntime } from './session-runtime.ts';
import type { SessionData, SessionRecord } from './types.ts';

/**
 * Writes `record` (its version moved on). `snapshot` is the data as loaded, as JSON: what this
 * request's changes are measured against when merging. Resolves to false when the session no
 * longer exists (deleted or ended meanwhile); then nothing was written.
 */
export async function saveRecord(runtime: SessionRuntime, record: SessionRecord, snapshot: string): Promise<boolean> {
  const store = runtime.store;
  const budget = runtime.commitBudget();
  if (!store.canCompareAndSet) {
    record.version += 1;
    await store.update(record.sessionId, record, budget.callTimeout('update'));
    return true;
  }
  const ours = record.data;
  let current = record.version;
  for (let attempt = 1; ; attempt++) {
    const next = { ...record, version: current + 1 };
    if (await store.compareAndSet(record.sessionId, current, next, budget.callTimeout('compareAndSet'))) {
      Object.assign(record, next);
      return true;
    }
    // Lost a race: wait (more, the more often it lost), read the newest record and merge onto it.
    await budget.backoff(attempt + 1);
    const newest = await store.get(record.sessionId, budget.callTimeout('get'));
    if (!newest || runtime.expiredReason(runtime.normalize(newest))) return false;
    const theirs = newest as Partial<SessionRecord>;
    const base = JSON.parse(snapshot) as SessionData; // parsed only when a merge is needed
    record.data = (mergeChanges(base, ours, theirs.data ?? {}) ?? {}) as SessionData;
    // Keep the later expiry: either request may have extended the session.
    if (Date.parse(newest.expires) > Date.parse(record.expires)) record.expires = newest.expires;
    // A public id the other request gave a record that had none is the one others may have listed.
    if (typeof theirs.publicId === 'string' && theirs.publicId !== '') record.publicId = theirs.publicId;
    current = typeof theirs.version === 'number' ? theirs.version : 0;
    runtime.events.emit({ type: 'session-merged', sessionId: record.sessionId, userId: record.userId, attempt });
  }
}
