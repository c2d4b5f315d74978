/**
 * Revoking a user's sessions round by round: it lists again until two listings in a row find
 * nothing, gives up with a conflict (never a silent success) when sessions keep appearing, and
 * tells what it deleted however it ends.
 */
import { describe, expect, it } from 'vitest';
import { SessionStoreError, type SessionRecord } from 'sessionlab';
import { revokeSessions, type Revocation } from '../../src/session/revocation.ts';
import { SessionEvents } from '../../src/session/session-events.ts';
import { StoreCaller } from '../../src/session/store-caller.ts';
import { FiveMethodStore } from '../support/five-method-store.ts';
import { ManualClock, recordAt } from '../support/harness.ts';

/** A store that lists what `listing` gives for each call (by call number, from 1), and logs its calls. */
class ScriptedStore extends FiveMethodStore {
  readonly calls: string[] = [];
  failDelete: string | null = null;
  readonly listing: (call: number, userId: string) => SessionRecord[];
  constructor(listing: (call: number, userId: string) => SessionRecord[]) {
    super();
    this.listing = listing;
  }
  override listByUser(userId: string): SessionRecord[] {
    this.calls.push('list');
    return this.listing(this.calls.filter((call) => call === 'list').length, userId);
  }
  override delete(sessionId: string): void {
    if (sessionId === this.failDelete) throw new Error('the disk is on fire');
    this.calls.push(`delete ${sessionId}`);
    super.delete(sessionId);
  }
}

const clock = new ManualClock();
const record = (id: string, userId = 'ada'): SessionRecord => ({ ...recordAt(clock, id, 60_000), userId });

function revocation(store: ScriptedStore, overrides: Partial<Revocation> = {}): Revocation & { done: (ids: string[]) => void; reports: string[][] } {
  const reports: string[][] = [];
  return {
    operation: 'revokeAll',
    caller: new StoreCaller(store, new SessionEvents(clock), 5000),
    normalize: (stored) => stored as SessionRecord,
    select: () => true,
    done: (ids) => reports.push(ids),
    reports,
    ...overrides,
  };
}

describe('revoking sessions', () => {
  it('stops once two listings in a row find nothing to revoke', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('s1')] : []));
    const run = revocation(store);
    expect(await revokeSessions('ada', run)).toEqual(['s1']);
    expect(store.calls).toEqual(['list', 'delete s1', 'list', 'list']);
    expect(run.reports).toEqual([['s1']]);
  });

  it('counts again from zero when a session appears after a clean listing', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('s1')] : call === 3 ? [record('s2')] : []));
    expect(await revokeSessions('ada', revocation(store))).toEqual(['s1', 's2']);
    expect(store.calls).toEqual(['list', 'delete s1', 'list', 'list', 'delete s2', 'list', 'list']);
  });

  it('lists twice and deletes nothing when the user has no session, and still says so', async () => {
    const store = new ScriptedStore(() => []);
    const run = revocation(store);
    expect(await revokeSessions('ada', run)).toEqual([]);
    expect(store.calls).toEqual(['list', 'list']);
    expect(run.reports).toEqual([[]]);
  });

  it('leaves alone what a sloppy listing gives of other users, and what the selection leaves out', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('mine'), record('bobs', 'bob'), record('kept')] : []));
    const selected: string[] = [];
    const run = revocation(store, {
      select: (found) => {
        selected.push(found.sessionId);
        return found.sessionId !== 'kept';
      },
    });
    expect(await revokeSessions('ada', run)).toEqual(['mine']);
    expect(selected).toEqual(['mine', 'kept']);
    expect(store.calls.filter((call) => call.startsWith('delete'))).toEqual(['delete mine']);
  });

  it('shows each record to revoking() before deleting it', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('s1'), record('s2')] : []));
    const run = revocation(store, { revoking: (found) => store.calls.push(`revoking ${found.sessionId}`) });
    await revokeSessions('ada', run);
    expect(store.calls.slice(0, 5)).toEqual(['list', 'revoking s1', 'delete s1', 'revoking s2', 'delete s2']);
  });

  it('gives up with a conflict after 20 listings that each find a session, naming the operation to call again', async () => {
    const store = new ScriptedStore((call) => [record(`s${call}`)]);
    const run = revocation(store, { operation: 'revokeDevice' });
    const failure = await revokeSessions('ada', run).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SessionStoreError);
    expect(failure).toMatchObject({ method: 'listByUser', failure: 'conflict' });
    expect((failure as Error).message).toMatch(/after 20 rounds of revocation; call revokeDevice\(\) again/);
    expect(store.calls.filter((call) => call === 'list')).toHaveLength(20);
    expect(run.reports).toEqual([Array.from({ length: 20 }, (_, index) => `s${index + 1}`)]);
  });

  it('succeeds when the twentieth listing is the second clean one in a row', async () => {
    // Eighteen listings that each find a session, then two clean ones: exactly the limit.
    const store = new ScriptedStore((call) => (call <= 18 ? [record(`s${call}`)] : []));
    expect(await revokeSessions('ada', revocation(store))).toHaveLength(18);
    expect(store.calls.filter((call) => call === 'list')).toHaveLength(20);
  });

  it('says what it deleted before a store failure, and passes the failure on', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('s1'), record('s2')] : []));
    store.failDelete = 's2';
    const run = revocation(store);
    await expect(revokeSessions('ada', run)).rejects.toThrow(SessionStoreError);
    expect(run.reports).toEqual([['s1']]);
  });

  it('says nothing when the store fails before anything was deleted', async () => {
    const store = new ScriptedStore((call) => (call === 1 ? [record('s1')] : []));
    store.failDelete = 's1';
    const run = revocation(store);
    await expect(revokeSessions('ada', run)).rejects.toThrow(/the disk is on fire/);
    expect(run.reports).toEqual([]);
  });
});
