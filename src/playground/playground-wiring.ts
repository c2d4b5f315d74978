/**
 * The playground's buttons, language switch and keyboard shortcuts, wired to what they do
 * (src/editor/editor-controls.ts, as on the exercise pages).
 */
import { wireEditorControls } from '../editor/editor-controls.ts';
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
  const buttons = Object.entries(actions.buttons).map(([name, action]) => {
    const button = element.querySelector<HTMLElement>(`[data-pg="${name}"]`);
    if (!button) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    return [button, action] as const;
  });
  wireEditorControls(element, { buttons, editorHost: '[data-pg="editor"]', run: actions.run, save: actions.save }, signal);
  element.querySelector('[data-pg="languages"]')?.addEventListener(
    'change',
    (event) => {
      const value = (event.target as HTMLInputElement).value;
      if (isPlaygroundLanguage(value)) actions.language(value);
    },
    { signal },
  );
}
