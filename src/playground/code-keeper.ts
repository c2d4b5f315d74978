/**
 * Keeping the playground's code: the reader's draft saved as they type (drafts.ts), share links made
 * and opened (share-link.ts), and code from a link kept apart (link-code.ts): shown with a notice,
 * saved over nothing until the reader keeps it, and run only when the reader presses Run.
 */
import type { Draft, DraftStore, HungCode } from '../editor/drafts.ts';
import type { PlaygroundEditor } from '../editor/editor.ts';
import type { PlaygroundLanguage } from '../editor/editor-language.ts';
import { LinkCode } from './link-code.ts';
import { STARTERS } from './playground-code.ts';
import { decodeShare, encodeShare, isShareFragment } from './share-link.ts';

/** Real ms after the last keystroke before the code is saved by itself. */
const AUTOSAVE_MS = 800;
const NOT_SAVED_FROM_LINK = 'Not saved: code from a link is kept apart from yours until you keep it.';

/** What the keeper needs of the playground. */
export interface CodeKeeperHost {
  editor(): PlaygroundEditor;
  part<T extends HTMLElement = HTMLElement>(name: string): T;
  status(text: string, tone: 'idle' | 'busy' | 'ok' | 'error'): void;
  showLanguage(language: PlaygroundLanguage): void;
}

export class CodeKeeper {
  readonly #key: string;
  readonly #drafts: DraftStore;
  readonly #host: CodeKeeperHost;
  readonly #link: LinkCode;
  #autosave: ReturnType<typeof setTimeout> | undefined;
  /** Edits made since the last save. */
  #editsToSave = false;
  /** The code that hung when it last ran, kept with the draft. */
  #hung: HungCode | null = null;

  constructor(key: string, drafts: DraftStore, host: CodeKeeperHost) {
    this.#key = key;
    this.#drafts = drafts;
    this.#host = host;
    this.#link = new LinkCode({ notice: host.part('shared-notice'), detail: host.part('shared-detail'), actions: host.part('shared-actions') });
  }

  /** Whether the code in the editor came from a link and the reader has not run it on purpose: nothing may run it by itself. */
  get unrunFromLink(): boolean {
    return this.#link.unrun;
  }

  /**
   * At start: the link in the address, if any, or else says so when the saved draft came from a link
   * and never ran. True when the code shown must wait for the reader's Run.
   */
  async opening(draft: Draft | null): Promise<boolean> {
    this.#hung = draft?.hung ?? null;
    if (await this.openShared()) return true;
    if (!draft?.fromLink) return false;
    this.#link.openedKept();
    this.#host.status('This code came from a link and has not run yet. Read it first. Press Run to run it.', 'idle');
    return true;
  }

  /** The code that hung when it last ran (this page or an earlier one), if any. */
  get hung(): HungCode | null {
    return this.#hung;
  }

  /** `hung` hung the Lab's server: kept with the draft, so that the page never runs it by itself. */
  markHung(hung: HungCode): void {
    this.#hung = hung;
    void this.save(false);
  }

  /** The code was edited: saved a moment later, unless it is a link's code the reader has not kept. */
  edited(): void {
    clearTimeout(this.#autosave);
    if (this.#link.unsaved) return;
    this.#editsToSave = true;
    this.#host.part('saved').textContent = 'Not saved yet.';
    this.#autosave = setTimeout(() => void this.save(false), AUTOSAVE_MS);
  }

  /**
   * Saves the code of both languages for this page. Code from a link is saved only when the reader asks
   * (`manual`): until then it stays apart, and the reader's own draft stays as it was.
   */
  async save(manual = true): Promise<void> {
    clearTimeout(this.#autosave);
    const saved = this.#host.part('saved');
    if (this.#link.unsaved && !manual) {
      saved.textContent = NOT_SAVED_FROM_LINK;
      return;
    }
    const editor = this.#host.editor();
    try {
      await this.#drafts.save(this.#key, {
        language: editor.language,
        code: { typescript: editor.getValue('typescript'), javascript: editor.getValue('javascript') },
        savedAt: new Date().toISOString(),
        ...(this.#link.unrun ? { fromLink: true as const } : {}),
        ...(this.#hung ? { hung: this.#hung } : {}),
      });
      saved.textContent = `Saved ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}${manual ? '' : ' (as you type)'}.`;
      this.#editsToSave = false;
      if (this.#link.unsaved) {
        // Kept on purpose: the reader's draft now, and the link leaves the address.
        this.#link.kept();
        this.#forgetLink();
      }
    } catch (error) {
      saved.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** A link that carries the code; copied to the clipboard when the browser allows. */
  async share(): Promise<string> {
    const editor = this.#host.editor();
    const fragment = await encodeShare({ language: editor.language, code: editor.getValue() });
    const link = `${location.origin}${location.pathname}${location.search}${fragment}`;
    const field = this.#host.part<HTMLInputElement>('share-link');
    const note = this.#host.part('share-note');
    this.#host.part('share-box').hidden = false;
    field.value = link;
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = `Copied to the clipboard (${link.length} characters). Anyone who opens it gets this code, nothing else.`;
    } catch {
      note.textContent = 'Copy the link from the field (the browser did not let the page copy it).';
    }
    return link;
  }

  /**
   * Code from a share link (the URL fragment): shown in place of the current code, as one undoable edit,
   * with a notice. It runs only on Run and is saved only on purpose; the fragment stays in the address,
   * so a reload shows it again, until the reader keeps it or goes back to their own code.
   */
  async openShared(): Promise<boolean> {
    const shared = await decodeShare(location.hash);
    if (!shared) return false;
    // What the reader typed and was not saved yet is theirs: saved before the link's code takes its place.
    if (!this.#link.unsaved && this.#editsToSave) await this.save(false);
    this.#link.opened();
    const editor = this.#host.editor();
    this.#host.showLanguage(shared.language);
    editor.setLanguage(shared.language);
    if (editor.getValue() !== shared.code) editor.replaceAll(shared.code);
    this.#host.part('saved').textContent = NOT_SAVED_FROM_LINK;
    this.#host.status('Opened the code of a share link. Read it first: nothing of it has run. Press Run to run it.', 'idle');
    return true;
  }

  /** Back to the reader's own saved code (or the starter): the link's code goes, as one undoable edit. */
  async leaveLink(): Promise<void> {
    const draft = await this.#drafts.load(this.#key);
    this.#link.left();
    this.#forgetLink();
    const editor = this.#host.editor();
    editor.replaceAll(draft?.code[editor.language] ?? STARTERS[editor.language]);
    this.#host.part('saved').textContent = '';
    this.#host.status('Back to your own code. Press Run to run it.', 'idle');
    editor.focus();
  }

  /** The reader ran the code on purpose: code that came from a link may run by itself from now on. */
  ranOnPurpose(): void {
    if (this.#link.ran()) void this.save(true);
  }

  dispose(): void {
    clearTimeout(this.#autosave);
  }

  /** Takes the link out of the address, so a reload opens the reader's own code. */
  #forgetLink(): void {
    if (isShareFragment(location.hash)) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
}
