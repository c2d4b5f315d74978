/**
 * The simulated browsers: a laptop, a phone and an attacker's machine, each with a cookie jar of its
 * own, a user agent it sends and an address the server sees it come from. The Lab page's requests
 * go out from one of them at a time: the one the reader picked when the request was made.
 *
 * The addresses are from the ranges RFC 5737 sets aside for documentation: they belong to nobody.
 */
import type { Clock } from '../session/index.ts';
import { CookieJar, type JarChange } from './cookie-jar.ts';
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

/** One simulated browser: its jar and its profile. */
export interface SimBrowser extends BrowserProfile {
  id: BrowserId;
  jar: CookieJar;
}

/** The Lab's browsers, and which one the page's requests go out from. */
export class Browsers {
  readonly #browsers: Map<BrowserId, SimBrowser>;
  #current: BrowserId;

  /**
   * `report` hears every jar change, with the browser it happened in. Throws on an unknown or
   * repeated browser, or none at all.
   */
  constructor(ids: readonly BrowserId[], clock: Clock, report: (browser: BrowserId, change: JarChange) => void) {
    const unknown = ids.find((id) => !isBrowserId(id));
    if (ids.length === 0 || unknown !== undefined || new Set(ids).size !== ids.length) {
      throw new TypeError(
        `LabOptions.browsers must list some of ${BROWSER_IDS.map((id) => `'${id}'`).join(', ')}, each once, got ${JSON.stringify(ids)}. Default: ['laptop'].`,
      );
    }
    this.#browsers = new Map(
      ids.map((id) => {
        const jar = new CookieJar({ clock });
        jar.on((change) => report(id, change));
        return [id, { id, jar, ...BROWSER_PROFILES[id] }];
      }),
    );
    this.#current = ids[0]!;
  }

  get ids(): BrowserId[] {
    return [...this.#browsers.keys()];
  }

  get current(): BrowserId {
    return this.#current;
  }

  /** Makes `id` the browser the page's requests go out from. Throws when the Lab has no such browser. */
  use(id: BrowserId): void {
    this.get(id);
    this.#current = id;
  }

  /** Browser `id`, or the current one. Throws when the Lab has no such browser. */
  get(id: BrowserId = this.#current): SimBrowser {
    const browser = this.#browsers.get(id);
    if (!browser) throw new RangeError(`This Lab has no browser ${JSON.stringify(id)}; it has ${this.ids.map((known) => `'${known}'`).join(', ')}.`);
    return browser;
  }

  /** Empties every browser's jar. */
  clear(): void {
    for (const browser of this.#browsers.values()) browser.jar.clear();
  }

  /** Every browser drops what expired on the clock. */
  sweep(): void {
    for (const browser of this.#browsers.values()) browser.jar.sweep();
  }
}
