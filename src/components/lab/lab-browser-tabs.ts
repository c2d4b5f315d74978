/**
 * The demo app's browser tabs, when a Lab has several simulated browsers: which browser's page is
 * shown and sends the requests, as the WAI-ARIA tabs pattern (arrows, Home, End; selection follows
 * focus). On the attacker's tab, the attacker's one tool: planting their session cookie in the
 * laptop's jar (session fixation).
 */
import { BALANCER_COOKIE, type BrowserId } from '../../sim/protocol.ts';
import type { DemoShell } from './lab-demo-requests.ts';
import { BROWSER_INFO } from './lab-scenarios.ts';

/** The tab of `browser`, as LabDemoApp.astro renders it. */
function tabOf(browser: BrowserId, panel: HTMLElement, position: number): HTMLButtonElement {
  const tab = document.createElement('button');
  tab.type = 'button';
  tab.setAttribute('role', 'tab');
  tab.id = `${panel.id}-${browser}`;
  tab.setAttribute('aria-controls', panel.id);
  tab.setAttribute('aria-selected', String(position === 0));
  tab.tabIndex = position === 0 ? 0 : -1;
  tab.dataset['browser'] = browser;
  const name = document.createElement('span');
  name.className = 'lab-browser-tab-name';
  name.textContent = BROWSER_INFO[browser].label;
  const device = document.createElement('span');
  device.className = 'lab-browser-tab-device';
  device.textContent = BROWSER_INFO[browser].device;
  tab.append(name, device);
  return tab;
}

/** The victim of the fixation demo: the browser the attacker plants a cookie in. */
const VICTIM: BrowserId = 'laptop';

export class DemoBrowserTabs {
  readonly #app: DemoShell;
  #tabs: HTMLButtonElement[];
  readonly #select: (browser: BrowserId) => void;

  constructor(app: DemoShell, select: (browser: BrowserId) => void) {
    this.#app = app;
    this.#select = select;
    const tablist = app.context.part('browser-tabs');
    this.#tabs = [...(tablist?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [])];
    // The page URL may ask for other browsers than the page's props (`/lab/?browsers=laptop,phone`).
    const wanted = app.context.config.browsers;
    const panel = app.context.part('browser');
    if (tablist && panel && wanted.join() !== this.#tabs.map((tab) => tab.dataset['browser']).join()) {
      this.#tabs = wanted.map((browser, position) => tabOf(browser, panel, position));
      tablist.replaceChildren(...this.#tabs);
    }
    if (tablist && panel) {
      const several = wanted.length > 1;
      tablist.hidden = !several;
      if (several) panel.setAttribute('role', 'tabpanel');
      else {
        panel.removeAttribute('role');
        panel.removeAttribute('aria-labelledby');
      }
    }
    tablist?.addEventListener('click', (event) => {
      const tab = (event.target as Element).closest<HTMLButtonElement>('[role="tab"]');
      if (tab) this.#choose(tab);
    });
    tablist?.addEventListener('keydown', (event) => {
      const current = this.#tabs.indexOf(document.activeElement as HTMLButtonElement);
      if (current === -1) return;
      const rtl = getComputedStyle(tablist).direction === 'rtl';
      const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      const count = this.#tabs.length;
      const next = step !== undefined ? (current + step + count) % count : event.key === 'Home' ? 0 : event.key === 'End' ? count - 1 : -1;
      const tab = this.#tabs[next];
      if (!tab) return;
      event.preventDefault();
      this.#choose(tab);
      tab.focus();
    });
    app.context.part('plant')?.addEventListener('click', () => this.#plant());
  }

  /** Marks `browser`'s tab selected, and shows the attacker's tools on the attacker's tab. */
  show(browser: BrowserId): void {
    for (const tab of this.#tabs) {
      const selected = tab.dataset['browser'] === browser;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && this.#tabs.length > 1) this.#app.context.part('browser')?.setAttribute('aria-labelledby', tab.id);
    }
    // The Inspector shows the jar of the browser whose page is shown: say whose.
    const jar = this.#app.context.part('jar-browser');
    if (jar) {
      jar.textContent = ` of the ${BROWSER_INFO[browser].label}`;
      jar.hidden = this.#tabs.length < 2;
    }
    const tools = this.#app.context.part('attacker-tools');
    if (tools) tools.hidden = browser !== 'attacker' || !this.#tabs.some((tab) => tab.dataset['browser'] === VICTIM);
  }

  #choose(tab: HTMLButtonElement): void {
    const browser = tab.dataset['browser'] as BrowserId | undefined;
    if (browser) this.#select(browser);
  }

  /** Copies the attacker's session cookie into the victim's jar, as a planted cookie. */
  #plant(): void {
    const controller = this.#app.context.controller;
    if (!controller) return;
    const victim = BROWSER_INFO[VICTIM].label;
    const cookie = controller.cookies('attacker').find((candidate) => candidate.name !== BALANCER_COOKIE);
    if (!cookie) {
      this.#app.result('attacker', 'warn', 'You have no session cookie to plant yet.', 'Sign in here first (as mallory): the attacker needs a cookie of their own from this site.');
      return;
    }
    try {
      controller.plantCookie(cookie.name, { from: 'attacker', to: VICTIM });
    } catch (error) {
      this.#app.result('attacker', 'error', 'The cookie could not be planted.', error instanceof Error ? error.message : String(error));
      return;
    }
    this.#app.context.refresh();
    this.#app.result(
      'attacker',
      'warn',
      `Your cookie is planted in the ${victim}’s browser.`,
      `The ${victim} now sends your session cookie as its own. Switch to the ${victim} and sign in as the victim: if the server kept the session id, your copy would now be signed in as them.`,
    );
  }
}
