/**
 * `<session-exercise>`: an exercise page's instructions, editor and checks. The page loads only this
 * file up front; the editor (Monaco, src/editor/editor.ts) and the exercise's logic
 * (exercise-app.ts) come in chunks of their own as soon as the element is on the page.
 *
 * Exercise.astro defines the element: package.json's sideEffects would let a module that only
 * defines it on import be dropped from the bundle.
 */
import type { ExerciseApp, ExercisePageData } from './exercise-app.ts';

export class ExerciseElement extends HTMLElement {
  #app: ExerciseApp | null = null;

  connectedCallback(): void {
    const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    for (const key of this.querySelectorAll('[data-ex="mod"]')) key.textContent = mac ? '⌘' : 'Ctrl';
    void this.#load();
  }

  disconnectedCallback(): void {
    this.#app?.dispose();
    this.#app = null;
  }

  /** The running exercise, once the editor has loaded (tests use it to set code without typing). */
  get app(): ExerciseApp | null {
    return this.#app;
  }

  async #load(): Promise<void> {
    try {
      const data = JSON.parse(this.querySelector('script[data-ex="data"]')?.textContent ?? 'null') as ExercisePageData | null;
      if (!data) throw new Error('the page carries no exercise data');
      const [editorModule, appModule] = await Promise.all([import('../editor/editor.ts'), import('./exercise-app.ts')]);
      if (!this.isConnected) return;
      this.#app = await appModule.startExercise(this, editorModule, data);
      this.dataset['ready'] = '';
      this.dispatchEvent(new CustomEvent('exercise-ready', { bubbles: true }));
    } catch (error) {
      const status = this.querySelector<HTMLElement>('[data-ex="status"]');
      const text = this.querySelector('[data-ex="status-text"]');
      if (status) status.dataset['tone'] = 'error';
      if (text) text.textContent = `The editor could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
      throw error;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-exercise': ExerciseElement;
  }
}
