/**
 * The Lab beside the playground's editor (`<session-lab>`): connected once, it runs the reader's
 * stores (`useStore`) and reports what happens in the simulation.
 */
import type { SessionLabElement } from '../components/lab/session-lab-element.ts';
import type { SimController, SimEvent, StoreChoice } from '../sim/protocol.ts';

export class PlaygroundLab {
  #lab: SessionLabElement | null = null;
  #controller: SimController | null = null;
  #unsubscribe: (() => void) | null = null;
  /** Settles once the Lab runs (or failed to start, or there is none). */
  ready: Promise<void> = Promise.resolve();

  /** Connects to the Lab in `host`; `onEvent` hears its events, `onFailed` why it did not start. */
  connect(host: HTMLElement, onEvent: (event: SimEvent) => void, onFailed: (message: string) => void): Promise<void> {
    this.ready = (async () => {
      const lab = host.querySelector('session-lab');
      if (!lab) return;
      await customElements.whenDefined('session-lab');
      this.#lab = lab;
      try {
        this.#controller = await lab.simulation();
      } catch (error) {
        onFailed(error instanceof Error ? error.message : String(error));
        return;
      }
      this.#unsubscribe = this.#controller.subscribe((event) => {
        if (event) onEvent(event);
      });
    })();
    return this.ready;
  }

  /** Runs the server on `choice`, once the Lab is ready; true when it serves it now. */
  async useStore(choice: StoreChoice, label: string): Promise<boolean> {
    await this.ready;
    await this.#lab?.useStore(choice, label);
    return this.#controller?.options.store === choice;
  }

  /** Whether the server runs a store of the reader's (a module). */
  get servingReaderCode(): boolean {
    return this.#controller?.options.store.kind === 'module';
  }

  dispose(): void {
    this.#unsubscribe?.();
  }
}
