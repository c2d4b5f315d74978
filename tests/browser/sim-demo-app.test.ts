/**
 * The demo app's page (lab-demo-app.ts) against a real simulated server, in real Chromium: what the
 * page shows after a request fails, with the app's own markup reduced to the parts it reads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoApp } from '../../src/components/lab/lab-demo-app.ts';
import type { LabContext } from '../../src/components/lab/lab-context.ts';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, StoreChoice } from '../../src/sim/protocol.ts';

const labs: SimController[] = [];
const roots: HTMLElement[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const root of roots.splice(0)) root.remove();
});

/** A store whose get() never returns: a reader's `while (true) {}`, which blocks its server. */
function hangingModule(): StoreChoice {
  const code = 'export class HangingStore { create() {} get() { for (;;) {} } update() {} delete() {} clean() { return 0; } }';
  return { kind: 'module', url: URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), label: 'HangingStore' };
}

/** The demo app's markup, the parts it reads only. */
function appMarkup(): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `
    <section data-lab="app">
      <div data-lab="signed-out"><form data-lab="login-form"><input name="user" value="ada"></form></div>
      <div data-lab="signed-in" hidden><p data-lab="greeting">Signed in as <strong data-lab="user"></strong></p>
        <p data-lab="session-unknown" hidden></p><ul data-lab="cart"></ul>
        <form data-lab="cart-form"><input name="item" value="Shortbread"></form></div>
      <button type="button" data-lab="reload">Reload</button>
      <div data-lab="result"></div>
    </section>`;
  document.body.append(root);
  roots.push(root);
  return root;
}

function contextFor(root: HTMLElement, lab: SimController): LabContext {
  return {
    root,
    config: { base: '/', store: 'memory', scenario: null, panels: ['app'], database: null, servers: 1, balancer: 'round-robin', browsers: ['laptop'] },
    ready: Promise.resolve(lab),
    controller: lab,
    store: { kind: 'memory' },
    part: <T extends HTMLElement>(name: string) => root.querySelector<T>(`[data-lab="${name}"]`),
    status: () => {},
    refresh: () => {},
  };
}

const part = (root: HTMLElement, name: string): HTMLElement => root.querySelector<HTMLElement>(`[data-lab="${name}"]`)!;

/** A Lab on `options` with the demo app on it, signed in as ada. */
async function signedInApp(options: Parameters<typeof startLab>[0]) {
  const lab = await startLab(options);
  labs.push(lab);
  const root = appMarkup();
  const app = new DemoApp(contextFor(root, lab));
  app.onStart(lab);
  await vi.waitFor(() => expect(part(root, 'result').textContent).toContain('Not signed in.'));
  part(root, 'login-form').dispatchEvent(new Event('submit', { cancelable: true }));
  await vi.waitFor(() => expect(part(root, 'signed-in').hidden).toBe(false));
  return { lab, root };
}

describe('the demo app', () => {
  it('no longer shows a sign-in after a 504 from a store that hung, since the store it was on is gone', async () => {
    const { lab, root } = await signedInApp({ store: { kind: 'memory' }, base: '/', requestTimeoutMs: 1000 });
    expect(part(root, 'user').textContent).toBe('ada');

    await lab.setStore(hangingModule());
    part(root, 'cart-form').dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(part(root, 'result').textContent).toContain('Your store stopped answering.'), { timeout: 8000 });
    // The result says to sign in again; the page must not go on saying who is signed in.
    expect(part(root, 'signed-in').hidden).toBe(true);
    expect(part(root, 'signed-out').hidden).toBe(false);
  });

  describe('when the store throws', () => {
    it('says the session state is unknown after a 503, instead of still naming who was signed in', async () => {
      const { lab, root } = await signedInApp({ store: { kind: 'memory' }, base: '/' });
      expect(part(root, 'signed-in').innerText).toContain('Signed in as ada');

      await lab.setStore({ kind: 'faulty', fault: 'throw' });
      part(root, 'cart-form').dispatchEvent(new Event('submit', { cancelable: true }));
      await vi.waitFor(() => expect(part(root, 'result').textContent).toContain('The session store is not working.'));
      // innerText leaves out what is hidden: this is what the reader sees.
      const shown = part(root, 'signed-in').innerText;
      expect(shown).not.toContain('Signed in as');
      expect(shown).not.toContain('ada');
      expect(shown).toContain('Session state unknown: the server could not answer (503).');
    });

    it('names who is signed in again once the server answers for the session', async () => {
      const database = `demo-app-${crypto.randomUUID()}`;
      const { lab, root } = await signedInApp({ store: { kind: 'indexeddb' }, base: '/', database });
      await lab.setStore({ kind: 'faulty', fault: 'throw' });
      part(root, 'cart-form').dispatchEvent(new Event('submit', { cancelable: true }));
      await vi.waitFor(() => expect(part(root, 'signed-in').innerText).toContain('Session state unknown'));

      // The same database again: the session was there all along, and the reload finds it.
      await lab.setStore({ kind: 'indexeddb' });
      part(root, 'reload').click();
      await vi.waitFor(() => expect(part(root, 'result').textContent).toContain('Page reloaded: signed in as ada.'));
      const shown = part(root, 'signed-in').innerText;
      expect(shown).toContain('Signed in as ada');
      expect(shown).not.toContain('Session state unknown');
      await lab.dispose();
      labs.splice(labs.indexOf(lab), 1);
      indexedDB.deleteDatabase(database);
    });
  });
});
