/**
 * How ConnectStoreBridge words what the connect store behind it reports: the reason read from
 * Node's error codes, PostgreSQL's SQLSTATE codes and the words clients use for a lost server, and
 * the hint for each reason. A stand-in connect store calls back with the error under test.
 */
import { describe, expect, it } from 'vitest';
// Imported by path until package.json maps 'sessionlab/connect' to it.
import { ConnectStoreBridge, ConnectStoreError, type ConnectStore } from '../../src/session/stores/connect-store.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

/** A connect store whose get() calls back with `error`, and whose set() calls back with a success. */
function failingStore(error: unknown): ConnectStore {
  return {
    get: (_sid, callback) => callback(error),
    set: (_sid, _session, callback) => callback(null),
    destroy: (_sid, callback) => callback(null),
    all: (callback) => callback(null, []),
  };
}

/** What the bridge's get() rejects with when the store's get() reports `error`. */
async function failureOf(error: unknown): Promise<ConnectStoreError> {
  const caught = await new ConnectStoreBridge({ store: failingStore(error), clock: new ManualClock() }).get('a').then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(caught).toBeInstanceOf(ConnectStoreError);
  return caught as ConnectStoreError;
}

const withCode = (code: unknown, message = 'the backend said no'): Error => Object.assign(new Error(message), { code });

/** Each reason's hint, by a phrase of it. */
const HINT = {
  unavailable: /cannot be reached: check that it runs/,
  timeout: /did not answer in time/,
  'read-only': /refuses writes/,
  'quota-exceeded': /out of space or memory/,
  locked: /busy or locked: retry in a moment/,
  failed: /^Retry; if it keeps failing, read the cause/,
} as const;

describe('ConnectStoreBridge failures, by the error the connect store reports', () => {
  it.each([
    ['ECONNREFUSED', 'unavailable'],
    ['ECONNRESET', 'unavailable'],
    ['ENOTFOUND', 'unavailable'],
    ['EHOSTUNREACH', 'unavailable'],
    ['ENETUNREACH', 'unavailable'],
    ['EAI_AGAIN', 'unavailable'],
    ['EPIPE', 'unavailable'],
    ['EMFILE', 'unavailable'],
    ['ETIMEDOUT', 'timeout'],
    ['EROFS', 'read-only'],
    ['EACCES', 'read-only'],
    ['EPERM', 'read-only'],
    ['ENOSPC', 'quota-exceeded'],
    ['EDQUOT', 'quota-exceeded'],
    ['EBUSY', 'locked'],
  ] as const)('Node\'s code %s is reason "%s", with its hint and the store\'s error as cause', async (code, reason) => {
    const cause = withCode(code);
    expect(await failureOf(cause)).toMatchObject({ reason, hint: expect.stringMatching(HINT[reason]), cause, name: 'ConnectStoreError' });
  });

  it.each([
    ['08006', 'unavailable'],
    ['08001', 'unavailable'],
    ['57P01', 'unavailable'],
    ['57P02', 'unavailable'],
    ['57P03', 'unavailable'],
    ['53300', 'unavailable'],
    ['25006', 'read-only'],
    ['53100', 'quota-exceeded'],
    ['53200', 'quota-exceeded'],
    ['55P03', 'locked'],
    ['40P01', 'locked'],
    ['57014', 'timeout'],
  ] as const)('PostgreSQL\'s SQLSTATE %s is reason "%s"', async (code, reason) => {
    expect(await failureOf(withCode(code))).toMatchObject({ reason, hint: expect.stringMatching(HINT[reason]) });
  });

  it.each([
    ['a SQLSTATE that says nothing about the store', '42P01'],
    ['a SQLSTATE with 08 elsewhere than at its start', '42808'],
    ['a code of six characters that begins like a SQLSTATE', '080061'],
    ['a code of six characters that ends like a SQLSTATE', 'X08006'],
    ['a code in lower case', '08abc'],
    ['a code nobody knows', 'EWHATEVER'],
    ['a code that is not a string', 8006],
  ])('%s (%s) is reason "failed" when the message says nothing either', async (_, code) => {
    expect(await failureOf(withCode(code))).toMatchObject({ reason: 'failed', hint: expect.stringMatching(HINT.failed) });
  });

  it('reads the message when the code says nothing about the store', async () => {
    expect(await failureOf(withCode('42P01', 'Connection terminated unexpectedly'))).toMatchObject({ reason: 'unavailable' });
  });

  it.each([
    ['OOM command not allowed when used memory > maxmemory', 'quota-exceeded'],
    ['READONLY You can\'t write against a read only replica.', 'read-only'],
    ['BUSY Redis is busy running a script.', 'locked'],
    ['LOADING Redis is loading the dataset in memory', 'locked'],
    ['timeout exceeded when trying to connect', 'timeout'],
    ['Connection timeout', 'timeout'],
    ['the request TIMED OUT', 'timeout'],
    ['The client is closed', 'unavailable'],
    ['The client is offline', 'unavailable'],
    ['Socket closed unexpectedly', 'unavailable'],
    ['Connection terminated unexpectedly', 'unavailable'],
    ['Client has encountered a connection error and is not queryable', 'unavailable'],
    ['Connection closed', 'unavailable'],
  ] as const)('the message "%s" is reason "%s"', async (message, reason) => {
    expect(await failureOf(new Error(message))).toMatchObject({ reason, hint: expect.stringMatching(HINT[reason]) });
  });

  it.each(['ERR script said OOM', 'OOMPH', 'ERR got READONLY', 'READONLYNESS', 'ERR BUSY elsewhere', 'BUSYBOX', 'ERR LOADING elsewhere', 'LOADINGS'])(
    'only a reply that begins with Redis\'s whole word counts: "%s" is reason "failed"',
    async (message) => {
      expect(await failureOf(new Error(message))).toMatchObject({ reason: 'failed' });
    },
  );

  it('reads a string the store reports as a message', async () => {
    expect(await failureOf('Socket closed unexpectedly')).toMatchObject({ reason: 'unavailable', cause: 'Socket closed unexpectedly' });
  });

  it('reads nothing from an object that is not an Error, even with a message field', async () => {
    expect(await failureOf({ message: 'Connection closed' })).toMatchObject({ reason: 'failed' });
  });

  it('reads the first of several errors reported at once', async () => {
    expect(await failureOf([withCode('ENOSPC'), withCode('ECONNREFUSED')])).toMatchObject({ reason: 'quota-exceeded' });
    expect(await failureOf(['READONLY replica'])).toMatchObject({ reason: 'read-only' });
  });

  it('reads only the first of several errors: a later one that says more does not count', async () => {
    expect(await failureOf(['disk check', 'Connection closed'])).toMatchObject({ reason: 'failed' });
  });

  it('a string that says nothing known is reason "failed"', async () => {
    expect(await failureOf('something odd')).toMatchObject({ reason: 'failed', cause: 'something odd' });
  });

  it('a list whose first error is null is reason "failed"', async () => {
    expect(await failureOf([null])).toMatchObject({ reason: 'failed' });
  });

  it('a number code that reads like a SQLSTATE is no code', async () => {
    expect(await failureOf(withCode(53300))).toMatchObject({ reason: 'failed' });
  });

  it('an empty list of errors is reason "failed"', async () => {
    expect(await failureOf([])).toMatchObject({ reason: 'failed' });
  });

  it('passes a ConnectStoreError the store reports on as it is', async () => {
    const own = new ConnectStoreError('locked', 'an inner bridge was locked.', 'Retry.');
    expect(await failureOf(own)).toBe(own);
  });

  it('rejects a second create() of a live session with reason "duplicate-id" and a hint to update() instead', async () => {
    const clock = new ManualClock();
    const record = recordAt(clock, 'a', MINUTE);
    const entries = new Map<string, unknown>();
    const bridge = new ConnectStoreBridge({
      store: {
        get: (sid, callback) => callback(null, entries.get(sid) ?? null),
        set: (sid, session, callback) => (entries.set(sid, session), callback(null)),
        destroy: (sid, callback) => (entries.delete(sid), callback(null)),
        all: (callback) => callback(null, [...entries.values()]),
      },
      clock,
    });
    await bridge.create(record);
    const error = await bridge.create(record).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectStoreError);
    expect(error).toMatchObject({ reason: 'duplicate-id', hint: 'Use update() to change it.' });
  });
});
