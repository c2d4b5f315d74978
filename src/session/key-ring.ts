/**
 * The key ring: the secrets that sign and verify session cookies, each with an optional window of
 * validity, so a rotation can be scheduled in configuration instead of deployed at the right minute.
 *
 * The newest active key signs (the latest `activeFrom` that has come; among equals, the first in
 * the list, so a plain list of strings keeps its meaning: the first signs). A key verifies only
 * inside its window, `activeFrom ≤ now < retiresAt`: a cookie signed by a retired key is refused,
 * and one signed by a key whose time has not come is not accepted early (OWASP Key Management:
 * keys have a cryptoperiod, and a key past it is not used to protect or accept data).
 */
import { SessionConfigError } from './errors.ts';
import { importSecrets } from './session-token.ts';

/** One key of the ring: a secret and, optionally, when it starts and stops being valid. */
export interface SessionKey {
  /** At least 32 characters, of at least 6 different ones. */
  secret: string;
  /** From when it signs and verifies (ISO 8601 string or `Date`). Default: always. */
  activeFrom?: string | Date;
  /** From when it no longer verifies (ISO 8601 string or `Date`). Default: never. */
  retiresAt?: string | Date;
}

/** The `secret` option: one secret, a list (the first signs, all verify), or a ring of dated keys. */
export type SessionSecret = string | readonly (string | SessionKey)[];

/** A key with its window in milliseconds since the epoch. */
export interface DatedKey {
  secret: string;
  activeFrom: number;
  retiresAt: number;
}

/** Why a correctly signed cookie is refused: its key is outside its window. */
export type KeyRefusal = 'key-retired' | 'key-not-yet-active';

const MIN_SECRET_LENGTH = 32;
/**
 * A secret of fewer different characters is a placeholder (`'x'.repeat(32)`, `'ab'.repeat(16)`), not a
 * secret: 32 random characters of base64, hex or even decimal digits have at least 6 different ones
 * but for a chance too small to matter (decimal digits: about 1 in 17 million).
 */
const MIN_DISTINCT_CHARACTERS = 6;
/**
 * ...and one whose runs of 4 characters repeat (`'password'.repeat(4) + '!'`: 9 different of 30,
 * `'a'.repeat(16) + 'bcdefghijklmnopq'`: 17 of 29) is one too: at least 3 in 4 must differ. In 32
 * random characters all 29 differ but for a small chance (decimal digits, 10,000 possible runs:
 * about 1 in 25 has one repeat, and 28 of 29 still differ).
 */
const MIN_DIFFERENT_RUNS = 3 / 4;
const PLACEHOLDER_HINT =
  'Generate one with `openssl rand -base64 32`, keep it in an environment variable, and pass it as { secret: process.env.SESSION_SECRET! }.';
/** An ISO 8601 date alone, or a date and time that ends in Z or an offset. */
const ZONED_ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;
const KEY_FIELDS = new Set(['secret', 'activeFrom', 'retiresAt']);

/** Reads the `secret` option into dated keys; throws a `SessionConfigError` that says how to fix a mistake. */
export function readKeyRing(option: unknown): DatedKey[] {
  const entries: unknown[] = typeof option === 'string' ? [option] : Array.isArray(option) ? [...(option as unknown[])] : [];
  const keys = entries.map((entry) => readKey(entry));
  if (keys.length === 0 || keys.some((key) => key === null)) {
    throw new SessionConfigError(
      `Session needs a secret of at least ${MIN_SECRET_LENGTH} characters (or a list of them) to sign its cookies.`,
      'Generate one with `openssl rand -base64 32`, keep it in an environment variable, and pass it as { secret: process.env.SESSION_SECRET! }: the constructor refuses it if the variable is unset.',
    );
  }
  const seen = new Set<string>();
  for (const key of keys as DatedKey[]) {
    // A cookie is checked against the window of the first key that verifies it: with one secret
    // listed twice, the other copy's window would never count.
    if (seen.has(key.secret)) {
      throw new SessionConfigError(
        'The secret option lists one secret more than once.',
        'List each secret once; give it one window with activeFrom and retiresAt.',
      );
    }
    seen.add(key.secret);
    const distinct = new Set(key.secret).size;
    if (distinct < MIN_DISTINCT_CHARACTERS) {
      throw new SessionConfigError(
        `A secret of the secret option is made of only ${distinct} different character${distinct === 1 ? '' : 's'}: that is a placeholder, not a secret.`,
        PLACEHOLDER_HINT,
      );
    }
    const runs = runsOfFour(key.secret);
    if (runs.different < runs.total * MIN_DIFFERENT_RUNS) {
      throw new SessionConfigError(
        `A secret of the secret option repeats itself (only ${runs.different} of its ${runs.total} runs of four characters differ): that is a placeholder, not a secret.`,
        PLACEHOLDER_HINT,
      );
    }
  }
  return keys as DatedKey[];
}

/** A secret's runs of 4 characters (`'abcde'`: `'abcd'`, `'bcde'`): how many, and how many of them differ. */
function runsOfFour(secret: string): { different: number; total: number } {
  const runs = new Set<string>();
  const total = secret.length - 3;
  for (let start = 0; start < total; start++) runs.add(secret.slice(start, start + 4));
  return { different: runs.size, total };
}

function readKey(entry: unknown): DatedKey | null {
  if (typeof entry === 'string') return entry.length >= MIN_SECRET_LENGTH ? { secret: entry, activeFrom: -Infinity, retiresAt: Infinity } : null;
  if (typeof entry !== 'object' || entry === null) return null;
  const key = entry as Record<string, unknown>;
  for (const field of Object.keys(key)) {
    if (!KEY_FIELDS.has(field)) throw new SessionConfigError(`A key of the secret option has an unknown field "${field}".`, 'A key is { secret, activeFrom?, retiresAt? }.');
  }
  if (typeof key['secret'] !== 'string' || key['secret'].length < MIN_SECRET_LENGTH) return null;
  const activeFrom = readDate(key['activeFrom'], 'activeFrom', -Infinity);
  const retiresAt = readDate(key['retiresAt'], 'retiresAt', Infinity);
  if (retiresAt <= activeFrom) {
    throw new SessionConfigError(
      `A key's retiresAt (${new Date(retiresAt).toISOString()}) is not after its activeFrom (${new Date(activeFrom).toISOString()}).`,
      'A key must retire after it becomes active: set retiresAt later than activeFrom.',
    );
  }
  return { secret: key['secret'], activeFrom, retiresAt };
}

function readDate(value: unknown, field: 'activeFrom' | 'retiresAt', fallback: number): number {
  if (value === undefined) return fallback;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new SessionConfigError(
      `A key's ${field} cannot be read as a date: ${value instanceof Date ? 'an invalid Date' : JSON.stringify(value)}.`,
      `Give ${field} as an ISO 8601 string such as '2027-01-01T00:00:00Z', or as a Date.`,
    );
  }
  // A time without a zone is read in each server's own zone, so servers in different zones would
  // rotate hours apart, each refusing the other's new key meanwhile. A date alone is UTC (ECMA-262).
  if (typeof value === 'string' && !ZONED_ISO_DATE.test(value)) {
    throw new SessionConfigError(
      `A key's ${field} ${JSON.stringify(value)} has no time zone: every server would read it in its own.`,
      `Give ${field} as an ISO 8601 string that ends in Z or an offset, such as '2027-01-01T00:00:00Z', or as a Date.`,
    );
  }
  // Date.parse reads 2099-02-30 as March 2nd: a day its month does not have is a mistake, not a date.
  if (typeof value === 'string' && !dayExists(value)) {
    throw new SessionConfigError(
      `A key's ${field} ${JSON.stringify(value)} names a day its month does not have.`,
      `Give ${field} as an ISO 8601 string such as '2027-01-01T00:00:00Z', or as a Date.`,
    );
  }
  return time;
}

/** Whether the date an ISO 8601 string starts with (`YYYY-MM-DD`) is a day of its month. */
function dayExists(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** The keys of one Session, imported once, with their windows. */
export class KeyRing {
  readonly #keys: readonly DatedKey[];
  /** No key has dates (a string or a list of strings): the first always signs, every key always verifies. */
  readonly #undated: boolean;
  /** The imported keys, in the order of the option. */
  readonly cryptoKeys: Promise<CryptoKey[]>;

  /** Throws a `SessionConfigError` when no key is active at `now`: the Session could not sign a cookie. */
  constructor(keys: readonly DatedKey[], now: number) {
    this.#keys = keys;
    this.#undated = keys.every((key) => key.activeFrom === -Infinity && key.retiresAt === Infinity);
    if (this.signingIndex(now) === -1) throw noActiveKey(now);
    this.cryptoKeys = importSecrets(keys.map((key) => key.secret));
    this.cryptoKeys.catch(() => {}); // surfaced on first use; never an unhandled rejection
  }

  /** The index of the key that signs at `now` (the newest active one), or -1 when none is active. */
  signingIndex(now: number): number {
    if (this.#undated) return 0;
    let best = -1;
    for (const [index, key] of this.#keys.entries()) {
      if (this.refusal(index, now) === null && (best === -1 || key.activeFrom > this.#keys[best]!.activeFrom)) best = index;
    }
    return best;
  }

  /** The key that signs at `now`; a `SessionConfigError` when every key has retired meanwhile. */
  async signingKey(now: number): Promise<CryptoKey> {
    const index = this.signingIndex(now);
    if (index === -1) throw noActiveKey(now);
    return (await this.cryptoKeys)[index]!;
  }

  /** Why the key at `index` may not verify at `now`, or null when it may. */
  refusal(index: number, now: number): KeyRefusal | null {
    if (this.#undated) return null;
    const key = this.#keys[index]!;
    if (now < key.activeFrom) return 'key-not-yet-active';
    if (now >= key.retiresAt) return 'key-retired';
    return null;
  }
}

function noActiveKey(now: number): SessionConfigError {
  return new SessionConfigError(
    `No key of the secret option is active at ${new Date(now).toISOString()}: every key is retired or not yet active, so no cookie can be signed.`,
    'Add a key whose activeFrom has come and whose retiresAt has not (a key without dates is always active).',
  );
}
