/**
 * The `secret` option read into a key ring: which secrets and dates are accepted, which are refused
 * at construction, and which key of a ring signs when several are active.
 */
import { describe, expect, it } from 'vitest';
import { SessionConfigError } from 'sessionlab';
import { KeyRing, readKeyRing } from '../../src/session/key-ring.ts';

const A = 'key-a-that-is-long-enough-to-sign-cookies';
const B = 'key-b-that-is-long-enough-to-sign-cookies';
const C = 'key-c-that-is-long-enough-to-sign-cookies';
const NOW = Date.parse('2026-03-01T09:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('a secret', () => {
  it('of 32 characters is long enough, as a string or as a key; 31 are not', () => {
    const exactly32 = 'abcdefghijklmnopqrstuvwxyz012345';
    expect(readKeyRing(exactly32)).toEqual([{ secret: exactly32, activeFrom: -Infinity, retiresAt: Infinity }]);
    expect(readKeyRing([{ secret: exactly32 }])).toEqual([{ secret: exactly32, activeFrom: -Infinity, retiresAt: Infinity }]);
    expect(() => readKeyRing(exactly32.slice(1))).toThrow(SessionConfigError);
    expect(() => readKeyRing([{ secret: exactly32.slice(1) }])).toThrow(SessionConfigError);
  });

  it.each([
    ['one character repeated', 'x'.repeat(32), 'only 1 different character:'],
    ['two characters repeated', 'ab'.repeat(16), 'only 2 different characters:'],
    ['five characters repeated, as a key', [{ secret: '12345'.repeat(8) }], 'only 5 different characters:'],
    ['a placeholder after a real secret', [A, 'abcde'.repeat(7)], 'only 5 different characters:'],
  ])('made of fewer than 6 different characters (%s) is refused as a placeholder', (_name, option, message) => {
    expect(() => readKeyRing(option)).toThrow(SessionConfigError);
    expect(() => readKeyRing(option)).toThrow(message);
    expect(() => readKeyRing(option)).toThrow('that is a placeholder, not a secret');
  });

  it.each([
    ['a word repeated', 'password'.repeat(4), 8, 29],
    ['a word repeated, and one more character', 'password'.repeat(4) + '!', 9, 30],
    ['one more character, and a word repeated', '!' + 'changeme'.repeat(4), 9, 30],
    ['a phrase repeated', 'keyboard cat '.repeat(3), 13, 36],
    ['a long run, then the alphabet', 'a'.repeat(16) + 'bcdefghijklmnopq', 17, 29],
    ['half the secret twice, as a key', [{ secret: 'abcdefghijklmnopqr'.repeat(2) }], 18, 33],
    ['a repeated secret after a real one', [A, 'session-secret'.repeat(3)], 14, 39],
    ['one run too many repeated: 30 of 41', 'abcdefghijklmnopqrstuvwxyz0123' + 'abcdefghijklmn', 30, 41],
  ])('that repeats itself (%s) is refused as a placeholder, saying how much differs', (_name, option, different, total) => {
    expect(() => readKeyRing(option)).toThrow(SessionConfigError);
    expect(() => readKeyRing(option)).toThrow(
      `repeats itself (only ${different} of its ${total} runs of four characters differ): that is a placeholder, not a secret`,
    );
  });

  it.each([
    ['a passphrase', 'correct-horse-battery-staple-4821'],
    ['random base64', 'q3M5kJx0bZr8W1vYtN4cPaLs7dHf2GeU'],
    ['exactly 3 in 4 runs different: 30 of 40', 'abcdefghijklmnopqrstuvwxyz0123' + 'abcdefghijklm'],
  ])('that repeats little of itself (%s) is accepted', (_name, secret) => {
    expect(readKeyRing(secret)).toEqual([{ secret, activeFrom: -Infinity, retiresAt: Infinity }]);
  });

  it('of exactly 6 different characters is accepted: random decimal digits have that many', () => {
    const six = '11223344556612345665432114253662';
    expect(readKeyRing(six)).toEqual([{ secret: six, activeFrom: -Infinity, retiresAt: Infinity }]);
  });

  it.each([
    ['a key that is null', [null]],
    ['a key that is a number', [42]],
    ['a key whose secret is a number', [{ secret: 1234567890 }]],
    ['a key whose secret is a list', [{ secret: [...'x'.repeat(40)] }]],
    ['an empty list', []],
    ['no secret', undefined],
    ['a number', 12345],
  ])('is refused as %s, with a SessionConfigError', (_, option) => {
    expect(() => readKeyRing(option)).toThrow(SessionConfigError);
    expect(() => readKeyRing(option)).toThrow(/needs a secret of at least 32 characters/);
  });
});

describe('a key\'s dates', () => {
  it.each(['2027-01-01', '2027-01-01T00:00Z', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00.123Z', '2027-01-01T09:00+09:00', '2027-01-01t00:00:00z'])(
    'are read from the zoned ISO 8601 form %j',
    (activeFrom) => {
      expect(readKeyRing([{ secret: A, activeFrom }])[0]!.activeFrom).toBe(Date.parse(activeFrom));
    },
  );

  it('are read from a Date', () => {
    expect(readKeyRing([{ secret: A, retiresAt: new Date(NOW) }])[0]!.retiresAt).toBe(NOW);
  });

  it.each([
    // Each of these Date.parse reads in the server's own time zone.
    ['a date in words', 'Thu 2027-01-01'],
    ['a date with a word before it', 'from 2027-01-01'],
    ['a five-digit year', '12027-01-01'],
    ['a time without a zone', '2027-01-01T00:00:00'],
  ])('are refused as %s (%j), which every server would read in its own zone', (_, activeFrom) => {
    expect(() => readKeyRing([{ secret: A, activeFrom }])).toThrow(/has no time zone/);
  });

  it.each([
    ['retiresAt', '2099-02-30T00:00:00Z'],
    ['retiresAt', '2099-04-31T00:00Z'],
    ['activeFrom', '2100-02-29'],
    ['activeFrom', '2027-06-31T12:00:00+02:00'],
  ] as const)('are refused when %s names a day its month does not have (%j), which Date.parse would roll over', (field, value) => {
    expect(() => readKeyRing([{ secret: A, [field]: value }])).toThrow(SessionConfigError);
    expect(() => readKeyRing([{ secret: A, [field]: value }])).toThrow(`A key's ${field} "${value}" names a day its month does not have.`);
  });

  it('are read on the last day of a month, and on February 29th of a leap year', () => {
    expect(readKeyRing([{ secret: A, retiresAt: '2028-02-29T00:00:00Z' }])[0]!.retiresAt).toBe(Date.UTC(2028, 1, 29));
    expect(readKeyRing([{ secret: A, retiresAt: '2027-04-30' }])[0]!.retiresAt).toBe(Date.UTC(2027, 3, 30));
    expect(readKeyRing([{ secret: A, retiresAt: '2027-12-31T23:59:59Z' }])[0]!.retiresAt).toBe(Date.UTC(2027, 11, 31, 23, 59, 59));
  });

  it('are refused as a number, which is not a documented form', () => {
    // Date.parse(5) reads "5" as a local date in 2001.
    expect(() => readKeyRing([{ secret: A, activeFrom: 5 as never }])).toThrow(/activeFrom cannot be read as a date/);
    expect(() => readKeyRing([{ secret: A, retiresAt: NOW as never }])).toThrow(/retiresAt cannot be read as a date/);
  });
});

describe('the key that signs', () => {
  it('is the newest active one, wherever it is listed', () => {
    const keys = readKeyRing([
      { secret: A, activeFrom: iso(NOW - HOUR) },
      { secret: B, activeFrom: iso(NOW - 2 * HOUR) },
      { secret: C, activeFrom: iso(NOW + HOUR) },
    ]);
    expect(new KeyRing(keys, NOW).signingIndex(NOW)).toBe(0);
    expect(new KeyRing(keys, NOW).signingIndex(NOW + HOUR)).toBe(2);
  });

  it('is the first listed of keys active since the same time', () => {
    const keys = readKeyRing([
      { secret: A, activeFrom: iso(NOW - HOUR) },
      { secret: B, activeFrom: iso(NOW - HOUR) },
    ]);
    expect(new KeyRing(keys, NOW).signingIndex(NOW)).toBe(0);
    expect(new KeyRing(readKeyRing([A, { secret: B, retiresAt: iso(NOW + HOUR) }]), NOW).signingIndex(NOW)).toBe(0);
  });

  it('is the first of a plain list, whose keys all verify', () => {
    const ring = new KeyRing(readKeyRing([A, B]), NOW);
    expect(ring.signingIndex(NOW)).toBe(0);
    expect([ring.refusal(0, NOW), ring.refusal(1, NOW)]).toEqual([null, null]);
  });
});
