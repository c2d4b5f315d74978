/**
 * The controls: the virtual clock (jump ahead, pause), restarting the server, choosing its store,
 * and rotating its signing secret.
 * Each waits for the simulation to run; none blocks another, so the page stays usable while a
 * request hangs.
 */
import type { ReportedStore, SimController, SimEvent } from '../../sim/protocol.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { formatDateTime, formatJump } from './lab-format.ts';
import { STORE_INFO, isLabStore, labStoreOf, storeChoice, storeLabel, type LabStore } from './lab-scenarios.ts';

export class LabControls implements LabPart {
  readonly #context: LabContext;
  readonly #clock: HTMLElement | null;
  readonly #clockState: HTMLElement | null;
  readonly #pause: HTMLButtonElement | null;
  readonly #restart: HTMLButtonElement | null;
  readonly #serverState: HTMLElement | null;
  readonly #rotate: HTMLButtonElement | null;
  readonly #retire: HTMLButtonElement | null;
  #busy = false;

  constructor(context: LabContext) {
    this.#context = context;
    this.#clock = context.part('clock');
    this.#clockState = context.part('clock-state');
    this.#pause = context.part<HTMLButtonElement>('pause');
    this.#restart = context.part<HTMLButtonElement>('restart');
    this.#serverState = context.part('server-state');
    this.#rotate = context.part<HTMLButtonElement>('rotate-secret');
    this.#retire = context.part<HTMLButtonElement>('retire-secrets');
    const controls = context.part('controls');

    controls?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button');
      if (!button || button.getAttribute('aria-disabled') === 'true') return;
      const jump = Number(button.dataset['jump']);
      if (jump > 0) void this.#jump(jump);
      else if (button === this.#pause) void this.#togglePause();
      else if (button === this.#restart) void this.#restartServer();
      else if (button === this.#rotate) void this.#changeSecrets('rotate');
      else if (button === this.#retire) void this.#changeSecrets('retire');
    });
    context.part('stores')?.addEventListener('change', (event) => {
      const value = (event.target as HTMLInputElement).value;
      if (isLabStore(value)) void this.#switchStore(value);
    });
  }

  /** Shows the store the simulation starts on (the page URL may have chosen another than the markup). */
  onStart(): void {
    const store = this.#context.config.store;
    const radio = this.#context.part('stores')?.querySelector<HTMLInputElement>(`input[value="${store}"]`);
    if (!radio) return;
    radio.checked = true;
    const option = radio.closest<HTMLElement>('label');
    if (option) option.hidden = false;
  }

  onEvents(events: readonly SimEvent[]): void {
    for (const event of events) {
      if (event.kind === 'server') this.#showServer(event.storeChoice, event.step);
      if (event.kind === 'balancer') this.#offerSharedLastWriteWins(event.servers > 1);
    }
  }

  /** The shared store's last-write-wins form is offered while several servers share it, and while it is chosen. */
  #offerSharedLastWriteWins(servers: boolean): void {
    const radio = this.#context.part('stores')?.querySelector<HTMLInputElement>('input[value="indexeddb-lww"]');
    const option = radio?.closest<HTMLElement>('label');
    if (radio && option) option.hidden = !servers && !radio.checked;
  }

  onTick(controller: SimController): void {
    this.#showSecrets(controller.secrets);
    if (this.#restart && !this.#busy) this.#restart.textContent = restartText(controller);
    if (this.#clock) {
      const now = controller.now();
      this.#clock.textContent = formatDateTime(now);
      this.#clock.setAttribute('datetime', new Date(now).toISOString());
    }
    const paused = controller.paused;
    if (this.#clockState) {
      this.#clockState.textContent = paused ? 'paused' : 'running';
      this.#clockState.dataset['tone'] = paused ? 'warn' : 'ok';
    }
    if (this.#pause) {
      this.#pause.setAttribute('aria-pressed', String(paused));
      this.#pause.textContent = paused ? 'Resume' : 'Pause';
      this.#pause.setAttribute('aria-label', paused ? 'Resume the clock' : 'Pause the clock');
    }
  }

  async #jump(ms: number): Promise<void> {
    const controller = await this.#context.ready;
    try {
      await controller.jump(ms);
    } catch (error) {
      this.#context.status(`The clock could not move ${formatJump(ms)}: ${messageOf(error)}`, 'error');
    }
    this.#context.refresh();
  }

  async #togglePause(): Promise<void> {
    const controller = await this.#context.ready;
    if (controller.paused) controller.resume();
    else controller.pause();
    this.#context.refresh();
  }

  async #restartServer(): Promise<void> {
    if (this.#busy || !this.#restart) return;
    const button = this.#restart;
    const controller = await this.#context.ready;
    this.#busy = true;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Restarting…';
    this.#context.status('Restarting the server…', 'busy');
    try {
      await controller.restartServer();
      this.#context.status(`Server restarted ${onStore(this.#context.store)}. ${this.#restartMeaning()}`, 'ok');
    } catch (error) {
      this.#context.status(`The server did not restart: ${messageOf(error)}`, 'error');
    } finally {
      this.#busy = false;
      button.removeAttribute('aria-disabled');
      button.textContent = restartText(controller);
    }
  }

  /** Rotates the signing secret (the earlier ones still verify) or retires the earlier ones. */
  async #changeSecrets(change: 'rotate' | 'retire'): Promise<void> {
    if (this.#busy) return;
    const controller = await this.#context.ready;
    this.#busy = true;
    try {
      if (change === 'rotate') {
        await controller.rotateSecret();
        this.#context.status('A new secret signs cookies now; the earlier one still verifies. Use the demo app: the cookie comes back re-signed.', 'ok');
      } else {
        await controller.retireOldSecrets();
        this.#context.status('Only the newest secret verifies now. A cookie still signed with an earlier one is rejected.', 'ok');
      }
    } catch (error) {
      this.#context.status(`The secrets did not change: ${messageOf(error)}`, 'error');
    } finally {
      this.#busy = false;
    }
    this.#context.refresh();
  }

  #showSecrets(count: number): void {
    const state = this.#context.part('secrets-state');
    if (state) {
      state.textContent =
        count === 1
          ? 'One secret signs every cookie and verifies it when it comes back.'
          : `The newest secret signs; ${count - 1} earlier ${count === 2 ? 'one verifies' : 'ones verify'} too, so cookies they signed still work (and come back re-signed).`;
    }
    if (count === 1) this.#retire?.setAttribute('aria-disabled', 'true');
    else this.#retire?.removeAttribute('aria-disabled');
  }

  async #switchStore(store: LabStore): Promise<void> {
    const controller = await this.#context.ready;
    this.#context.status(`Switching to ${storePhrase(storeChoice(store))}…`, 'busy');
    try {
      await controller.setStore(storeChoice(store));
      this.#context.store = storeChoice(store);
      this.#context.status(
        `Server restarted ${onStore(storeChoice(store))}. Sessions in the other store stay there: reload the demo page to see.`,
        'ok',
      );
    } catch (error) {
      this.#context.status(`The store could not be changed: ${messageOf(error)}`, 'error');
    }
    this.#context.refresh();
  }

  #restartMeaning(): string {
    const store = labStoreOf(this.#context.store);
    return store ? STORE_INFO[store].restart : '';
  }

  #showServer(store: ReportedStore, step: ServerStep): void {
    // The store the server runs on, from the newest start or restart (lab-app.ts keeps it).
    const running = this.#context.store;
    if (this.#serverState) this.#serverState.textContent = serverStateText(step, store, running);
    // A store that failed to load is not the one running: the previous one stayed, and stays selected.
    if (step === 'crashed' && !sameStore(store, running)) return;
    const known = labStoreOf(store);
    const radio = known ? this.#context.part('stores')?.querySelector<HTMLInputElement>(`input[value="${known}"]`) : null;
    if (radio && !radio.checked) radio.checked = true;
  }
}

type ServerStep = Extract<SimEvent, { kind: 'server' }>['step'];

/**
 * A store in a sentence's words: "the IndexedDB store", "the last-write-wins Memory store", "the
 * Hanging store", and a reader's store by the name the playground gave it ("MyStore (run 2)").
 * Worded from the store choice, so no label is ever followed by a second "store".
 */
export function storePhrase(store: ReportedStore): string {
  if (store.kind === 'module') return store.label;
  // The faulty stores' names already say "store" ("Hanging store", "Faulty store (throws)").
  if (store.kind === 'faulty') return `the ${storeLabel(store)}`;
  const name = storeLabel({ kind: store.kind });
  return store.lastWriteWins ? `the last-write-wins ${name} store` : `the ${name} store`;
}

/**
 * Where the server runs, for a status or state line: "on the IndexedDB store", "on MyStore (run 2)".
 *
 * @example
 * `Server restarted ${onStore({ kind: 'memory', lastWriteWins: true })}.` // "Server restarted on the last-write-wins Memory store."
 */
export function onStore(store: ReportedStore): string {
  return `on ${storePhrase(store)}`;
}

/**
 * What the Controls card says after a server step on `store`, while the server runs on `running`.
 * A `crashed` step on another store than the running one is a store that failed to load: the
 * server kept the one it ran, as the status line says.
 */
export function serverStateText(step: ServerStep, store: ReportedStore, running: ReportedStore): string {
  if (step === 'timeout') return `A request timed out ${onStore(store)}.`;
  if (step === 'crashed') {
    return sameStore(store, running) ? `Crashed ${onStore(store)}.` : `Still running ${onStore(running)}: ${storeLabel(store)} did not start.`;
  }
  return `Running ${onStore(store)}.`;
}

/** Whether two store choices are the same store: a label names one store (a reader's carries its run number). */
function sameStore(a: ReportedStore, b: ReportedStore): boolean {
  return a.kind === b.kind && storeLabel(a) === storeLabel(b);
}

/** With several servers, the button restarts them all (a deploy); each server has its own button too. */
function restartText(controller: SimController): string {
  return controller.servers.length > 1 ? 'Restart all servers' : 'Restart server';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
