/**
 * Capstone 2: a store for two servers and a restart. Only its shape is given; the instructions say what it must do.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class DurableStore extends BaseSessionStore<SessionRecord> {
  async create(record: SessionRecord): Promise<void> {
    throw new Error('create() is not written yet.');
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    throw new Error('get() is not written yet.');
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    throw new Error('update() is not written yet.');
  }

  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    throw new Error('compareAndSet() is not written yet.');
  }

  async delete(sessionId: string): Promise<void> {
    throw new Error('delete() is not written yet.');
  }

  async clean(): Promise<number> {
    throw new Error('clean() is not written yet.');
  }
}
