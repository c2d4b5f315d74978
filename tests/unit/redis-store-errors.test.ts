/**
 * How RedisStore reads its options and words the client's failures, with a stand-in client that
 * fails as node-redis does (Redis's reply errors carry Redis's own first word; a lost connection
 * carries the socket's code). Failures a real server gives on demand (maxmemory, a closed client)
 * are tested against redis-server in redis-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from 'sessionlab';
import { RedisStore, RedisStoreError, type RedisStoreClient } from 'sessionlab/redis';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

/** A client every command of which fails with `failure`. */
function failingClient(failure: unknown): RedisStoreClient {
  const fail = (): Promise<never> => Promise.reject(failure);
  return { hGet: fail, eval: fail, zRange: fail, zRem: fail, zRemRangeByScore: fail, zCard: fail };
}

async function failureOf(failure: unknown): Promise<unknown> {
  const clock = new ManualClock();
  const store = new RedisStore({ client: failingClient(failure), clock });
  return store.create(recordAt(clock, 'a', MINUTE)).then(() => null, (caught: unknown) => caught);
}

describe('RedisStore options', () => {
  it.each([
    ['no options', undefined, /needs a node-redis client/],
    ['a client without eval()', { client: { hGet() {} } }, /needs a node-redis client/],
    ['a null client', { client: null }, /needs a node-redis client/],
    ['a prefix that is not a string', { client: failingClient(null), prefix: 5 }, /prefix must be a string, got 5/],
  ])('refuses %s with a SessionConfigError', (_, options, message) => {
    expect(() => new RedisStore(options as never)).toThrow(SessionConfigError);
    expect(() => new RedisStore(options as never)).toThrow(message);
  });
});

describe('RedisStore failures, by what Redis or the client said', () => {
  it.each([
    ['READONLY You can\'t write against a read only replica.', 'read-only', /replica: connect it to the primary/],
    ['BUSY Redis is busy running a script.', 'locked', /busy/],
    ['LOADING Redis is loading the dataset in memory', 'locked', /loading its data/],
    ['OOM command not allowed when used memory > \'maxmemory\'.', 'quota-exceeded', /maxmemory/],
    ['Socket closed unexpectedly', 'unavailable', /cannot be reached/],
    ['Connection timeout', 'unavailable', /cannot be reached/],
    ['ERR unknown command', 'failed', /Retry/],
  ])('"%s" is reason "%s", with a hint, the client\'s error as cause', async (message, reason, hint) => {
    const cause = new Error(message);
    const error = await failureOf(cause);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ reason, hint: expect.stringMatching(hint), cause });
    expect((error as Error).message).toContain(`RedisStore.create() failed: Error: ${message}`);
  });

  it('only a reply that begins with Redis\'s word counts: a message that mentions it elsewhere is "failed"', async () => {
    expect(await failureOf(new Error('ERR script said OOM'))).toMatchObject({ reason: 'failed' });
    expect(await failureOf(new Error('ERR got READONLY from a replica'))).toMatchObject({ reason: 'failed' });
    expect(await failureOf(new Error('ERR BUSY elsewhere'))).toMatchObject({ reason: 'failed' });
    expect(await failureOf(new Error('ERR LOADING elsewhere'))).toMatchObject({ reason: 'failed' });
  });

  it("only the client's own words for a lost connection count, not a message that contains them", async () => {
    expect(await failureOf(new Error('ERR script: The client is closed'))).toMatchObject({ reason: 'failed' });
    expect(await failureOf(new Error('Connection timeout is not a number'))).toMatchObject({ reason: 'failed' });
  });

  it('is a RedisStoreError by name too', async () => {
    expect(await failureOf(new Error('ERR x'))).toMatchObject({ name: 'RedisStoreError' });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT'])('a socket error with code %s is reason "unavailable"', async (code) => {
    const error = await failureOf(Object.assign(new Error('connect failed'), { code }));
    expect(error).toMatchObject({ reason: 'unavailable' });
  });

  it('a rejection with null is reason "failed"', async () => {
    expect(await failureOf(null)).toMatchObject({ name: 'RedisStoreError', reason: 'failed', cause: null });
  });

  it('a rejection that is not an Error is reason "failed", and named in the message', async () => {
    const error = await failureOf('connection lost');
    expect(error).toMatchObject({ reason: 'failed', cause: 'connection lost' });
    expect((error as Error).message).toContain('connection lost');
  });

  it('names the operation that failed', async () => {
    const clock = new ManualClock();
    const store = new RedisStore({ client: failingClient(new Error('ERR x')), clock });
    const record = recordAt(clock, 'a', MINUTE);
    const operations: [string, () => Promise<unknown>][] = [
      ['get', () => store.get('a')],
      ['update', () => store.update('a', record)],
      ['compareAndSet', () => store.compareAndSet('a', 0, record)],
      ['delete', () => store.delete('a')],
      ['listByUser', () => store.listByUser('user-a')],
      ['clean', () => store.clean()],
      ['count', () => store.count()],
      ['all', () => store.all()],
      ['clear', () => store.clear()],
    ];
    for (const [name, call] of operations) {
      const error = await call().then(() => null, (caught: unknown) => caught);
      expect((error as Error).message, name).toContain(`RedisStore.${name}() failed`);
    }
  });
});
