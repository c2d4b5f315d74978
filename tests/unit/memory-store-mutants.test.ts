/**
 * MemoryStore's writes carry the own-copy mark: each copies what it is given before it returns, so
 * the Session hands it the record as it is, and a write makes one copy, not two.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { isAnsweringWithOwnCopy } from '../../src/session/stores/base-session-store.ts';

describe('MemoryStore\'s writes', () => {
  it.each(['create', 'update', 'compareAndSet'] as const)('%s carries the own-copy mark, and a subclass that overrides it loses it', (method) => {
    class Overriding extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create(record);
      }
      override update(sessionId: string, record: SessionRecord): void {
        super.update(sessionId, record);
      }
      override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
        return super.compareAndSet(sessionId, expectedVersion, record);
      }
    }
    expect(isAnsweringWithOwnCopy(new MemoryStore()[method])).toBe(true);
    expect(isAnsweringWithOwnCopy(new Overriding()[method])).toBe(false);
  });
});
