/**
 * Scenario checks with two servers on one database: two instances of the reader's store, each
 * behind its own `Session`, as two server processes behind a load balancer would run them. A
 * browser's requests go to either; both servers must see one truth, write without losing each
 * other's changes, and clean up together without counting a session twice.
 */
import { callStore, canonicalJson, describeValue, sampleRecord } from '../../session/conformance/index.ts';
import { HOUR, recordExpiringIn } from '../check-records.ts';
import { CheckFailure, type ExerciseCheck } from '../../checks/exercise-check.ts';
import { CheckBrowser, checkSession } from '../session-visits.ts';
import { heldByStore } from './store-held.ts';

function cartOf(data: Record<string, unknown> | null): unknown {
  return data ? data['cart'] : undefined;
}

export const twoServersOneSession: ExerciseCheck = {
  id: 'two-servers-one-session',
  title: 'Two servers serve one session: what one writes, the other reads; a logout on one holds on the other',
  hint: 'Behind a load balancer, each request may reach another server process, each with its own memory and its own instance of your store. Whatever one instance keeps for itself (a cache, a copy of a record) goes stale the moment the other writes. Let the database be the only place a session lives.',
  async run(context) {
    const serverA = checkSession(await context.createStore());
    const serverB = checkSession(await context.createStore());
    const browser = new CheckBrowser();
    await browser.visit(serverA, (handle) => handle.login('ada', { cart: ['apple'] }));
    const onB = await browser.visit(serverB, (handle) => {
      const seen = { user: handle.userId, cart: structuredClone(cartOf(handle.data)) };
      (handle.data?.['cart'] as string[] | undefined)?.push('pear');
      return seen;
    });
    if (onB.user !== 'ada') throw new CheckFailure(`ada signed in on server A; her next request reached server B, which ${onB.user === null ? 'did not find her session' : `saw ${onB.user}`}.`);
    if (canonicalJson(onB.cart) !== canonicalJson(['apple'])) throw new CheckFailure(`On server B, ada's cart is ${describeValue(onB.cart)}, not the ["apple"] she signed in with on server A.`);
    const onA = await browser.visit(serverA, (handle) => cartOf(handle.data));
    if (canonicalJson(onA) !== canonicalJson(['apple', 'pear'])) {
      throw new CheckFailure(`Server B added "pear" to ada's cart; her next request reached server A, which sees the cart as ${describeValue(onA)}: server A answered from what it had kept itself.`);
    }
    const oldCookie = browser.cookie;
    await browser.visit(serverA, (handle) => handle.logout());
    const replay = new CheckBrowser();
    replay.cookie = oldCookie;
    const user = await replay.visit(serverB, (handle) => handle.userId);
    if (user !== null) throw new CheckFailure(`ada logged out on server A, yet server B still signs her old cookie in as ${user}.`);
  },
};

export const twoServersTwoTabs: ExerciseCheck = {
  id: 'two-servers-two-tabs',
  title: 'Two tabs, each served by another server, add to one cart at the same moment: both items stay',
  hint: 'A lock in one server\'s memory (a queue, a flag, a promise chain) orders that server\'s writes only: the other server never sees it. compareAndSet() must check the version and write in one step of the database itself — one readwrite transaction — so that it holds across processes.',
  async run(context) {
    const servers = [checkSession(await context.createStore()), checkSession(await context.createStore())];
    const browser = new CheckBrowser();
    await browser.visit(servers[0]!, (handle) => handle.login('ada', { cart: [] }));
    const tabs = await Promise.all(servers.map((server) => browser.begin(server)));
    const items = ['apple', 'pear'];
    tabs.forEach((tab, index) => (tab.data?.['cart'] as string[] | undefined)?.push(items[index]!));
    try {
      await Promise.all(tabs.map((tab) => tab.commit()));
    } catch (error) {
      throw new CheckFailure(
        `Two tabs saved through two servers at the same moment, and the Session gave up: ${error instanceof Error ? error.message : String(error)} After a refused compareAndSet() the Session reads the session again with get(); a get() that answers from this server's memory keeps giving the version the other server has already replaced.`,
      );
    }
    const cart = await browser.visit(servers[0]!, (handle) => cartOf(handle.data));
    const kept = Array.isArray(cart) ? items.filter((item) => cart.includes(item)) : [];
    if (kept.length !== items.length) {
      throw new CheckFailure(
        `Two tabs added "apple" (through server A) and "pear" (through server B) at the same moment; afterwards the cart is ${describeValue(cart)}: one server's write overwrote the other's.`,
      );
    }
  },
};

const EXPIRED = 5;

export const cleanOnTwoServers: ExerciseCheck = {
  id: 'clean-on-two-servers',
  title: 'Both servers run clean() at the same moment: every expired session goes, and is counted once',
  hint: 'Every server runs clean() on its own timer, so two runs overlap. Each expired session must be removed, and counted by the run that removed it: find and delete in one readwrite transaction (a cursor over the expired ones), so the other run does not count what this one removed.',
  async run(context) {
    const serverA = await context.createStore();
    const serverB = await context.createStore();
    const now = context.clock.now();
    const expired = Array.from({ length: EXPIRED }, (_, index) => recordExpiringIn(now, -(index + 1) * HOUR));
    const live = sampleRecord({ expires: new Date(now + HOUR).toISOString() });
    for (const record of [...expired, live]) await callStore('create()', () => serverA.create(record));
    const counts: unknown[] = await Promise.all([
      callStore('clean() on server A', () => serverA.clean()),
      callStore('clean() on server B, at the same moment', () => serverB.clean()),
    ]);
    const left = [];
    for (const record of expired) if ((await heldByStore(context, serverA, record, live)).held) left.push(record);
    if (left.length > 0) throw new CheckFailure(`After both servers ran clean(), ${left.length} of ${EXPIRED} expired sessions are still stored.`);
    const found = await callStore('get()', () => serverB.get(live.sessionId));
    if (found === null || found === undefined) throw new CheckFailure('After both servers ran clean(), a session that expires in an hour is gone.');
    if (counts.every((count) => typeof count === 'number')) {
      const total = (counts as number[]).reduce((sum, count) => sum + count, 0);
      if (total !== EXPIRED) {
        throw new CheckFailure(
          `Two servers ran clean() at the same moment and reported removing ${counts.join(' and ')} sessions, ${total} in all; ${EXPIRED} had expired: ${total > EXPIRED ? 'both counted sessions that only one of them removed' : 'some removals were not counted'}.`,
        );
      }
    } else {
      throw new CheckFailure(`clean() returned ${counts.map((count) => describeValue(count)).join(' and ')}; it should return how many sessions it removed.`);
    }
  },
};
