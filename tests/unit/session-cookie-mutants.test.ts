/**
 * readCookie with a one-character cookie name: the name then also occurs as a bare pair, or as the
 * last character of another cookie's value, and the search for the next pair must step past it.
 */
import { describe, expect, it } from 'vitest';
import { parseCookie } from 'cookie';
import { readCookie } from '../../src/session/session-cookie.ts';

describe('readCookie with a one-character name', () => {
  it.each([
    ['after a bare pair that is the name', 'x;x=1'],
    ['after a cookie whose value ends with the name', 'a=x; x=1'],
  ])('answers as the cookie package does: %s', (_situation, header) => {
    expect(parseCookie(header)['x']).toBe('1');
    expect(readCookie(header, 'x')).toBe('1');
  });
});
