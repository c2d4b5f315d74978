/**
 * The demo app's "Your devices" page: every session of the signed-in user, with the device details
 * the server keeps (browser, network, sign-in time, last seen), the current one marked, a "Sign out"
 * for each other device and "Sign out all others". It knows only what `GET api/devices` answers.
 *
 * Loaded when the reader first opens the page (lab-demo-app.ts): most readers never do, and the
 * Lab's first load stays within its JavaScript budget.
 */
import { BROWSER_PROFILES } from '../../sim/browser-profiles.ts';
import type { BrowserId } from '../../sim/protocol.ts';
import { stringOf, type DemoShell } from './lab-demo-requests.ts';
import { formatRelative, formatShortTime } from './lab-format.ts';
import { BROWSER_INFO, LAB_BROWSERS } from './lab-scenarios.ts';

/** One device as the server lists it. */
interface Device {
  publicId: string;
  userAgent: string | null;
  ip: string | null;
  authenticatedAt: string | null;
  lastSeenAt: string | null;
  createdAt: string | null;
  current: boolean;
}

export class DemoDevices {
  readonly #app: DemoShell;
  /** The devices listed last, by the browser whose page lists them; null: not opened there. */
  readonly #lists = new Map<BrowserId, Device[]>();
  #now = 0;

  constructor(app: DemoShell) {
    this.#app = app;
    app.context.part('devices')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-device]');
      if (button?.dataset['device']) void this.#revoke(button.dataset['device'], button);
    });
  }

  set now(now: number) {
    this.#now = now;
  }

  /** Lists the devices, for the shown browser; `quiet` keeps the result box as it is (after signing one out). */
  async open({ quiet = false } = {}): Promise<void> {
    const reply = await this.#app.send('devices', { method: 'GET' });
    if (!reply) return;
    if (reply.status !== 200) return this.#app.failed('devices', reply);
    const devices = Array.isArray(reply.body?.['devices']) ? (reply.body['devices'] as unknown[]).map(deviceOf) : [];
    this.#lists.set(reply.browser, devices);
    this.render();
    if (quiet) return;
    const count = devices.length;
    this.#app.result(reply.browser, 'ok', `You are signed in on ${count} ${count === 1 ? 'device' : 'devices'}.`, 'Each browser you sign in from has a session of its own, listed by a public id: never its cookie or store key.');
  }

  async signOutOthers(): Promise<void> {
    const reply = await this.#app.send('logout-others', { method: 'POST' });
    if (!reply) return;
    if (reply.status !== 200) return this.#app.failed('logout-others', reply);
    const ended = typeof reply.body?.['ended'] === 'number' ? reply.body['ended'] : 0;
    this.#app.result(reply.browser, 'ok', `Signed out ${ended} other ${ended === 1 ? 'device' : 'devices'}.`, 'Their sessions are gone from the store: each finds out on its next request. This one stays signed in.');
    if (this.#lists.has(reply.browser)) await this.open({ quiet: true });
  }

  /** Forgets what a browser listed (it signed out). */
  forget(browser: BrowserId): void {
    this.#lists.delete(browser);
    this.render();
  }

  /** Shows the shown browser's list, or hides the page when it has none. */
  render(): void {
    const box = this.#app.context.part('devices');
    const list = this.#app.context.part('devices-list');
    const devices = this.#lists.get(this.#app.browser);
    if (!box || !list) return;
    box.hidden = devices === undefined;
    if (!devices) return;
    list.replaceChildren(...devices.map((device) => this.#item(device)));
  }

  async #revoke(publicId: string, button: HTMLButtonElement): Promise<void> {
    const reply = await this.#app.send('revoke-device', { method: 'POST', body: { device: publicId } });
    if (!reply) return;
    if (reply.status !== 200) return this.#app.failed('revoke-device', reply);
    const device = this.#lists.get(reply.browser)?.find((each) => each.publicId === publicId);
    const name = device ? deviceName(device.userAgent) : 'That device';
    if (reply.body?.['revoked'] === true) {
      this.#app.result(reply.browser, 'ok', `${name} is signed out.`, 'Its session is gone from the store. The device still shows the page it had; its next request finds no session.');
    } else {
      this.#app.result(reply.browser, 'warn', `${name} was already signed out.`, 'The server found no session of yours with that id: it had ended, or it is not yours to end.');
    }
    await this.open({ quiet: true });
    // The button went with its row: keep keyboard users in the list.
    const box = this.#app.context.part('devices');
    (box?.querySelector<HTMLButtonElement>('[data-device]') ?? box?.querySelector<HTMLButtonElement>('[data-request="logout-others"]'))?.focus();
  }

  #item(device: Device): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'lab-device';
    const text = document.createElement('div');
    text.className = 'lab-device-text';
    const name = document.createElement('p');
    name.className = 'lab-device-name';
    name.textContent = deviceName(device.userAgent);
    if (device.current) {
      const badge = document.createElement('span');
      badge.className = 'lab-badge';
      badge.dataset['on'] = 'true';
      badge.textContent = 'This device';
      name.append(' ', badge);
    }
    const facts = document.createElement('p');
    facts.className = 'lab-device-facts';
    const signedIn = device.authenticatedAt ?? device.createdAt;
    facts.textContent = [
      device.ip ? `network ${device.ip}` : 'network not kept',
      signedIn ? `signed in ${formatShortTime(Date.parse(signedIn))}` : '',
      device.lastSeenAt ? `last seen ${formatRelative(Date.parse(device.lastSeenAt), this.#now)}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const agent = document.createElement('p');
    agent.className = 'lab-device-agent';
    agent.textContent = device.userAgent ?? 'No user agent kept';
    text.append(name, facts, agent);
    item.append(text);
    if (!device.current) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'ui-button';
      button.dataset['device'] = device.publicId;
      button.textContent = 'Sign out';
      button.setAttribute('aria-label', `Sign out ${deviceName(device.userAgent)}`);
      item.append(button);
    }
    return item;
  }
}

/**
 * A device's name for people. A real account page parses the user agent with a library; the demo
 * knows its three simulated browsers by their exact user agents and calls anything else what it is.
 */
export function deviceName(userAgent: string | null): string {
  const known = LAB_BROWSERS.find((id) => BROWSER_PROFILES[id].userAgent === userAgent);
  return known ? `${BROWSER_INFO[known].device} (${BROWSER_INFO[known].label})` : 'Unknown device';
}

function deviceOf(entry: unknown): Device {
  const device = (entry ?? {}) as Record<string, unknown>;
  return {
    publicId: stringOf(device['publicId']) ?? '',
    userAgent: stringOf(device['userAgent']),
    ip: stringOf(device['ip']),
    authenticatedAt: stringOf(device['authenticatedAt']),
    lastSeenAt: stringOf(device['lastSeenAt']),
    createdAt: stringOf(device['createdAt']),
    current: device['current'] === true,
  };
}
