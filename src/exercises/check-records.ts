/**
 * Records for exercise checks: the conformance suite's sample records (unique ids, Session Lab's full
 * shape), written for a moment relative to the check's clock, and ways to find them again.
 */
import { sampleRecord } from '../session/conformance/index.ts';
import type { SessionRecord } from '../session/index.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** A record that expires `ms` after `now` (before it, when negative). */
export function recordExpiringIn(now: number, ms: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return sampleRecord({ expires: new Date(now + ms).toISOString(), ...overrides });
}

/** Whether `value` holds the string `text` anywhere: as itself, in an array, in an object's keys or values. */
export function holdsString(value: unknown, text: string, depth = 0): boolean {
  if (value === text) return true;
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => holdsString(item, text, depth + 1));
  if (value instanceof Map) return [...value].some(([key, item]) => holdsString(key, text, depth + 1) || holdsString(item, text, depth + 1));
  return Object.entries(value).some(([key, item]) => key === text || holdsString(item, text, depth + 1));
}
