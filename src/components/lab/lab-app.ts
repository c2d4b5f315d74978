/**
 * Runs the simulation for one `<session-lab>` and keeps its panels in step with it: every new event
 * and every tick of the virtual clock reaches every panel, batched to one update per frame.
 *
 * A page runs one simulation at a time (MSW intercepts the page's requests once). With several Labs
 * on a page, the first to come into view runs; using another one hands the simulation over to it.
 */
import type { LabOptions, ReportedStore, SimController, SimEvent, StoreChoice } from '../../sim/protocol.ts';
import type { LabConfig, LabContext, LabPart, StatusTone } from './lab-context.ts';
import { DemoApp } from './lab-demo-app.ts';
import { LabControls, onStore } from './lab-controls.ts';
import { LabInspector } from './lab-inspector.ts';
import { LabTimeline } from './lab-timeline.ts';
import { BALANCER_INFO, LAB_SCENARIOS, isSharedStore, storeChoice, type LabPanel } from './lab-scenarios.ts';
import { LabServers } from './lab-servers.ts';

export interface MountedLab {
  /**
   * Starts the simulation. When another Lab of the page runs, `takeOver` stops it first (the reader
   * is using this one); without it this Lab waits and offers to run.
   */
  start(options: { takeOver: boolean }): Promise<void>;
  /** The running simulation; waits while the Lab is not running. */
  readonly ready: Promise<SimController>;
  /**
   * Runs the server on `choice`, a store the Lab does not offer itself (the playground's), and says
   * so in the status line. Resolves once the server runs again, on it or, when it failed to load,
   * still on the previous store.
   */
  useStore(choice: StoreChoice, label: string): Promise<void>;
  dispose(): Promise<void>;
}

/** The Lab whose simulation runs on this page, if any. */
let active: LabRun | null = null;

interface LabRun {
  stop(reason: string): Promise<void>;
}

export function mountLab(root: HTMLElement, config: LabConfig): MountedLab {
  let controller: SimController | null = null;
  let starting: Promise<void> | null = null;
  let disposed = false;
  let unsubscribe: (() => void) | null = null;
  let deferred = defer<SimController>();

  const statusLine = root.querySelector<HTMLElement>('[data-lab="status"]');
  const statusText = root.querySelector<HTMLElement>('[data-lab="status-text"]');
  const runButton = root.querySelector<HTMLButtonElement>('[data-lab="run"]');
  let queue: SimEvent[] = [];
  let lastSeq = 0;
  /**
   * The newest event when the status line took an action's outcome ("Only the newest secret verifies
   * now…"); null while it says what runs, or that something is under way.
   */
  let outcomeSince: number | null = null;
  function show(text: string, tone: StatusTone): void {
    if (statusText) statusText.textContent = text;
    if (statusLine) statusLine.dataset['tone'] = tone;
  }
  const context: LabContext = {
    root,
    config,
    get ready() {
      return deferred.promise;
    },
    get controller() {
      return controller;
    },
    store: storeChoice(config.store),
    part: <T extends HTMLElement>(name: string) => root.querySelector<T>(`[data-lab="${name}"]`),
    status(text, tone) {
      show(text, tone);
      outcomeSince = tone === 'ok' || tone === 'error' ? lastSeq : null;
    },
    refresh: () => schedule(),
  };

  const has = (panel: LabPanel) => config.panels.includes(panel);
  const parts: LabPart[] = [];
  if (has('app') && context.part('app')) parts.push(new DemoApp(context));
  if (has('controls') && context.part('controls')) parts.push(new LabControls(context));
  if (has('controls') && context.part('servers')) parts.push(new LabServers(context));
  if ((has('timeline') || has('diagram')) && context.part('events')) parts.push(new LabTimeline(context));
  if (has('inspector') && context.part('inspector')) parts.push(new LabInspector(context));

  const note = context.part('scenario-note');
  if (note && config.scenario) {
    note.textContent = LAB_SCENARIOS[config.scenario].note;
    note.hidden = false;
  }

  let scheduled = false;
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // A frame when the page is painting; the timeout when it is not (a background tab still updates).
    const timer = setTimeout(flush, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      flush();
    });
  }
  function flush(): void {
    if (!scheduled) return;
    scheduled = false;
    if (!controller || disposed) return;
    const events = queue;
    queue = [];
    for (const event of events) {
      // A `crashed` step may name a store that failed to load while the previous one kept running.
      if (event.kind === 'server' && (event.step === 'started' || event.step === 'restarted')) context.store = event.storeChoice;
    }
    // An action's outcome stands until the reader's next action; then the line says what runs again.
    const since = outcomeSince;
    if (since !== null && events.some((event) => event.seq > since && endsOutcome(event))) {
      outcomeSince = null;
      show(runningStatus(context.store, controller), 'ok');
    }
    for (const part of parts) {
      if (events.length > 0) part.onEvents?.(events, controller);
      part.onTick?.(controller);
    }
  }
  function receive(event: SimEvent | null): void {
    if (event) {
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      queue.push(event);
    }
    schedule();
  }

  const run: LabRun = {
    async stop(reason) {
      const running = controller;
      const pending = starting;
      unsubscribe?.();
      unsubscribe = null;
      controller = null;
      starting = null;
      if (active === run) active = null;
      // Whoever still waits for this run waits for the next one instead.
      if (deferred.settled) deferred = defer<SimController>();
      await pending?.catch(() => {});
      await running?.dispose();
      context.status(reason, 'idle');
      if (runButton) runButton.hidden = false;
    },
  };

  async function begin(): Promise<void> {
    if (runButton) runButton.hidden = true;
    context.status('Starting the simulated server…', 'busy');
    const { startLab } = await import('../../sim/lab.ts');
    const scenario = config.scenario ? LAB_SCENARIOS[config.scenario].options : {};
    const options: LabOptions = {
      store: storeChoice(config.store),
      base: config.base,
      ...scenario,
      ...(config.database === null ? {} : { database: config.database }),
      servers: config.servers,
      balancer: config.balancer,
      browsers: config.browsers,
    };
    const running = await startLab(options);
    if (disposed || active !== run) {
      await running.dispose();
      return;
    }
    controller = running;
    context.store = storeChoice(config.store);
    queue = [];
    lastSeq = 0;
    for (const part of parts) part.onStart?.(running);
    for (const event of running.events()) receive(event);
    unsubscribe = running.subscribe(receive);
    show(runningStatus(context.store, running), 'ok');
    outcomeSince = null;
    deferred.resolve(running);
  }

  async function start({ takeOver }: { takeOver: boolean }): Promise<void> {
    if (disposed) return;
    if (starting) return starting;
    if (active && active !== run && !takeOver) {
      context.status('Another Lab on this page is running, and a page runs one at a time.', 'idle');
      if (runButton) runButton.hidden = false;
      return;
    }
    // Set before anything is awaited: a second start in the same moment (one click on "Run this Lab"
    // reaches the button's listener and the Lab's) joins this one instead of starting a simulation
    // while the other Lab's is still stopping.
    // This Lab is the page's from now on: one coming into view meanwhile waits, as it would for a running one.
    const previous = active;
    active = run;
    starting = (async () => {
      if (previous && previous !== run) await previous.stop('Stopped: another Lab on this page took over, and a page runs one at a time.');
      await begin();
    })().catch((error: unknown) => {
      starting = null;
      if (active === run) active = null;
      const message = error instanceof Error ? error.message : String(error);
      context.status(`The simulated server did not start: ${message}`, 'error');
      if (runButton) runButton.hidden = false;
    });
    return starting;
  }

  runButton?.addEventListener('click', () => void start({ takeOver: true }));

  // Start fresh: what earlier page loads left (sessions in IndexedDB) and every browser's cookies go.
  const freshButton = root.querySelector<HTMLButtonElement>('[data-lab="start-fresh"]');
  freshButton?.addEventListener('click', async () => {
    if (freshButton.getAttribute('aria-disabled') === 'true') return;
    freshButton.setAttribute('aria-disabled', 'true');
    try {
      const running = await deferred.promise;
      context.status('Starting fresh…', 'busy');
      await running.startFresh();
      for (const part of parts) part.onStart?.(running);
      context.status('Started fresh: no cookies in any browser, and no sessions in the store.', 'ok');
      schedule();
    } catch (error) {
      context.status(`Could not start fresh: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      freshButton.removeAttribute('aria-disabled');
    }
  });

  async function useStore(choice: StoreChoice, label: string): Promise<void> {
    const running = await deferred.promise;
    context.status(`Starting the server on ${label}…`, 'busy');
    await running.setStore(choice);
    const now = running.options.store;
    context.store = now;
    if (now === choice) context.status(`Server running ${onStore(choice)}.`, 'ok');
    else context.status(`${label} did not start: the server still runs ${onStore(now)}.`, 'error');
    schedule();
  }

  return {
    start,
    get ready() {
      return deferred.promise;
    },
    useStore,
    async dispose() {
      disposed = true;
      await run.stop('Stopped.');
    },
  };
}

/** The status line while no action's outcome stands: the store, and with several servers, how many, the policy, and whether they share the store. */
function runningStatus(store: ReportedStore, controller: SimController): string {
  const servers = controller.servers.length;
  if (servers === 1) return `Server running ${onStore(store)}.`;
  const sharing = isSharedStore(store) ? 'all sharing one store' : 'each with its own store';
  return `Server running ${onStore(store)}, as ${servers} processes behind a load balancer (${BALANCER_INFO[controller.balancer].label.toLowerCase()}), ${sharing}.`;
}

/**
 * Whether `event` is a new action of the reader's, after which an earlier action's outcome no longer
 * describes the Lab: a change asked of the demo app (sign in, sign out, the cart, revoking), the clock
 * moved or paused, a cookie edited or planted by hand, or a session that expired. A page load (GET)
 * is not one: reloading is how the reader sees what the last action did.
 */
export function endsOutcome(event: SimEvent): boolean {
  switch (event.kind) {
    case 'request':
      return event.method !== 'GET';
    case 'clock':
      return true;
    case 'jar':
      return event.step === 'edited' || event.step === 'planted';
    case 'session':
      return event.event.type === 'session-expired' || (event.event.type === 'clean' && (event.event.removed ?? 0) > 0);
    default:
      return false;
  }
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
}

function defer<T>(): Deferred<T> {
  let done!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    done = resolve;
  });
  let settled = false;
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      settled = true;
      done(value);
    },
  };
}
