/**
 * The Session's device operations: listing a user's sessions as devices, revoking one by its public
 * id (only the user's own), and keeping `lastSeenAt` without a write per request.
 */
import { generatePublicId, toDeviceSession, type CheckedDevices, type DeviceSession } from './devices.ts';
import { revokeSessions } from './revocation.ts';
import type { SessionEvents } from './session-events.ts';
import type { RandomSource } from './session-token.ts';
import type { StoreCaller } from './store-caller.ts';
import type { DeviceDetails, ISessionData, SessionRecord } from './types.ts';

/** What the device operations need of their Session. */
export interface DeviceContext {
  caller: StoreCaller;
  events: SessionEvents;
  random: RandomSource;
  normalize(stored: ISessionData): SessionRecord;
}

function hasPublicId(record: Partial<SessionRecord>): boolean {
  return typeof record.publicId === 'string' && record.publicId !== '';
}

/**
 * Whether `record`'s lastSeenAt is due for a write at `now`: older than `lastSeenEvery`, missing,
 * unreadable, or further in the future than the interval (a damaged record is repaired, not kept).
 */
export function lastSeenDue(record: SessionRecord, now: number, devices: CheckedDevices | null): boolean {
  if (!devices) return false;
  const last = typeof record.lastSeenAt === 'string' ? Date.parse(record.lastSeenAt) : Number.NaN;
  return !(Math.abs(now - last) < devices.lastSeenEvery);
}

/**
 * Before any write of `record`: a public id when it has none (a record from before public ids), and,
 * when the Session keeps device details, the time it was seen and the details of this request.
 */
export function stampRecord(record: SessionRecord, now: number, devices: CheckedDevices | null, device: DeviceDetails | null, random: RandomSource): void {
  if (!hasPublicId(record)) record.publicId = generatePublicId(random);
  if (!devices) return;
  record.lastSeenAt = new Date(now).toISOString();
  // A request that carries none of the details (an adapter that does not pass them) keeps the old ones.
  if (device && Object.keys(device).length > 0) record.device = device;
}

/** The devices of `records` (live sessions of one user), giving a public id to each that has none. */
export async function listDevices(context: DeviceContext, records: readonly SessionRecord[]): Promise<DeviceSession[]> {
  const devices: DeviceSession[] = [];
  for (const record of records) {
    if (hasPublicId(record) || (await assignPublicId(context, record))) devices.push(toDeviceSession(record));
  }
  return devices;
}

/**
 * Gives a stored record without a public id one, and saves it, so that the id listed is the one a
 * later `revokeDevice()` finds. With compare-and-set, a record changed meanwhile keeps the public id
 * the other write gave it; a record deleted meanwhile is left out (false).
 */
async function assignPublicId(context: DeviceContext, record: SessionRecord): Promise<boolean> {
  const publicId = generatePublicId(context.random);
  if (!context.caller.canCompareAndSet) {
    Object.assign(record, { publicId, version: record.version + 1 });
    await context.caller.update(record.sessionId, record);
    return true;
  }
  const next: SessionRecord = { ...record, publicId, version: record.version + 1 };
  if (await context.caller.compareAndSet(record.sessionId, record.version, next)) {
    record.publicId = publicId;
    return true;
  }
  const newest = await context.caller.get(record.sessionId);
  const found = newest && context.normalize(newest);
  if (!found || found.userId !== record.userId || !hasPublicId(found)) return false;
  record.publicId = found.publicId!;
  return true;
}

/**
 * Deletes every session of `userId` whose public id is `publicId`: the session, and a successor a
 * concurrent `regenerate()` made of it (it keeps the public id). True when one was deleted; false,
 * with nothing deleted, when no session of `userId` has that public id.
 */
export async function revokeDevice(context: DeviceContext, userId: string, publicId: string): Promise<boolean> {
  if (typeof publicId !== 'string' || publicId === '') return false;
  const revoked = await revokeSessions(userId, {
    operation: 'revokeDevice',
    caller: context.caller,
    normalize: (stored) => context.normalize(stored),
    select: (record) => record.publicId === publicId,
    done: (sessionIds) => {
      if (sessionIds.length > 0) context.events.emit({ type: 'sessions-revoked', userId, sessionIds });
    },
  });
  return revoked.length > 0;
}
