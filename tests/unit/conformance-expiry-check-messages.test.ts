/**
 * What the expiry checks tell a store author whose clean() keeps a session it should remove: the
 * message says why that session had to go and what to do, not only what was found.
 */
import { describe, expect, it } from 'vitest';
import { type SessionRecord } from 'sessionlab';
import { runConformance, type AnyStore } from 'sessionlab/conformance';
import { LazyMapStore } from '../fixtures/wrong-stores.ts';

const HOUR = 3_600_000;

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

describe('the clean-compares-instants check, against a clean() with two hours of grace', () => {
  /** Compares instants, but removes a session only two hours after it expired. */
  class CleansWithTwoHoursOfGrace extends LazyMapStore {
    protected override isExpired(record: SessionRecord): boolean {
      return Date.parse(record.expires) < Date.now() - 2 * HOUR;
    }
  }

  it('fails it on the session that expired an hour ago, saying so and how clean() should compare', async () => {
    const result = await verdict('clean-compares-instants', () => new CleansWithTwoHoursOfGrace());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/^clean\(\) left 1 of 1 expired sessions in the store: .*\. It expired an hour ago \(expires "[^"]+\+14:00", which as text sorts after now\)\. clean\(\) must remove them: .*Compare times: new Date\(expires\)\.getTime\(\) <= Date\.now\(\)\.$/);
  });
});

describe('the clean-unreadable-expiry check, against a clean() that keeps what get() hides', () => {
  /** get() treats an unreadable expiry as expired; clean() compares with <, which is false for NaN, so it keeps such sessions. */
  class CleansWithLessThan extends LazyMapStore {
    protected override isExpired(record: SessionRecord): boolean {
      return Date.parse(record.expires) < Date.now();
    }
  }

  it('says that a get() which hides the session does not free it', async () => {
    const result = await verdict('clean-unreadable-expiry', () => new CleansWithLessThan());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toContain('A get() that hides such a record does not free it: clean() must remove it.');
  });
});
