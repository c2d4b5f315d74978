/** How the stores that keep records as JSON text (SQLite, Redis) read them back for listing. */
import type { ISessionData } from '../types.ts';

/** The record a stored JSON text holds, or null when it holds none: hostile input is left out, not thrown. */
export function recordOf<R extends ISessionData>(json: string): R | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as R) : null;
  } catch {
    return null;
  }
}
