/**
 * Code that came from a share link. Whoever sent the link is unknown, so its code is treated as the
 * stranger's it is: it opens in the editor with a notice that says where it came from, it runs only
 * when the reader presses Run, and it is saved over nothing until the reader keeps it. Code the reader
 * kept but never ran is still not run when the page opens (drafts.ts `fromLink`).
 *
 * This holds that state and shows it (the `shared-notice` part of Playground.astro); the playground
 * asks it before it saves or runs anything by itself.
 */

export interface LinkCodeParts {
  notice: HTMLElement;
  detail: HTMLElement;
  actions: HTMLElement;
}

export class LinkCode {
  readonly #parts: LinkCodeParts;
  /** The editor shows a link's code that the reader has not kept: nothing is saved by itself. */
  #unsaved = false;
  /** The code came from a link and the reader has not run it on purpose: nothing runs it by itself. */
  #unrun = false;

  constructor(parts: LinkCodeParts) {
    this.#parts = parts;
  }

  get unsaved(): boolean {
    return this.#unsaved;
  }

  get unrun(): boolean {
    return this.#unrun;
  }

  /** A link's code was put in the editor. */
  opened(): void {
    this.#unsaved = true;
    this.#unrun = true;
    this.#show();
  }

  /** The page opened on a draft that came from a link and was never run. */
  openedKept(): void {
    this.#unsaved = false;
    this.#unrun = true;
    this.#show();
  }

  /** The reader saved the link's code on purpose: it is theirs to keep, still unrun if it was. */
  kept(): void {
    this.#unsaved = false;
    this.#show();
  }

  /** The reader ran the code on purpose. True when a kept draft should now be saved without its link mark. */
  ran(): boolean {
    if (!this.#unrun) return false;
    this.#unrun = false;
    this.#show();
    return !this.#unsaved;
  }

  /** The reader went back to their own code. */
  left(): void {
    this.#unsaved = false;
    this.#unrun = false;
    this.#show();
  }

  #show(): void {
    const { notice, detail, actions } = this.#parts;
    notice.hidden = !this.#unsaved && !this.#unrun;
    actions.hidden = !this.#unsaved;
    if (this.#unsaved) {
      detail.textContent = this.#unrun
        ? 'Who sent it is unknown. Read it before you run it: it runs only when you press Run. It is not saved over your own code unless you keep it.'
        : 'You ran it. It is still not saved over your own code unless you keep it.';
    } else {
      detail.textContent = 'You kept it and have not run it yet. Read it before you run it: it runs only when you press Run.';
    }
  }
}
