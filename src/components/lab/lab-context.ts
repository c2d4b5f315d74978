/**
 * What the Lab and its panels share: the page's configuration of one `<session-lab>`, and the
 * context `lab-app.ts` hands every panel. Types only, in a module of their own, so the panels and
 * the Lab that creates them both depend on it rather than on each other.
 */
import type { BalancerPolicy, BrowserId, ReportedStore, ServerCount, SimController, SimEvent } from '../../sim/protocol.ts';
import type { LabPanel, LabScenarioName, LabStore } from './lab-scenarios.ts';

/** What a `<session-lab>` asks for: Lab.astro's props, after the URL had its say. */
export interface LabConfig {
  /** The site's base path, ending in `/`. */
  base: string;
  store: LabStore;
  scenario: LabScenarioName | null;
  panels: LabPanel[];
  database: string | null;
  /** Servers behind the load balancer at start (1: no balancer), and its policy. */
  servers: ServerCount;
  balancer: BalancerPolicy;
  /** The simulated browsers, each with its own jar; the first sends the page's requests at start. */
  browsers: BrowserId[];
}

export type StatusTone = 'idle' | 'busy' | 'ok' | 'error';

/** What the panels share. */
export interface LabContext {
  readonly root: HTMLElement;
  readonly config: LabConfig;
  /** The running simulation; panels await it before each call (it waits while the Lab is not running). */
  readonly ready: Promise<SimController>;
  /** The same simulation, for synchronous reads while it runs; null otherwise. */
  readonly controller: SimController | null;
  /** The store the server runs on now (it changes with the store selector and the playground's Run). */
  store: ReportedStore;
  /** An element of this Lab by its `data-lab` name. */
  part<T extends HTMLElement = HTMLElement>(name: string): T | null;
  /** The Lab's status line, announced politely. */
  status(text: string, tone: StatusTone): void;
  /** Tells every panel to update now (after something changed that no event reports). */
  refresh(): void;
}

/** A panel: told when a run starts, about new events, and about each tick of the virtual clock. */
export interface LabPart {
  /** A new run: forget what the previous one showed. */
  onStart?(controller: SimController): void;
  onEvents?(events: readonly SimEvent[], controller: SimController): void;
  onTick?(controller: SimController): void;
}
