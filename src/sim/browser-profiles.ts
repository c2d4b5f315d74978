/**
 * What each simulated browser tells the server about itself: its user agent and its address. Data
 * only, apart from the jars (browsers.ts), so the Lab's page code can name a device by its user
 * agent without loading the simulated network.
 *
 * The addresses are from the ranges RFC 5737 sets aside for documentation: they belong to nobody.
 */
import type { BrowserId } from './protocol.ts';

/** What a simulated browser tells the server about itself. */
export interface BrowserProfile {
  /** The `User-Agent` header it sends. */
  userAgent: string;
  /** The address its requests come from (a peer address, not a header: the server sees it on the connection). */
  ip: string;
}

export const BROWSER_IDS: readonly BrowserId[] = ['laptop', 'phone', 'attacker'];

export const BROWSER_PROFILES: Readonly<Record<BrowserId, BrowserProfile>> = {
  laptop: {
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ip: '203.0.113.24',
  },
  phone: {
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    ip: '198.51.100.77',
  },
  attacker: {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    ip: '192.0.2.66',
  },
};

export function isBrowserId(value: unknown): value is BrowserId {
  return typeof value === 'string' && (BROWSER_IDS as readonly string[]).includes(value);
}
