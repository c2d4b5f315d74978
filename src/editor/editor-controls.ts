/**
 * What the playground and the exercise pages share around their editor: buttons wired to what they
 * do (and doing nothing while marked busy), the keyboard shortcuts outside the editor, and the tones
 * of the status line. Inside the editor, Monaco handles the same shortcuts itself (editor.ts).
 */

/** How the status line under an editor looks: the pages' stylesheets colour `data-tone` by these names. */
export type StatusTone = 'idle' | 'busy' | 'ok' | 'error';

export interface EditorControls {
  /** Each button, and what clicking it does. A button marked `aria-disabled="true"` does nothing. */
  buttons: Iterable<readonly [HTMLElement, () => unknown]>;
  /** A selector for the editor's host: inside it the shortcuts are Monaco's, not these. */
  editorHost: string;
  /** Ctrl+Enter (⌘+Enter). */
  run(): unknown;
  /** Ctrl+S (⌘+S). */
  save(): unknown;
}

/** Wires the buttons and shortcuts of `element` until `signal` aborts. */
export function wireEditorControls(element: HTMLElement, controls: EditorControls, signal: AbortSignal): void {
  for (const [button, action] of controls.buttons) {
    button.addEventListener(
      'click',
      () => {
        if (button.getAttribute('aria-disabled') === 'true') return;
        void action();
      },
      { signal },
    );
  }
  element.addEventListener(
    'keydown',
    (event) => {
      if (!(event.ctrlKey || event.metaKey) || (event.target as Element).closest(controls.editorHost)) return;
      if (event.key === 'Enter') {
        event.preventDefault();
        void controls.run();
      } else if (event.key.toLowerCase() === 's') {
        event.preventDefault();
        void controls.save();
      }
    },
    { signal },
  );
}

/**
 * Marks `button` busy (a click does nothing, `data-busy` for the stylesheet, `label` as its text if
 * given) and returns what puts it back as it was.
 */
export function markBusy(button: HTMLElement, label?: string): () => void {
  const text = button.textContent;
  button.setAttribute('aria-disabled', 'true');
  button.dataset['busy'] = '';
  if (label !== undefined) button.textContent = label;
  return () => {
    button.removeAttribute('aria-disabled');
    delete button.dataset['busy'];
    if (label !== undefined) button.textContent = text;
  };
}
