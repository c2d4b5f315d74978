/**
 * isSecureFor(): whether the session cookie is Secure for a request URL under `secure: 'auto'`.
 * The answer depends only on scheme and host, so it is remembered per `http://host[:port]` (a
 * bounded memo) and an https URL is never parsed: a request costs no URL parse in the common case.
 * These tests count attempts to parse a URL to pin that, besides the answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSecureFor, resolveCookieOptions } from '../../src/session/session-cookie.ts';

const auto = resolveCookieOptions({});
const RealURL = globalThis.URL;
let parses = 0;
/** A fresh host for each test: the memo lives as long as the module. */
let hosts = 0;
const freshHost = (): string => `host-${++hosts}-${Math.random().toString(36).slice(2)}.example`;

beforeEach(() => {
  parses = 0;
  globalThis.URL = class CountingURL extends RealURL {
    constructor(url: string | URL, base?: string | URL) {
      parses++; // every attempt, also one that throws
      super(url, base);
    }
  } as typeof URL;
});

afterEach(() => {
  globalThis.URL = RealURL;
});

describe('isSecureFor under secure: "auto"', () => {
  it('answers an https URL string without parsing it', () => {
    expect(isSecureFor(auto, `https://${freshHost()}/path`)).toBe(true);
    expect(parses).toBe(0);
  });

  it('parses an http URL once per host: every path, query, fragment or backslash after it shares the answer', () => {
    const host = freshHost();
    expect(isSecureFor(auto, `http://${host}/a`)).toBe(true);
    for (const rest of ['/b', '?q=1', '#top', '\\c', '']) expect(isSecureFor(auto, `http://${host}${rest}`)).toBe(true);
    expect(parses).toBe(1);
  });

  it('remembers plain-http localhost per port', () => {
    const port = 40_000 + hosts++;
    expect(isSecureFor(auto, `http://localhost:${port}/a`)).toBe(false);
    expect(isSecureFor(auto, `http://localhost:${port}/b?x#y`)).toBe(false);
    expect(isSecureFor(auto, `http://localhost:${port + 1}/`)).toBe(false);
    expect(parses).toBe(2);
  });

  it('remembers several hosts at once', () => {
    const [a, b] = [freshHost(), freshHost()];
    for (const host of [a, b, a, b, a]) isSecureFor(auto, `http://${host}/`);
    expect(parses).toBe(2);
  });

  it('forgets once it has seen many hosts: the memo is bounded', () => {
    const first = freshHost();
    isSecureFor(auto, `http://${first}/`);
    for (let n = 0; n < 200; n++) isSecureFor(auto, `http://${freshHost()}/`);
    parses = 0;
    isSecureFor(auto, `http://${first}/`);
    expect(parses).toBe(1);
  });

  it('parses what is not an http URL string every time, and answers it right', () => {
    const local = new RealURL('http://localhost:4321/');
    expect(isSecureFor(auto, local)).toBe(false);
    expect(isSecureFor(auto, new RealURL('https://localhost/'))).toBe(true);
    expect(isSecureFor(auto, 'ftp://localhost/')).toBe(true);
    expect(isSecureFor(auto, 'http:///localhost:4321/')).toBe(false);
    expect(isSecureFor(auto, 'not a url')).toBe(true);
    expect(isSecureFor(auto, undefined)).toBe(true);
    expect(parses).toBe(5);
  });
});
