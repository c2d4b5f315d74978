/**
 * `<session-lab>`: the Lab's custom element. This file is all a page with a Lab loads up front: it
 * lays the panels out (two columns, or tabs when the Lab is narrow) and starts the simulation
 * lazily, when the Lab comes into view or is first used. The simulated server and the panels'
 * code are separate chunks, imported then; nothing here pulls in an editor or the network mock.
 */
import type { SimController, StoreChoice } from '../../sim/protocol.ts';
import type { MountedLab } from './lab-app.ts';
import type { LabConfig } from './lab-context.ts';
import {
  LAB_PANELS,
  isLabPanel,
  isLabPolicy,
  isLabScenario,
  isLabServerCount,
  isLabStore,
  labBrowsers,
  type LabScenarioName,
  type LabStore,
} from './lab-scenarios.ts';

/** At this width and below the panels become tabs (the docs content column is 45rem = 720px). */
const TABS_MAX_WIDTH = 720;

export class SessionLabElement extends HTMLElement {
  #loading: Promise<MountedLab | null> | null = null;
  #lab: MountedLab | null = null;
  #disconnect = new AbortController();
  #visibility: IntersectionObserver | null = null;
  #resize: ResizeObserver | null = null;
  /** A form submitted or button pressed before the panels' code arrived: replayed once it has. */
  #pending: HTMLFormElement | HTMLButtonElement | null = null;

  connectedCallback(): void {
    this.#disconnect = new AbortController();
    const { signal } = this.#disconnect;

    this.#resize = new ResizeObserver(([entry]) => {
      if (entry) this.#setLayout(entry.contentRect.width <= TABS_MAX_WIDTH ? 'tabs' : 'columns');
    });
    this.#resize.observe(this);
    this.#wireTabs(signal);

    // Forms here never navigate: the demo app sends its requests with fetch().
    this.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        if (!this.#lab && event.target instanceof HTMLFormElement) this.#pending = event.target;
        void this.start({ takeOver: true });
      },
      { signal },
    );
    this.addEventListener(
      'click',
      (event) => {
        const button = (event.target as Element | null)?.closest?.('button');
        if (!button || button.closest('[role="tablist"]')) return;
        if (!this.#lab && button.type === 'button') this.#pending = button;
        void this.start({ takeOver: true });
      },
      { signal },
    );
    // Using a Lab (keyboard focus inside it) starts it, or hands the page's simulation over to it.
    this.addEventListener('focusin', () => void this.start({ takeOver: true }), { signal });

    this.#visibility = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          this.#visibility?.disconnect();
          void this.start({ takeOver: false });
        }
      },
      { rootMargin: '200px' },
    );
    this.#visibility.observe(this);
  }

  disconnectedCallback(): void {
    this.#disconnect.abort();
    this.#visibility?.disconnect();
    this.#resize?.disconnect();
    const lab = this.#lab;
    this.#lab = null;
    this.#loading = null;
    void lab?.dispose();
  }

  /**
   * The running simulation, for a page that drives this Lab (the playground): starts it first, taking
   * the page's simulation over if another Lab runs. Rejects when the Lab's code cannot load.
   */
  async simulation(): Promise<SimController> {
    await this.start({ takeOver: true });
    const lab = await this.#loading;
    if (!lab) throw new Error('The Lab could not load.');
    return lab.ready;
  }

  /** Runs this Lab's server on a store the page provides (see `MountedLab.useStore`). */
  async useStore(choice: StoreChoice, label: string): Promise<void> {
    await this.simulation();
    const lab = await this.#loading;
    await lab?.useStore(choice, label);
  }

  /** Loads the panels' code (once), then starts the simulation. */
  async start({ takeOver }: { takeOver: boolean }): Promise<void> {
    this.#loading ??= this.#load();
    const lab = await this.#loading;
    await lab?.start({ takeOver });
  }

  async #load(): Promise<MountedLab | null> {
    let mountLab: typeof import('./lab-app.ts').mountLab;
    try {
      ({ mountLab } = await import('./lab-app.ts'));
    } catch (error) {
      // A deploy replaced the chunk, or the network dropped: say so, and let the next use try again.
      this.#loading = null;
      const text = this.querySelector('[data-lab="status-text"]');
      if (text) text.textContent = `The Lab could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
      return null;
    }
    if (!this.isConnected) return null;
    const lab = mountLab(this, this.#config());
    this.#lab = lab;
    const pending = this.#pending;
    this.#pending = null;
    if (pending instanceof HTMLFormElement) pending.requestSubmit();
    else pending?.click();
    return lab;
  }

  /** Props from Lab.astro, and from the page URL when the Lab allows it (`/lab/?store=memory&servers=2&balancer=sticky&browsers=laptop,phone`). */
  #config(): LabConfig {
    const query = this.hasAttribute('data-from-query') ? new URLSearchParams(location.search) : null;
    const queryStore = query?.get('store');
    const queryScenario = query?.get('scenario');
    const store: LabStore = isLabStore(queryStore) ? queryStore : isLabStore(this.dataset['store']) ? this.dataset['store'] : 'indexeddb';
    const scenario: LabScenarioName | null = isLabScenario(queryScenario)
      ? queryScenario
      : isLabScenario(this.dataset['scenario'])
        ? this.dataset['scenario']
        : null;
    const panels = (this.dataset['panels'] ?? '').split(/\s+/).filter(isLabPanel);
    const queryServers = Number(query?.get('servers'));
    const servers = isLabServerCount(queryServers) ? queryServers : Number(this.dataset['servers']);
    const queryBalancer = query?.get('balancer');
    const balancer = isLabPolicy(queryBalancer) ? queryBalancer : this.dataset['balancer'];
    return {
      base: import.meta.env.BASE_URL,
      store,
      scenario,
      panels: panels.length > 0 ? panels : [...LAB_PANELS],
      database: this.dataset['database'] ?? null,
      servers: isLabServerCount(servers) ? servers : 1,
      balancer: isLabPolicy(balancer) ? balancer : 'round-robin',
      browsers: labBrowsers(query?.get('browsers')) ?? labBrowsers(this.dataset['browsers']) ?? ['laptop'],
    };
  }

  #setLayout(layout: 'tabs' | 'columns'): void {
    if (this.dataset['layout'] === layout) return;
    this.dataset['layout'] = layout;
    const tablist = this.querySelector<HTMLElement>('[data-lab="tablist"]');
    const tabsOn = layout === 'tabs' && tablist !== null;
    if (tablist) tablist.hidden = !tabsOn;
    for (const tab of this.#tabs()) {
      const panel = this.#panelOf(tab);
      if (!panel) continue;
      if (tabsOn) {
        panel.setAttribute('role', 'tabpanel');
        panel.setAttribute('aria-labelledby', tab.id);
        panel.hidden = tab.getAttribute('aria-selected') !== 'true';
      } else {
        panel.removeAttribute('role');
        panel.removeAttribute('aria-labelledby');
        panel.hidden = false;
      }
    }
    this.dispatchEvent(new CustomEvent('lab-layout', { detail: layout }));
  }

  #tabs(): HTMLButtonElement[] {
    return [...this.querySelectorAll<HTMLButtonElement>('[data-lab="tablist"] [role="tab"]')];
  }

  #panelOf(tab: HTMLElement): HTMLElement | null {
    const id = tab.getAttribute('aria-controls');
    return id ? this.querySelector<HTMLElement>(`#${CSS.escape(id)}`) : null;
  }

  /** Selects a tab: shows its panel, hides the others. */
  selectTab(tab: HTMLButtonElement, focus = false): void {
    for (const other of this.#tabs()) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      const panel = this.#panelOf(other);
      if (panel && this.dataset['layout'] === 'tabs') panel.hidden = !selected;
    }
    if (focus) tab.focus();
    this.dispatchEvent(new CustomEvent('lab-tab', { detail: tab.dataset['tab'] }));
  }

  /** The tabs pattern of WAI-ARIA APG: arrows, Home and End move between tabs; selection follows focus. */
  #wireTabs(signal: AbortSignal): void {
    const tablist = this.querySelector<HTMLElement>('[data-lab="tablist"]');
    if (!tablist) return;
    tablist.addEventListener(
      'click',
      (event) => {
        const tab = (event.target as Element).closest<HTMLButtonElement>('[role="tab"]');
        if (tab) this.selectTab(tab);
      },
      { signal },
    );
    tablist.addEventListener(
      'keydown',
      (event) => {
        const tabs = this.#tabs();
        const current = tabs.indexOf(document.activeElement as HTMLButtonElement);
        if (current === -1) return;
        const rtl = getComputedStyle(this).direction === 'rtl';
        const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
        let next: number | undefined;
        if (step !== undefined) next = (current + step + tabs.length) % tabs.length;
        else if (event.key === 'Home') next = 0;
        else if (event.key === 'End') next = tabs.length - 1;
        const tab = next === undefined ? undefined : tabs[next];
        if (!tab) return;
        event.preventDefault();
        this.selectTab(tab, true);
      },
      { signal },
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-lab': SessionLabElement;
  }
}
