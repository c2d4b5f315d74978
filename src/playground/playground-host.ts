/**
 * What the playground's parts need of the `<session-playground>` element (playground-element.ts): its
 * markup, and its panels. Its own module, so the element (which loads the playground) and the
 * playground (which works in the element) do not import each other.
 */

/** The element's panels: tabs on a narrow screen, side by side on a wide one. */
export type PanelId = 'code' | 'output' | 'checks' | 'lab';

export interface PlaygroundHost extends HTMLElement {
  /** Brings `panel` into view. */
  show(panel: PanelId): void;
  /** Marks `panel`'s tab with `text` (`!`, `✓`) while the panel is out of view. */
  notify(panel: PanelId, text: string): void;
}
