/**
 * readCookie: the value of one cookie in a `Cookie` header, read by the `cookie` package as its
 * `parseCookie(header)[name]` reads it, but without parsing (and decoding) every other cookie of
 * the header: only the pairs where the name occurs are handed to the parser.
 */
import { describe, expect, it, vi } from 'vitest';
import * as cookie from 'cookie';

vi.mock('cookie', async (importOriginal) => {
  const original = await importOriginal<typeof import('cookie')>();
  return { ...original, parseCookie: vi.fn(original.parseCookie) };
});

const { readCookie } = await import('../../src/session/session-cookie.ts');
const parsed = vi.mocked(cookie.parseCookie);
const { parseCookie } = await vi.importActual<typeof import('cookie')>('cookie');

const NAME = '__Host-session';

describe('readCookie', () => {
  it.each([
    ['the only cookie', `${NAME}=abc`],
    ['among others, in the middle', `a=1; ${NAME}=abc; b=2`],
    ['the first of two with the name (the first wins)', `${NAME}=first; ${NAME}=second`],
    ['after a cookie whose value holds the name', `a=${NAME}=evil; ${NAME}=good`],
    ['only inside another cookie\'s value', `a=${NAME}=evil`],
    ['a longer name that starts with it', `${NAME}2=no; x${NAME}=no`],
    ['spaces and tabs around the name and value', `a=1;  \t${NAME} =  abc ;b=2`],
    ['a pair without "=" before it', `junk; ${NAME}=abc`],
    ['a pair without "=" that is the name', `${NAME}; a=1`],
    ['a quoted value', `${NAME}="abc"`],
    ['a percent-encoded value', `${NAME}=a%20b`],
    ['a bad percent-encoding', `${NAME}=a%zzb`],
    ['an empty value', `${NAME}=; a=1`],
    ['trailing semicolons', `${NAME}=abc;;;`],
    ['not there', 'a=1; b=2'],
    ['an empty header', ''],
  ])('answers as the cookie package does: %s', (_situation, header) => {
    expect(readCookie(header, NAME)).toBe(header ? parseCookie(header)[NAME] : undefined);
  });

  it('answers undefined for a missing header', () => {
    expect(readCookie(undefined, NAME)).toBeUndefined();
    expect(readCookie(null, NAME)).toBeUndefined();
  });

  it('parses only the pair that holds the name, not the other cookies of the header', () => {
    parsed.mockClear();
    const others = Array.from({ length: 20 }, (_, index) => `tracker${index}=${'v'.repeat(40)}`).join('; ');
    expect(readCookie(`${others}; ${NAME}=abc; theme=dark`, NAME)).toBe('abc');
    const seen = parsed.mock.calls.map(([text]) => text).join('|');
    expect(seen).toContain(`${NAME}=abc`);
    expect(seen).not.toContain('tracker');
    expect(seen).not.toContain('theme');
  });

  it('parses nothing when the name does not occur', () => {
    parsed.mockClear();
    expect(readCookie('a=1; b=2; c=3', NAME)).toBeUndefined();
    expect(parsed).not.toHaveBeenCalled();
  });
});
