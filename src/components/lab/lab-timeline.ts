/**
 * The timeline: every event in order, grouped by the request it belongs to, filtered by kind, and
 * drawn either as a list or as a sequence diagram. The newest entry is announced to screen readers.
 */
import type { SimEvent } from '../../sim/protocol.ts';
import type * as Sequence from './lab-sequence.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { describeEvent, requestIdOf, serverName, type EventCategory, type EventView } from './lab-events.ts';
import { formatDateTime, formatDay, formatTime } from './lab-format.ts';
import { BROWSER_INFO, isSharedStore, storeLabel } from './lab-scenarios.ts';

const EMPTY_TEXT = 'No events yet. Sign in in the demo app, or move the clock.';

/** Older entries are dropped from the page beyond this many (the simulation keeps them all). */
const MAX_ENTRIES = 600;

interface Group {
  item: HTMLLIElement;
  list: HTMLOListElement;
  /** The seq of its response, once it has one: a jar change right after it belongs to it too. */
  responseSeq: number | null;
  /** The request's time as shown, so its rows need not repeat it. */
  time: string;
  /** The two-tabs request's tabs went to two servers: each step names the one it ran on. */
  split: boolean;
}

export class LabTimeline implements LabPart {
  readonly #context: LabContext;
  readonly #list: HTMLOListElement | null;
  readonly #scroller: HTMLElement | null;
  readonly #diagram: HTMLElement | null;
  readonly #diagramBody: HTMLElement | null;
  readonly #newest: HTMLElement | null;
  readonly #hidden = new Set<EventCategory>();
  readonly #groups = new Map<number, Group>();
  /** Every event shown since the last "Clear", for the diagram. */
  #events: SimEvent[] = [];
  #lastSeq = 0;
  #lastDay = '';
  #view: 'list' | 'diagram';
  #unseen = 0;
  #diagramStale = true;
  /** The diagram's drawing code: loaded when the diagram is first shown, as many readers never open it. */
  #sequence: typeof Sequence | null = null;
  #loadingSequence: Promise<void> | null = null;

  constructor(context: LabContext) {
    this.#context = context;
    this.#list = context.part<HTMLOListElement>('timeline-list');
    this.#scroller = context.part('timeline');
    this.#diagram = context.part('diagram');
    this.#diagramBody = context.part('diagram-body');
    this.#newest = context.part('newest');
    this.#view = this.#list ? 'list' : 'diagram';

    context.part('filters')?.addEventListener('change', (event) => {
      const input = event.target as HTMLInputElement;
      const category = input.value as EventCategory;
      if (input.checked) this.#hidden.delete(category);
      else this.#hidden.add(category);
      this.#applyFilters();
    });
    context.part('view')?.addEventListener('change', (event) => {
      this.#setView((event.target as HTMLInputElement).value === 'diagram' ? 'diagram' : 'list');
    });
    context.part('clear')?.addEventListener('click', () => this.#clear());
    context.root.addEventListener('lab-tab', () => this.#markSeenIfVisible());
    context.root.addEventListener('lab-layout', () => this.#markSeenIfVisible());
  }

  /** A new simulation numbers its events from 1 again: start a fresh timeline. */
  onStart(): void {
    this.#lastSeq = 0;
    this.#clear('');
  }

  onEvents(events: readonly SimEvent[]): void {
    const fresh = events.filter((event) => event.seq > this.#lastSeq);
    if (fresh.length === 0) return;
    this.#lastSeq = fresh[fresh.length - 1]?.seq ?? this.#lastSeq;
    this.#events.push(...fresh);
    if (this.#events.length > MAX_ENTRIES) this.#events.splice(0, this.#events.length - MAX_ENTRIES);

    const follow = this.#atBottom(this.#view === 'list' ? this.#scroller : this.#diagram);
    if (this.#list) for (const event of fresh) this.#append(event);
    this.#trim();
    this.#diagramStale = true;
    if (this.#view === 'diagram') this.#renderDiagram();
    this.#updateEmpty();
    if (follow) this.#scrollToEnd();

    const last = fresh[fresh.length - 1];
    if (last && this.#newest) {
      const view = describeEvent(last, this.#context.config.base);
      this.#newest.textContent = `${view.title}. ${view.detail}`;
    }
    this.#countUnseen(fresh.length);
  }

  /** One event: a row of its request's group, the start of a new group, or a row of its own. */
  #append(event: SimEvent): void {
    const list = this.#list;
    if (!list) return;
    const day = formatDay(event.at);
    if (this.#lastDay && day !== this.#lastDay) list.append(this.#dayMarker(event.at));
    this.#lastDay = day;

    const view = describeEvent(event, this.#context.config.base);
    const requestId = requestIdOf(event);
    const group = event.kind === 'request' ? undefined : requestId === null ? this.#groupBefore(event) : this.#groups.get(requestId);
    // Inside a request, a row shows its time only when it differs from the request's (a slow store).
    const shown = group?.split && event.kind === 'session' && event.server !== undefined ? { ...view, server: event.server } : view;
    const row = this.#row(event, shown, group && group.time === formatTime(event.at));

    if (event.kind === 'request') {
      const item = document.createElement('li');
      item.className = 'lab-group';
      item.dataset['status'] = 'pending';
      const inner = document.createElement('ol');
      inner.className = 'lab-group-list';
      inner.setAttribute('aria-label', `${view.title}, step by step`);
      item.append(row, inner);
      list.append(item);
      const split = event.tabs !== undefined && event.tabs[0] !== event.tabs[1];
      this.#groups.set(event.id, { item, list: inner, responseSeq: null, time: formatTime(event.at), split });
      this.#hideIfFiltered(row, view.category);
      return;
    }

    const item = document.createElement('li');
    item.append(row);
    this.#hideIfFiltered(item, view.category);
    if (group) {
      group.list.append(item);
      if (event.kind === 'response') {
        group.responseSeq = event.seq;
        group.item.dataset['status'] = String(event.status);
        group.item.dataset['tone'] = view.tone;
      }
      this.#syncGroup(group.item);
    } else {
      item.className = 'lab-single';
      list.append(item);
    }
  }

  /**
   * A jar change that follows a response at once is that response's cookie arriving (an edit by hand
   * or an expiry is the browser's own doing, and stands alone).
   */
  #groupBefore(event: SimEvent): Group | undefined {
    if (event.kind !== 'jar' || event.step === 'edited' || event.step === 'expired') return undefined;
    for (const group of this.#groups.values()) {
      if (group.responseSeq !== null && group.responseSeq === event.seq - 1) {
        group.responseSeq = event.seq; // a second cookie in the same response joins too
        return group;
      }
    }
    return undefined;
  }

  #row(event: SimEvent, view: EventView, sameTime = false): HTMLElement {
    const row = document.createElement('div');
    row.className = 'lab-ev';
    row.dataset['category'] = view.category;
    row.dataset['tone'] = view.tone;
    row.dataset['kind'] = event.kind;
    const time = document.createElement('time');
    time.className = 'lab-ev-time';
    time.dateTime = new Date(event.at).toISOString();
    time.textContent = formatTime(event.at);
    time.title = formatDateTime(event.at);
    if (sameTime) time.classList.add('lab-ev-time-same');
    const body = document.createElement('span');
    body.className = 'lab-ev-body';
    const title = document.createElement('span');
    title.className = 'lab-ev-title';
    title.textContent = view.title;
    body.append(title);
    if (view.detail) {
      const detail = document.createElement('span');
      detail.className = 'lab-ev-detail';
      detail.textContent = view.detail;
      body.append(' ', detail);
    }
    const tag = document.createElement('span');
    tag.className = 'lab-ev-tag';
    tag.textContent = CATEGORY_TAG[view.category];
    tag.setAttribute('aria-hidden', 'true');
    row.append(time, tag, body);
    // Which server: named in words (not colour alone) beside the request or server step.
    // The two-tabs demo's request names the server of each tab.
    if (view.server !== undefined) {
      const chips = (view.tabs ?? [view.server]).map((id, index) => {
        const server = document.createElement('span');
        server.className = 'lab-ev-server';
        server.dataset['server'] = String(id ?? 'none');
        server.textContent = view.tabs ? `Tab ${index + 1}: ${serverName(id)}` : serverName(id);
        return server;
      });
      row.dataset['server'] = String(view.server ?? 'none');
      body.prepend(...chips.flatMap((chip) => [chip, ' ']));
    }
    // Which browser: named beside its requests and jar changes, when the Lab has several.
    if (view.browser !== undefined) {
      const browser = document.createElement('span');
      browser.className = 'lab-ev-browser';
      browser.dataset['browser'] = view.browser;
      browser.textContent = BROWSER_INFO[view.browser].label;
      row.dataset['browser'] = view.browser;
      body.prepend(browser, ' ');
    }
    return row;
  }

  #dayMarker(at: number): HTMLLIElement {
    const marker = document.createElement('li');
    marker.className = 'lab-day';
    marker.textContent = formatDay(at);
    return marker;
  }

  #hideIfFiltered(element: HTMLElement, category: EventCategory): void {
    element.dataset['category'] = category;
    element.hidden = this.#hidden.has(category);
  }

  /** A group shows while any of its rows does. */
  #syncGroup(group: HTMLElement): void {
    const rows = group.querySelectorAll<HTMLElement>('[data-category]');
    group.hidden = [...rows].every((row) => row.hidden);
  }

  #applyFilters(): void {
    const list = this.#list;
    if (list) {
      for (const element of list.querySelectorAll<HTMLElement>('[data-category]')) {
        element.hidden = this.#hidden.has(element.dataset['category'] as EventCategory);
      }
      for (const group of list.querySelectorAll<HTMLElement>('.lab-group')) this.#syncGroup(group);
    }
    this.#diagramStale = true;
    if (this.#view === 'diagram') this.#renderDiagram();
    this.#updateEmpty();
  }

  #setView(view: 'list' | 'diagram'): void {
    this.#view = view;
    if (this.#scroller) this.#scroller.hidden = view !== 'list';
    if (this.#diagram) this.#diagram.hidden = view !== 'diagram';
    if (view === 'diagram') this.#renderDiagram();
    this.#updateEmpty();
    this.#scrollToEnd();
  }

  #renderDiagram(): void {
    if (!this.#diagramBody || !this.#diagramStale) return;
    const sequence = this.#sequence;
    if (!sequence) {
      this.#loadingSequence ??= import('./lab-sequence.ts').then(
        (module) => {
          this.#sequence = module;
          if (this.#view !== 'diagram') return;
          this.#renderDiagram();
          this.#scrollToEnd();
        },
        (error: unknown) => {
          // Tried again the next time the diagram is shown: the network may be back.
          this.#loadingSequence = null;
          this.#diagramBody?.replaceChildren(`The diagram did not load (${error instanceof Error ? error.message : String(error)}). Show the list and the diagram again to retry.`);
        },
      );
      return;
    }
    const { renderSequence, sequenceLanes } = sequence;
    this.#diagramStale = false;
    const events = this.#events.filter((event) => !this.#hidden.has(describeEvent(event, this.#context.config.base).category));
    const store = storeLabel(this.#context.store);
    const servers = this.#context.controller?.servers.length ?? 1;
    const shared = isSharedStore(this.#context.store);
    this.#diagramBody.replaceChildren(renderSequence(events, { base: this.#context.config.base, store, servers, shared }));
    const lanes = this.#context.part('lanes');
    if (lanes && servers === 1) {
      // The lane titles as the page rendered them, the store's named.
      if (lanes.dataset['servers'] !== '1') lanes.replaceChildren(...sequenceLanes(1, store).map(laneTitle));
      const lane = this.#context.part('store-lane');
      if (lane) lane.textContent = `Store (${store})`;
    } else if (lanes) {
      lanes.replaceChildren(...sequenceLanes(servers, store, { shared }).map(laneTitle));
    }
    if (lanes) lanes.dataset['servers'] = String(servers);
  }

  #clear(message = 'Cleared. New events appear here as they happen.'): void {
    this.#list?.replaceChildren();
    this.#groups.clear();
    this.#events = [];
    this.#lastDay = '';
    this.#diagramStale = true;
    if (this.#view === 'diagram') this.#renderDiagram();
    this.#updateEmpty(message || EMPTY_TEXT);
    if (this.#newest && message) this.#newest.textContent = 'Timeline cleared.';
  }

  #trim(): void {
    const list = this.#list;
    if (!list) return;
    while (list.childElementCount > MAX_ENTRIES) list.firstElementChild?.remove();
    for (const [id, group] of this.#groups) if (!group.item.isConnected) this.#groups.delete(id);
  }

  #updateEmpty(text?: string): void {
    const visible = this.#events.some((event) => !this.#hidden.has(describeEvent(event, this.#context.config.base).category));
    for (const name of ['timeline-empty', 'diagram-empty']) {
      const empty = this.#context.part(name);
      if (!empty) continue;
      if (text) empty.textContent = text;
      else if (this.#events.length > 0 && !visible) empty.textContent = 'Every event here is filtered out: tick a kind above to show it.';
      empty.hidden = visible;
    }
  }

  #atBottom(element: HTMLElement | null): boolean {
    if (!element || element.hidden) return true;
    return element.scrollHeight - element.scrollTop - element.clientHeight < 48;
  }

  #scrollToEnd(): void {
    const element = this.#view === 'list' ? this.#scroller : this.#diagram;
    if (element) element.scrollTop = element.scrollHeight;
  }

  /** On narrow screens, the Timeline tab counts what arrived while another tab was open. */
  #countUnseen(count: number): void {
    const badge = this.#context.root.querySelector<HTMLElement>('[data-tab="events"] [data-lab="badge"]');
    if (!badge) return;
    if (this.#visible()) {
      this.#unseen = 0;
    } else {
      this.#unseen += count;
    }
    badge.hidden = this.#unseen === 0;
    badge.textContent = this.#unseen > 99 ? '99+' : String(this.#unseen);
    badge.setAttribute('aria-label', `${this.#unseen} new`);
  }

  #markSeenIfVisible(): void {
    if (!this.#visible()) return;
    this.#countUnseen(0);
    this.#scrollToEnd();
  }

  #visible(): boolean {
    const panel = this.#context.part('events')?.closest<HTMLElement>('[data-tabpanel]');
    return !panel || !panel.hidden;
  }
}

/** A lifeline's title above the diagram, where its line runs. */
function laneTitle({ lane, title, at }: { lane: string; title: string; at: number }): HTMLSpanElement {
  const span = document.createElement('span');
  span.style.setProperty('--lane', String(at));
  span.textContent = title;
  if (lane === 'store') span.dataset['lab'] = 'store-lane';
  return span;
}

/** A short tag beside each row, so kinds are told apart without relying on colour alone. */
const CATEGORY_TAG: Record<EventCategory, string> = {
  http: 'HTTP',
  store: 'Store',
  session: 'Session',
  cookie: 'Cookie',
  clean: 'Clean',
  server: 'Server',
  clock: 'Clock',
};
