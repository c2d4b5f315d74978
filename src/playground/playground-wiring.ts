/**
 * The playground's buttons, language switch and keyboard shortcuts, wired to what they do. The
 * shortcuts work anywhere in the playground; inside the editor, Monaco handles them (editor.ts).
 */
import { isPlaygroundLanguage, type PlaygroundLanguage } from '../editor/editor-language.ts';

export interface PlaygroundActions {
  /** By the `data-pg` name of the button that does it. */
  buttons: Record<string, () => unknown>;
  language(language: PlaygroundLanguage): void;
  run(): unknown;
  save(): unknown;
}

/** Wires `element`'s controls to `actions` until `signal` aborts. A button marked `aria-disabled` does nothing. */
export function wirePlayground(element: HTMLElement, actions: PlaygroundActions, signal: AbortSignal): void {
  for (const [name, action] of Object.entries(actions.buttons)) {
    const button = element.querySelector<HTMLElement>(`[data-pg="${name}"]`);
    if (!button) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    button.addEventListener(
      'click',
      () => {
        if (button.getAttribute('aria-disabled') === 'true') return;
        void action();
      },
      { signal },
    );
  }
  element.querySelector('[data-pg="languages"]')?.addEventListener(
    'change',
    (event) => {
      const value = (event.target as HTMLInputElement).value;
      if (isPlaygroundLanguage(value)) actions.language(value);
    },
    { signal },
  );
  element.addEventListener(
    'keydown',
    (event) => {
      if (!(event.ctrlKey || event.metaKey) || (event.target as Element).closest('[data-pg="editor"]')) return;
      if (event.key === 'Enter') {
        event.preventDefault();
        void actions.run();
      } else if (event.key.toLowerCase() === 's') {
        event.preventDefault();
        void actions.save();
      }
    },
    { signal },
  );
}
