/**
 * "Sign out everywhere" racing regenerate() on the durable stores Session Lab ships for Node:
 * a real redis-server and SQLite (node:sqlite). No stolen cookie may survive on either.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from 'sessionlab/redis';
import { SqliteStore } from 'sessionlab/sqlite';
import { makeSession, ManualClock } from '../support/harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { raceRevokeAgainstRegenerate } from './revoke-race-scenario.ts';

describe('revokeAll racing regenerate() on RedisStore', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  let prefixes = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  it.each([0, 3, 10, 30])('leaves none of 30 stolen cookies working (revocation starts after %i turns)', async (startAfter) => {
    // Redis expires keys by its own clock: the Session's clock must be the real time of day.
    const clock = new ManualClock(Date.now());
    const store = new RedisStore({ client, prefix: `race-${++prefixes}:`, clock });
    const { session } = makeSession({ store, clock });
    expect(await raceRevokeAgainstRegenerate(session, { cookies: 30, rounds: 20, startAfter })).toBe(0);
  });
});

describe('revokeAll racing regenerate() on SqliteStore', () => {
  it.each([0, 3, 10, 30])('leaves none of 20 stolen cookies working (revocation starts after %i turns)', async (startAfter) => {
    const clock = new ManualClock(Date.now());
    const store = new SqliteStore({ path: ':memory:', clock });
    const { session } = makeSession({ store, clock });
    expect(await raceRevokeAgainstRegenerate(session, { cookies: 20, rounds: 20, startAfter })).toBe(0);
    store.close();
  });
});
