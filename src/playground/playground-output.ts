/**
 * The playground's Output pane: problems with the reader's code and what it logs, newest last, in
 * the order they happened. Everything in it is reader text or about reader code, so it is only ever
 * set as text (`textContent`), never as markup.
 */
import type { RuntimeReport } from '../checks/check-protocol.ts';
import type { Diagnostic } from '../editor/editor.ts';
import type { Problem } from './playground-messages.ts';

export interface OutputEntry {
  tone: Problem['tone'] | 'info' | 'log';
  source: string;
  title: string;
  detail: string;
  hint: string;
  /** The line of the editor it is about, when known: the entry gets a button that shows it. */
  line: number | null;
  /** The console level, for console output. */
  level?: string;
  /** When it happened (ms since the epoch, real time); default now. */
  time?: number;
}

/** The most entries kept; older ones go. */
const KEPT = 500;

export class OutputPane {
  readonly #list: HTMLElement;
  readonly #showLine: (line: number, message: string) => void;
  #lastProblem: { key: string; item: HTMLLIElement; count: number } | null = null;

  /** `showLine` runs when the reader presses an entry's line button. */
  constructor(list: HTMLElement, showLine: (line: number, message: string) => void) {
    this.#list = list;
    this.#showLine = showLine;
  }

  clear(): void {
    this.#list.replaceChildren();
    this.#lastProblem = null;
  }

  log(entry: OutputEntry): void {
    const list = this.#list;
    list.parentElement?.querySelector('[data-pg="log-empty"]')?.remove();
    // The same problem again (every request fails the same way): count it instead of repeating it.
    const key = `${entry.tone}|${entry.source}|${entry.title}|${entry.detail}`;
    if (entry.tone !== 'log' && entry.tone !== 'info' && this.#lastProblem?.key === key && list.lastElementChild === this.#lastProblem.item) {
      this.#lastProblem.count++;
      const counter = this.#lastProblem.item.querySelector<HTMLElement>('.pg-entry-count');
      if (counter) {
        counter.textContent = `×${this.#lastProblem.count}`;
        counter.hidden = false;
      }
      return;
    }
    const item = document.createElement('li');
    item.className = 'ui-row pg-entry';
    item.dataset['tone'] = entry.tone;
    if (entry.level) item.dataset['level'] = entry.level;
    const body = document.createElement('div');
    body.className = 'pg-entry-body';
    body.append(textElement(entry.tone === 'log' ? 'pre' : 'p', 'pg-entry-title', entry.title));
    if (entry.detail) body.append(textElement('p', 'pg-entry-detail', entry.detail));
    if (entry.hint) body.append(textElement('p', 'pg-entry-hint', entry.hint));
    const count = textElement('span', 'pg-entry-count', '');
    count.hidden = true;
    item.append(textElement('span', 'pg-entry-source', entry.source), body, count);
    if (entry.line !== null) item.append(this.lineButton(entry.line, entry.title));
    // In the order things happened: console output crosses from the worker on another channel than
    // the Lab's events, and may arrive after the failure it led to.
    const time = entry.time ?? performance.timeOrigin + performance.now();
    item.dataset['time'] = String(time);
    let before: Element | null = null;
    for (let previous = list.lastElementChild; previous && Number((previous as HTMLElement).dataset['time']) > time; previous = previous.previousElementSibling) before = previous;
    list.insertBefore(item, before);
    // Keep the newest in view, unless the reader scrolled up to read.
    const pane = list.closest<HTMLElement>('.pg-output');
    if (pane && pane.scrollHeight - pane.scrollTop - pane.clientHeight < 120) pane.scrollTop = pane.scrollHeight;
    if (list.children.length > KEPT) list.firstElementChild?.remove();
    this.#lastProblem = entry.tone === 'log' || entry.tone === 'info' ? null : { key, item, count: 1 };
  }

  /** What reader code printed to the console. */
  report(report: RuntimeReport): void {
    if (report.type !== 'console') return;
    const tone = report.level === 'error' ? 'error' : report.level === 'warn' ? 'warning' : 'log';
    this.log({ tone, source: report.source, title: report.text, detail: '', hint: '', line: report.line, level: report.level, time: report.time });
  }

  /** A compile error that stops the code from running. */
  diagnostic(diagnostic: Diagnostic): void {
    this.log({ tone: 'error', source: 'compile', title: `Line ${diagnostic.line}: ${diagnostic.message}`, detail: '', hint: '', line: diagnostic.line });
  }

  /** A button that shows `line` of the editor, marked with `message`. */
  lineButton(line: number, message: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'pg-line';
    button.textContent = `Line ${line}`;
    button.setAttribute('aria-label', `Show line ${line} in the editor`);
    button.addEventListener('click', () => this.#showLine(line, message));
    return button;
  }
}

/** An element of `tag` with `className`, holding `text` as text. */
export function textElement(tag: string, className: string, text: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}
