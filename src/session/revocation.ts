/**
 * Revoking some of a user's sessions (all of them, all but one, or one device) so that none
 * survives a concurrent `regenerate()`.
 *
 * `regenerate()` creates the successor first, then checks that its source still exists, then
 * deletes the source; the successor keeps the source's `createdAt` and `publicId`. A revocation
 * that listed the source before the successor existed would miss the successor, so it lists again
 * (and deletes what now matches, the successor carrying its source's marks) until two listings in a
 * row find nothing: a store's listing may not be one snapshot (RedisStore reads its index, then the
 * records), and a second clean listing, begun after the first ended, sees what the first missed.
 */
import { SessionStoreError } from './errors.ts';
import type { StoreCaller } from './store-caller.ts';
import type { ISessionData, SessionRecord } from './types.ts';

/** Revocation stops once this many listings in a row find nothing left to revoke. */
const CONFIRMING_LISTINGS = 2;
/** ...and gives up (with an error, never a silent success) after this many listings. */
const MAX_REVOKE_ROUNDS = 20;

export interface Revocation {
  /** The public method revoking, for the error message. */
  operation: string;
  caller: StoreCaller;
  normalize(stored: ISessionData): SessionRecord;
  /** Whether a record of the user is to be revoked. */
  select(record: SessionRecord): boolean;
  /** Called for each record just before it is deleted. */
  revoking?(record: SessionRecord): void;
  /**
   * Called with every revoked store key when revocation ends: by success, by giving up, or by a
   * store failure after some were deleted.
   */
  done(sessionIds: string[]): void;
}

/** Deletes every session of `userId` that `select` picks, until two listings in a row find none. Resolves to their store keys. */
export async function revokeSessions(userId: string, revocation: Revocation): Promise<string[]> {
  const revoked: string[] = [];
  let clean = 0;
  for (let round = 1; clean < CONFIRMING_LISTINGS; round++) {
    if (round > MAX_REVOKE_ROUNDS) {
      revocation.done(revoked);
      throw new SessionStoreError('listByUser', 'conflict', `sessions of the user kept appearing after ${MAX_REVOKE_ROUNDS} rounds of revocation; call ${revocation.operation}() again.`);
    }
    try {
      const targets = (await revocation.caller.listByUser(userId))
        .map((record) => revocation.normalize(record))
        .filter((record) => record.userId === userId && revocation.select(record));
      clean = targets.length === 0 ? clean + 1 : 0;
      for (const record of targets) {
        revocation.revoking?.(record);
        await revocation.caller.delete(record.sessionId);
        revoked.push(record.sessionId);
      }
    } catch (error) {
      // A store that fails part of the way through: what was deleted stays deleted, so say so.
      if (revoked.length > 0) revocation.done(revoked);
      throw error;
    }
  }
  revocation.done(revoked);
  return revoked;
}
