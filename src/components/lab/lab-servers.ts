/**
 * The servers card of the controls: how many servers run behind the simulated load balancer, its
 * policy, and each server's state with a way to stop, start or restart that one server.
 * With one server (the default) only the count shows: there is no balancer to speak of.
 */
import type { BalancerPolicy, ServerCount, ServerState, SimController, SimEvent } from '../../sim/protocol.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { onStore } from './lab-controls.ts';
import { BALANCER_INFO, isLabPolicy, isLabServerCount, isSharedStore } from './lab-scenarios.ts';

type ServerAction = 'stop' | 'start' | 'restart';

export class LabServers implements LabPart {
  readonly #context: LabContext;
  readonly #count: HTMLElement | null;
  readonly #policy: HTMLElement | null;
  readonly #balancerControls: HTMLElement | null;
  readonly #list: HTMLElement | null;
  /** What the server list shows, so it is rebuilt only when that changes (keeps focus and a screen reader's place). */
  #shown = '';
  #busy = false;

  constructor(context: LabContext) {
    this.#context = context;
    this.#count = context.part('server-count');
    this.#policy = context.part('balancer');
    this.#balancerControls = context.part('balancer-controls');
    this.#list = context.part('server-list');

    this.#count?.addEventListener('change', (event) => {
      const count = Number((event.target as HTMLInputElement).value);
      if (isLabServerCount(count)) void this.#setCount(count);
    });
    this.#policy?.addEventListener('change', (event) => {
      const policy = (event.target as HTMLInputElement).value;
      if (isLabPolicy(policy)) void this.#setPolicy(policy);
    });
    this.#list?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-server-action]');
      const id = Number(button?.dataset['server']);
      const action = button?.dataset['serverAction'];
      if (button && id > 0 && (action === 'stop' || action === 'start' || action === 'restart')) void this.#act(action, id);
    });
  }

  /** Shows what the simulation starts with (the page URL may have chosen other than the markup). */
  onStart(controller: SimController): void {
    this.#shown = '';
    this.#check(this.#count, String(controller.servers.length));
    this.#check(this.#policy, controller.balancer);
    this.onTick(controller);
  }

  onEvents(events: readonly SimEvent[], controller: SimController): void {
    if (events.some((event) => event.kind === 'server' || event.kind === 'balancer')) this.onTick(controller);
  }

  onTick(controller: SimController): void {
    const servers = controller.servers;
    if (this.#balancerControls) this.#balancerControls.hidden = servers.length === 1;
    const key = JSON.stringify([servers, controller.balancer, this.#context.store]);
    if (key === this.#shown || !this.#list) return;
    this.#shown = key;
    const focused = this.#list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset : undefined;
    this.#list.replaceChildren(...(servers.length === 1 ? [] : servers.map((server) => this.#item(server, servers))));
    if (focused) {
      this.#list.querySelector<HTMLButtonElement>(`button[data-server="${focused['server']}"][data-server-action="${focused['serverAction']}"]`)?.focus();
    }
  }

  #item(server: ServerState, servers: readonly ServerState[]): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'lab-server-item';
    item.dataset['state'] = server.state;
    const name = document.createElement('span');
    name.className = 'lab-server-name';
    const shared = isSharedStore(this.#context.store);
    const memory = server.state === 'running' ? (shared ? 'reads the shared database' : 'its own memory') : 'not serving';
    name.textContent = `Server ${server.id}`;
    const state = document.createElement('span');
    state.className = 'ui-hint';
    state.textContent = `${server.state === 'running' ? 'running' : 'stopped'} · ${memory}`;
    const actions = document.createElement('span');
    actions.className = 'lab-button-row';
    const running = servers.filter((candidate) => candidate.state === 'running').length;
    if (server.state === 'running') {
      actions.append(this.#button('stop', server.id, 'Stop', running === 1 ? 'the balancer then has no server and answers 502' : ''));
      actions.append(this.#button('restart', server.id, 'Restart', ''));
    } else {
      actions.append(this.#button('start', server.id, 'Start', ''));
    }
    item.append(name, ' ', state, actions);
    return item;
  }

  #button(action: ServerAction, id: number, text: string, note: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ui-button ui-button-small';
    button.dataset['serverAction'] = action;
    button.dataset['server'] = String(id);
    button.textContent = text;
    button.setAttribute('aria-label', `${text} server ${id}`);
    if (note) button.title = note;
    return button;
  }

  async #setCount(count: ServerCount): Promise<void> {
    const controller = await this.#context.ready;
    this.#context.status(count === 1 ? 'Going back to one server…' : `Starting ${count} servers behind a load balancer…`, 'busy');
    try {
      await controller.setServers(count);
      const store = onStore(this.#context.store);
      this.#context.status(
        count === 1
          ? `One server now, ${store}.`
          : `${count} servers ${store}, behind a load balancer (${BALANCER_INFO[controller.balancer].label.toLowerCase()}). ${
              isSharedStore(this.#context.store)
                ? 'They share one database: a session made on one server is found on every other.'
                : 'Each keeps its sessions in its own memory: a session made on one server is unknown to the others.'
            }`,
        'ok',
      );
    } catch (error) {
      this.#context.status(`The servers could not be changed: ${messageOf(error)}`, 'error');
    }
    this.#check(this.#count, String(controller.servers.length));
    this.#context.refresh();
  }

  async #setPolicy(policy: BalancerPolicy): Promise<void> {
    const controller = await this.#context.ready;
    try {
      controller.setBalancer(policy);
      this.#context.status(`Load balancer: ${BALANCER_INFO[policy].label.toLowerCase()}. ${BALANCER_INFO[policy].hint}`, 'ok');
    } catch (error) {
      this.#context.status(`The balancer's policy could not be changed: ${messageOf(error)}`, 'error');
    }
    this.#context.refresh();
  }

  async #act(action: ServerAction, id: number): Promise<void> {
    if (this.#busy) return;
    const controller = await this.#context.ready;
    this.#busy = true;
    const doing = { stop: 'Stopping', start: 'Starting', restart: 'Restarting' }[action];
    this.#context.status(`${doing} server ${id}…`, 'busy');
    try {
      if (action === 'stop') await controller.stopServer(id);
      else if (action === 'start') await controller.startServer(id);
      else await controller.restartServer(id);
      const memory = isSharedStore(this.#context.store)
        ? 'The sessions are in the shared database: nobody is signed out.'
        : 'Its memory, and every session in it, is gone: its users are signed out, the other servers’ users are not.';
      const started = `Server ${id} is running again${isSharedStore(this.#context.store) ? '' : ', with an empty memory'}.`;
      this.#context.status(action === 'start' ? started : `Server ${id} ${action === 'stop' ? 'stopped' : 'restarted'}. ${memory}`, 'ok');
    } catch (error) {
      this.#context.status(`Server ${id} could not ${action}: ${messageOf(error)}`, 'error');
    } finally {
      this.#busy = false;
    }
    this.#context.refresh();
  }

  #check(fieldset: HTMLElement | null, value: string): void {
    const radio = fieldset?.querySelector<HTMLInputElement>(`input[value="${CSS.escape(value)}"]`);
    if (radio && !radio.checked) radio.checked = true;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
