/**
 * The options of `new Session()`, and the check that turns a mistake in them into a
 * `SessionConfigError` at construction, with a message that says how to fix it.
 */
import { checkDeviceOptions, type CheckedDevices, type DeviceOptions } from './devices.ts';
import { SessionConfigError } from './errors.ts';
import { readKeyRing, type DatedKey, type SessionSecret } from './key-ring.ts';
import type { SessionCookieOptions } from './session-cookie.ts';
import type { RandomSource } from './session-token.ts';
import type { BaseSessionStore } from './stores/base-session-store.ts';
import type { Clock } from './types.ts';

const MINUTE = 60_000;

/** Options of `new Session()`. FluidAuth's names keep FluidAuth's meaning. */
export interface SessionOptions {
  /**
   * Secret(s) that sign the cookie, at least 32 characters each. A list rotates secrets: the first
   * signs, all verify. Keys with dates schedule a rotation: `[{ secret, activeFrom?, retiresAt? }]`;
   * the newest active key signs, and a key verifies only from `activeFrom` until `retiresAt`.
   */
  secret: SessionSecret;
  /** Cookie name. Default `'__Host-session'` on Secure requests (the prefix pins it to this host), `'session'` otherwise. */
  name?: string;
  /** Idle lifetime in ms: how long a session lives without activity. Default 30 minutes. */
  sessionDuration?: number;
  /** Absolute lifetime in ms, counted from login: no extension goes past it. Default 8 hours. */
  absoluteDuration?: number;
  /** Cookie attributes. Defaults: HttpOnly, Secure (except on plain-http localhost), SameSite=Lax, Path=/. */
  cookie?: SessionCookieOptions;
  /** Where sessions live. Default: a new `MemoryStore` (development only). */
  store?: BaseSessionStore<any>;
  /** Extend active sessions (idle expiry). Default `true`. */
  extendSessionBeforeExpiry?: boolean;
  /**
   * Extend a session when less than this much time (ms) is left. Default: `sessionDuration` minus one
   * minute (half of it for durations under two minutes), so an active session is written at most
   * about once a minute and its idle timeout is exact to within that minute.
   */
  sessionExtensionThresholdInMs?: number;
  /** Run `store.clean()` at start and then every this many ms; `false` turns automatic cleaning off. Default 15 minutes. */
  cleanInterval?: number | false;
  /** A store call that takes longer than this (ms) fails with a `SessionStoreError`. Default 5000. */
  storeTimeout?: number;
  /**
   * The longest (ms) one `commit()` may take, retries included: a save that keeps losing to
   * concurrent writers, or a store that is slow, fails with a `SessionStoreError` by then instead of
   * holding the response. Every store call of a commit gets at most the time left. Default 5000.
   */
  commitTimeout?: number;
  /** Where "now" comes from (and, when it has `sleep`, how pauses between retries wait). Default: the system clock. */
  clock?: Clock;
  /** Where random bytes come from (tokens, and the jitter of retries). Default: `crypto.getRandomValues`. Replace only in tests. */
  random?: RandomSource;
  /**
   * Device details to keep with each session, for a "Your devices" page: the user agent, the IP
   * (coarse or full), and when it was last seen. Default: none of them.
   */
  devices?: DeviceOptions;
}

const KNOWN_OPTIONS = new Set<string>([
  'secret', 'name', 'sessionDuration', 'absoluteDuration', 'cookie', 'store', 'extendSessionBeforeExpiry',
  'sessionExtensionThresholdInMs', 'cleanInterval', 'storeTimeout', 'commitTimeout', 'clock', 'random', 'devices',
]);
const STORE_METHODS = ['create', 'get', 'update', 'delete', 'clean'] as const;

/** The options after checking, with every default filled in. */
export interface CheckedOptions {
  keys: DatedKey[];
  devices: CheckedDevices | null;
  sessionDuration: number;
  absoluteDuration: number;
  threshold: number;
  cleanInterval: number | false;
  storeTimeout: number;
  commitTimeout: number;
}

/** Checks `options` and fills in defaults; throws a `SessionConfigError` that says how to fix a mistake. */
export function checkOptions(options: SessionOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('new Session() needs an options object.', 'Pass at least { secret }.');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new SessionConfigError(`Unknown Session option "${key}".`, `Known options: ${[...KNOWN_OPTIONS].join(', ')}.`);
    }
  }
  const keys = readKeyRing(options.secret);
  const devices = checkDeviceOptions(options.devices);
  const sessionDuration = positive(options.sessionDuration, 'sessionDuration', 30 * MINUTE);
  const absoluteDuration = positive(options.absoluteDuration, 'absoluteDuration', Math.max(8 * 60 * MINUTE, sessionDuration));
  if (absoluteDuration < sessionDuration) {
    throw new SessionConfigError(
      `absoluteDuration (${absoluteDuration} ms) is shorter than sessionDuration (${sessionDuration} ms).`,
      'The absolute lifetime caps the idle one: make it at least as long.',
    );
  }
  const threshold = positive(
    options.sessionExtensionThresholdInMs,
    'sessionExtensionThresholdInMs',
    sessionDuration >= 2 * MINUTE ? sessionDuration - MINUTE : sessionDuration / 2,
  );
  if (threshold > sessionDuration) {
    throw new SessionConfigError(
      `sessionExtensionThresholdInMs (${threshold} ms) is longer than sessionDuration (${sessionDuration} ms).`,
      'It is how much time may be left when a session is extended: keep it at most sessionDuration.',
    );
  }
  const cleanInterval = options.cleanInterval === false ? false : positive(options.cleanInterval, 'cleanInterval', 15 * MINUTE);
  const storeTimeout = positive(options.storeTimeout, 'storeTimeout', 5000);
  const commitTimeout = positive(options.commitTimeout, 'commitTimeout', 5000);
  checkStore(options.store);
  return { keys, devices, sessionDuration, absoluteDuration, threshold, cleanInterval, storeTimeout, commitTimeout };
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SessionConfigError(`${name} must be a positive number of milliseconds, got ${JSON.stringify(value)}.`, `For example ${name}: ${fallback}.`);
  }
  return value;
}

function checkStore(store: unknown): void {
  if (store === undefined) return;
  const missing = STORE_METHODS.filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
  if (missing.length > 0) {
    throw new SessionConfigError(
      `The store has no ${missing.map((method) => `${method}()`).join(', ')}.`,
      'A store extends BaseSessionStore and implements create, get, update, delete and clean.',
    );
  }
}
