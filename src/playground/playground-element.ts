/**
 * `<session-playground>`: lays the playground out (editor beside the Lab; one panel at a time, as tabs,
 * on a narrow screen) and loads the rest at once: the editor (Monaco, `../editor/editor.ts`) and the code that
 * runs the reader's store (`./playground-app.ts`), each in chunks of their own. This file is all the
 * page loads up front.
 */
import type { PlaygroundApp } from './playground-app.ts';
import type { PanelId, PlaygroundHost } from './playground-host.ts';

/** At this width and below, the panels become tabs. */
const TABS_MAX_WIDTH = 900;

export class PlaygroundElement extends HTMLElement implements PlaygroundHost {
  #app: PlaygroundApp | null = null;
  #disconnect = new AbortController();
  #resize: ResizeObserver | null = null;
  /** The panel shown on a narrow screen, and the one under the editor on a wide one. */
  #narrowPanel: PanelId = 'code';
  #bottomPanel: 'output' | 'checks' = 'output';

  connectedCallback(): void {
    this.#disconnect = new AbortController();
    const { signal } = this.#disconnect;
    const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    for (const key of this.querySelectorAll('[data-pg="mod"], [data-pg="mod-text"]')) key.textContent = mac ? '⌘' : 'Ctrl';

    this.#resize = new ResizeObserver(([entry]) => {
      if (entry) this.#setLayout(entry.contentRect.width <= TABS_MAX_WIDTH ? 'tabs' : 'columns');
    });
    this.#resize.observe(this);
    this.#wireTabs('[data-pg="tablist"]', 'pgTab', (id) => this.show(id as PanelId), signal);
    this.#wireTabs('[data-pg="subtablist"]', 'pgSubtab', (id) => this.show(id as PanelId), signal);
    void this.#load();
  }

  disconnectedCallback(): void {
    this.#disconnect.abort();
    this.#resize?.disconnect();
    this.#app?.dispose();
    this.#app = null;
  }

  /** The running playground, once the editor has loaded (tests and pages that embed it use this). */
  get app(): PlaygroundApp | null {
    return this.#app;
  }

  /** Shows a panel: the tab on a narrow screen, the result pane under the editor on a wide one. */
  show(panel: PanelId): void {
    if (panel === 'output' || panel === 'checks') this.#bottomPanel = panel;
    this.#narrowPanel = panel;
    this.#applyPanels();
    const tabs = this.dataset['layout'] === 'tabs';
    const badge = this.querySelectorAll<HTMLElement>(`[data-pg-badge="${panel}"]`);
    if ((tabs || panel === 'output' || panel === 'checks') && badge.length > 0) for (const item of badge) item.hidden = true;
  }

  /** Marks a panel that has news the reader has not seen (a dot on its tab). */
  notify(panel: PanelId, text: string): void {
    const visible = this.dataset['layout'] === 'tabs' ? this.#narrowPanel === panel : panel === 'code' || panel === 'lab' || this.#bottomPanel === panel;
    if (visible) return;
    for (const badge of this.querySelectorAll<HTMLElement>(`[data-pg-badge="${panel}"]`)) {
      badge.textContent = text;
      badge.hidden = false;
    }
  }

  async #load(): Promise<void> {
    try {
      const [editorModule, appModule] = await Promise.all([import('../editor/editor.ts'), import('./playground-app.ts')]);
      if (!this.isConnected) return;
      this.#app = await appModule.startPlayground(this, editorModule);
      this.#app.editor.setCompact(this.dataset['layout'] === 'tabs');
      this.dispatchEvent(new CustomEvent('playground-ready', { bubbles: true }));
    } catch (error) {
      const text = this.querySelector('[data-pg="status-text"]');
      const status = this.querySelector<HTMLElement>('[data-pg="status"]');
      if (status) status.dataset['tone'] = 'error';
      if (text) text.textContent = `The editor could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
      throw error;
    }
  }

  #setLayout(layout: 'tabs' | 'columns'): void {
    if (this.dataset['layout'] === layout) return;
    this.dataset['layout'] = layout;
    this.#app?.editor.setCompact(layout === 'tabs');
    const tablist = this.querySelector<HTMLElement>('[data-pg="tablist"]');
    if (tablist) tablist.hidden = layout !== 'tabs';
    this.#applyPanels();
  }

  /** Shows and hides panels for the layout, and keeps both tab lists' selection in step. */
  #applyPanels(): void {
    const tabs = this.dataset['layout'] === 'tabs';
    for (const panel of this.querySelectorAll<HTMLElement>('[data-pg-panel]')) {
      const id = panel.dataset['pgPanel'] as PanelId;
      const shown = tabs ? id === this.#narrowPanel : id === 'code' || id === 'lab' || id === this.#bottomPanel;
      panel.hidden = !shown;
      if (tabs) {
        panel.setAttribute('role', 'tabpanel');
        panel.setAttribute('aria-labelledby', `${this.id}-tab-${id}`);
      } else if (id === 'output' || id === 'checks') {
        panel.setAttribute('role', 'tabpanel');
        panel.setAttribute('aria-labelledby', `${this.id}-subtab-${id}`);
      } else {
        panel.removeAttribute('role');
        panel.removeAttribute('aria-labelledby');
      }
    }
    for (const tab of this.querySelectorAll<HTMLElement>('[data-pg-tab]')) this.#select(tab, tab.dataset['pgTab'] === this.#narrowPanel);
    for (const tab of this.querySelectorAll<HTMLElement>('[data-pg-subtab]')) this.#select(tab, tab.dataset['pgSubtab'] === this.#bottomPanel);
  }

  #select(tab: HTMLElement, selected: boolean): void {
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }

  /** The WAI-ARIA APG tabs pattern: arrows, Home and End move between tabs; selection follows focus. */
  #wireTabs(selector: string, key: 'pgTab' | 'pgSubtab', select: (id: string) => void, signal: AbortSignal): void {
    const tablist = this.querySelector<HTMLElement>(selector);
    if (!tablist) return;
    const tabs = (): HTMLElement[] => [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];
    tablist.addEventListener(
      'click',
      (event) => {
        const tab = (event.target as Element).closest<HTMLElement>('[role="tab"]');
        const id = tab?.dataset[key];
        if (id) select(id);
      },
      { signal },
    );
    tablist.addEventListener(
      'keydown',
      (event) => {
        const all = tabs();
        const current = all.indexOf(document.activeElement as HTMLElement);
        if (current === -1) return;
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        const next = step !== undefined ? (current + step + all.length) % all.length : event.key === 'Home' ? 0 : event.key === 'End' ? all.length - 1 : -1;
        const tab = all[next];
        const id = tab?.dataset[key];
        if (!tab || !id) return;
        event.preventDefault();
        select(id);
        tab.focus();
      },
      { signal },
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-playground': PlaygroundElement;
  }
}
