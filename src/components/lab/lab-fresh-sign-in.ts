/**
 * A sensitive action behind a fresh sign-in: changing the account's email address. The server
 * answers 403 (`stale-sign-in`) when the last real sign-in is older than `FRESH_SIGN_IN_MS`; the
 * page then asks "Confirm your password", re-authenticates, and sends the change again. Moving the
 * virtual clock makes a sign-in stale on demand.
 *
 * Loaded when the reader first uses the email form (lab-demo-app.ts): most readers never do, and the
 * Lab's first load stays within its JavaScript budget.
 */
import { FRESH_SIGN_IN_MS } from '../../sim/protocol.ts';
import { stringOf, type DemoShell } from './lab-demo-requests.ts';
import { formatDuration } from './lab-format.ts';

export class DemoFreshSignIn {
  readonly #app: DemoShell;
  /** The address waiting for the password, while the page asks for it. */
  #waiting: string | null = null;
  /** Called with the new address once the server took it. */
  readonly #changed: (email: string) => void;

  constructor(app: DemoShell, changed: (email: string) => void) {
    this.#app = app;
    this.#changed = changed;
  }

  /** The reader asked to change the address (the email form). */
  change(email: string): Promise<void> {
    return this.#change(email);
  }

  /** The reader typed their password (the password step's form). */
  confirm(password: string): Promise<void> {
    return this.#confirm(password);
  }

  /** The reader cancelled the password step. */
  cancel(): void {
    this.close();
    this.#app.context.part<HTMLFormElement>('email-form')?.querySelector('input')?.focus();
  }

  /** Hides the password step (the page changed browsers, or signed out). */
  close(): void {
    this.#waiting = null;
    const step = this.#app.context.part('confirm');
    if (step) step.hidden = true;
    const password = this.#app.context.part<HTMLFormElement>('confirm-form')?.querySelector('input');
    if (password) password.value = '';
  }

  async #change(email: string): Promise<void> {
    const reply = await this.#app.send('email', { method: 'POST', body: { email } });
    if (!reply) return;
    if (reply.status === 200) {
      this.close();
      const saved = stringOf(reply.body?.['email']) ?? email;
      this.#changed(saved);
      this.#app.result(reply.browser, 'ok', `Your email is now ${saved}.`, `Your sign-in was recent enough (within ${formatDuration(FRESH_SIGN_IN_MS)}), so the server made the change without asking again.`);
      return;
    }
    if (reply.status === 403 && reply.body?.['reason'] === 'stale-sign-in') {
      this.#waiting = email;
      const step = this.#app.context.part('confirm');
      if (step) step.hidden = false;
      this.#app.result(
        reply.browser,
        'warn',
        'Confirm your password to change your email.',
        `You signed in more than ${formatDuration(FRESH_SIGN_IN_MS)} ago. You are still signed in, but a sensitive change needs a recent sign-in: the server answered 403 (stale sign-in), so someone at an unlocked computer cannot take the account over.`,
      );
      this.#app.context.part<HTMLFormElement>('confirm-form')?.querySelector('input')?.focus();
      return;
    }
    if (reply.status === 400) {
      this.#app.result(reply.browser, 'error', 'Type an email address.', 'The server answered 400 Bad Request: an address needs an @.');
      return;
    }
    this.#app.failed('email', reply);
  }

  async #confirm(password: string): Promise<void> {
    const reply = await this.#app.send('reauthenticate', { method: 'POST', body: { password } });
    if (!reply) return;
    if (reply.status === 400) {
      this.#app.result(reply.browser, 'error', 'Type your password.', 'Any password works in this demo; a real server checks it.');
      return;
    }
    if (reply.status !== 200) return this.#app.failed('reauthenticate', reply);
    const email = this.#waiting;
    this.close();
    // The sign-in is fresh again: the change goes through now.
    if (email !== null) await this.#change(email);
  }
}
