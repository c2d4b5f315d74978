/**
 * The mark a shipped store puts on its `get` to say it answers with a copy nobody else holds, so
 * the Session need not copy it again, and why a reader's store never carries it by accident.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { answersWithOwnCopy, isAnsweringWithOwnCopy } from '../../src/session/stores/base-session-store.ts';
import { FiveMethodStore } from '../support/five-method-store.ts';

describe('the own-copy mark', () => {
  it('is carried by a method once marked, and by no other', () => {
    const marked = () => null;
    const other = () => null;
    answersWithOwnCopy(marked);
    expect(isAnsweringWithOwnCopy(marked)).toBe(true);
    expect(isAnsweringWithOwnCopy(other)).toBe(false);
  });

  it('is not seen on what is not a method', () => {
    expect(isAnsweringWithOwnCopy(undefined)).toBe(false);
    expect(isAnsweringWithOwnCopy(null)).toBe(false);
    expect(isAnsweringWithOwnCopy({})).toBe(false);
  });

  it('is on MemoryStore\'s get, and lost by a subclass that overrides get', () => {
    class Overriding extends MemoryStore {
      override get(sessionId: string): SessionRecord | null {
        return super.get(sessionId);
      }
    }
    expect(isAnsweringWithOwnCopy(new MemoryStore().get)).toBe(true);
    expect(isAnsweringWithOwnCopy(new Overriding().get)).toBe(false);
    expect(isAnsweringWithOwnCopy(new FiveMethodStore().get)).toBe(false);
  });
});
