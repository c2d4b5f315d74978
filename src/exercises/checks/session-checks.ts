/**
 * Scenario checks through a real `Session` on the reader's store: what a signed-in user would notice.
 * Each signs in, sends requests with the cookie it got, sometimes two at once, sometimes across a
 * server restart.
 */
import { canonicalJson, describeValue } from '../../session/conformance/index.ts';
import { CheckFailure, type ExerciseCheck } from '../../checks/exercise-check.ts';
import { CheckBrowser, checkSession } from '../session-visits.ts';

function cartOf(data: Record<string, unknown> | null): unknown {
  return data ? data['cart'] : undefined;
}

export const sessionKeepsData: ExerciseCheck = {
  id: 'session-keeps-data',
  title: 'Sign in, then the next request: still signed in, with the same cart',
  hint: 'The Session creates a record at login and reads it back on every request with get(). Return exactly what create() was given — all of it: the Session keeps the app\'s data (the cart), the creation time and a version in the record.',
  async run(context) {
    const session = checkSession(await context.createStore());
    const browser = new CheckBrowser();
    await browser.visit(session, (handle) => handle.login('ada', { cart: ['apple'] }));
    const seen = await browser.visit(session, (handle) => ({ user: handle.userId, cart: cartOf(handle.data) }));
    if (seen.user !== 'ada') {
      throw new CheckFailure(
        `After signing in as ada, the next request was ${seen.user === null ? 'not signed in' : `signed in as ${seen.user}`}: the Session could not read back the session it had just created.`,
      );
    }
    if (canonicalJson(seen.cart) !== canonicalJson(['apple'])) {
      throw new CheckFailure(`After signing in with the cart ["apple"], the next request sees the cart as ${describeValue(seen.cart)}: the store lost the session's data.`);
    }
  },
};

export const sessionLogoutRace: ExerciseCheck = {
  id: 'session-logout-race',
  title: 'A request that finishes after a logout does not sign the user back in',
  hint: 'Two requests of one user overlap: one logs out (delete), the other was changing the cart and saves afterwards (update). If update() writes a record that is not there, the logged-out session is back, and the old cookie works again. update() of an unknown id must write nothing.',
  async run(context) {
    const session = checkSession(await context.createStore());
    const browser = new CheckBrowser();
    await browser.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const oldCookie = browser.cookie;
    const slow = await browser.begin(session);
    const logout = await browser.begin(session);
    await logout.logout();
    browser.receive(await logout.commit());
    (slow.data?.['cart'] as string[] | undefined)?.push('apple');
    await slow.commit();
    const replay = new CheckBrowser();
    replay.cookie = oldCookie;
    const user = await replay.visit(session, (handle) => handle.userId);
    if (user !== null) {
      throw new CheckFailure(
        `ada logged out while another of her requests was still running; that request saved its change afterwards, and the session was back: her old cookie signs her in as ${user} again.`,
      );
    }
  },
};

export const sessionTwoTabs: ExerciseCheck = {
  id: 'session-two-tabs',
  title: 'Two tabs add to one cart at the same moment: both items stay',
  hint: 'Without compareAndSet() the Session can only update(), and the request that saves last overwrites the other\'s change. With it, the Session notices that the record changed under it (the version moved on), reads the newer record, merges its own change in and tries again.',
  async run(context) {
    const session = checkSession(await context.createStore());
    const browser = new CheckBrowser();
    await browser.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const tabs = await Promise.all([browser.begin(session), browser.begin(session)]);
    const items = ['apple', 'pear'];
    tabs.forEach((tab, index) => (tab.data?.['cart'] as string[] | undefined)?.push(items[index]!));
    await Promise.all(tabs.map((tab) => tab.commit()));
    const cart = await browser.visit(session, (handle) => cartOf(handle.data));
    const kept = Array.isArray(cart) ? items.filter((item) => cart.includes(item)) : [];
    if (kept.length !== items.length) {
      throw new CheckFailure(
        `Two requests added "apple" and "pear" to one cart at the same moment; afterwards the cart is ${describeValue(cart)}: one change overwrote the other (the last write won).`,
      );
    }
  },
};

export const sessionSurvivesRestart: ExerciseCheck = {
  id: 'session-survives-restart',
  title: 'Signed in before a server restart, still signed in after it',
  hint: 'The cookie survives a restart (the browser keeps it); the session must too, or every deploy signs everyone out. Keep the records in IndexedDB, where a new instance of the store finds them.',
  async run(context) {
    const browser = new CheckBrowser();
    await browser.visit(checkSession(await context.createStore()), (handle) => handle.login('ada', { cart: ['apple'] }));
    const restarted = checkSession(await context.restart());
    const seen = await browser.visit(restarted, (handle) => ({ user: handle.userId, cart: cartOf(handle.data) }));
    if (seen.user !== 'ada') {
      throw new CheckFailure('ada signed in, then the server restarted; with the same cookie her next request is not signed in: the session was lost with the old process.');
    }
    if (canonicalJson(seen.cart) !== canonicalJson(['apple'])) {
      throw new CheckFailure(`After the restart ada is signed in, but her cart is ${describeValue(seen.cart)} instead of ["apple"].`);
    }
  },
};
