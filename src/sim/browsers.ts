/**
 * The simulated browsers: a laptop, a phone and an attacker's machine, each with a cookie jar of its
 * own, a user agent it sends and an address the server sees it come from (browser-profiles.ts). The
 * Lab page's requests go out from one of them at a time: the one the reader picked when the request
 * was made.
 */
import type { Clock } from '../session/index.ts';
import { BROWSER_IDS, BROWSER_PROFILES, isBrowserId, type BrowserProfile } from './browser-profiles.ts';
import { CookieJar, type JarChange } from './cookie-jar.ts';
import type { BrowserId } from './protocol.ts';

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
