/**
 * The playground's Checks pane: the conformance checks, one line each under "Required" and
 * "Recommended", each with its verdict, message and hint as a run reports it, and a summary.
 * Levels are the page's own (the check runner gives each result the level of the page's check), never the worker's.
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import type { CheckResult } from '../session/conformance/index.ts';
import { checkDetails, checkLine, markCheckLine, resultState, showSummary, skipCheckLines, type SummaryTone } from '../checks/check-list.ts';
import type { CheckRunOutcome } from '../checks/check-runner.ts';
import type { PlaygroundHost } from './playground-host.ts';
import { lineInMessage } from './playground-messages.ts';
import { textElement, type OutputEntry } from './playground-output.ts';

export interface ChecksViewOptions {
  /** A button that shows a line of the editor (the Output pane's). */
  lineButton(line: number, message: string): HTMLButtonElement;
  /** Writes to the Output pane. */
  log(entry: OutputEntry): void;
}

export class ChecksView {
  readonly #element: PlaygroundHost;
  readonly #options: ChecksViewOptions;
  /** The code (language and source) the results shown are for; null before a run has finished. */
  #checkedCode: string | null = null;

  constructor(element: PlaygroundHost, options: ChecksViewOptions) {
    this.#element = element;
    this.#options = options;
  }

  /** Every check, waiting. */
  waiting(): void {
    this.#checkedCode = null;
    this.#markStale(false);
    for (const level of ['required', 'recommended'] as const) {
      this.#part(`checks-${level}`).replaceChildren(
        ...conformanceChecks
          .filter((check) => check.level === level)
          .map((check) => {
            const item = document.createElement('li');
            item.className = 'pg-check';
            item.dataset['check'] = check.id;
            item.dataset['state'] = 'waiting';
            item.append(icon('waiting'), textElement('span', 'pg-check-title', check.title));
            return item;
          }),
      );
    }
  }

  started(id: string): void {
    this.#line(id)?.setAttribute('data-state', 'running');
  }

  result(result: CheckResult): void {
    const item = this.#line(result.id);
    if (!item) return;
    const state = resultState(result);
    const body = document.createElement('div');
    body.className = 'pg-check-body';
    body.append(textElement('span', 'pg-check-title', result.title), ...checkDetails(result, 'pg'));
    if (!result.passed) {
      const message = result.skipped ?? result.message ?? '';
      const line = lineInMessage(message);
      if (line !== null) body.append(this.#options.lineButton(line, message));
    }
    item.replaceChildren(icon(state), body);
    markCheckLine(item, result);
  }

  /** The code in the editor now: results shown for other code are marked out of date. */
  codeIs(code: string): void {
    if (this.#checkedCode !== null) this.#markStale(code !== this.#checkedCode);
  }

  #markStale(stale: boolean): void {
    const note = this.#part('checks-stale');
    note.hidden = !stale;
    // Dims the results (playground.css) while they are for other code.
    note.closest('.pg-checks')?.toggleAttribute('data-stale', stale);
  }

  /** The summary of a finished run of the checks on `code`. */
  finished(outcome: CheckRunOutcome, code: string): void {
    this.#checkedCode = code;
    if (outcome.kind === 'failed') {
      this.summary(`Not checked: ${outcome.message}`, 'bad');
      skipCheckLines(this.#element);
      const line = lineInMessage(outcome.message);
      this.#options.log({ tone: 'error', source: 'checks', title: 'The checks could not run your store', detail: outcome.message, hint: '', line });
      return;
    }
    // A check not offered (an optional method the store does not have) is neither passed nor failed: counted apart.
    const count = (level: 'required' | 'recommended'): string => {
      const ofLevel = outcome.results.filter((result) => result.level === level);
      const offered = ofLevel.filter((result) => result.skipped !== 'not-offered');
      const notOffered = ofLevel.length - offered.length;
      return `${offered.filter((result) => result.passed).length} of ${offered.length} passed${notOffered > 0 ? `, ${notOffered} not offered` : ''}`;
    };
    const requiredFailed = outcome.results.some((result) => result.level === 'required' && !result.passed);
    const stuck = outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : '';
    this.summary(
      `Required: ${count('required')}. Recommended: ${count('recommended')}.${stuck}${requiredFailed ? '' : ' Every required check passes.'}`,
      requiredFailed ? 'bad' : 'good',
    );
    this.#element.notify('checks', requiredFailed ? '!' : '✓');
  }

  summary(text: string, tone: SummaryTone = 'neutral'): void {
    showSummary(this.#part('checks-summary'), text, tone);
  }

  #line(id: string): HTMLElement | null {
    return checkLine(this.#element, id);
  }

  #part(name: string): HTMLElement {
    const part = this.#element.querySelector<HTMLElement>(`[data-pg="${name}"]`);
    if (!part) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    return part;
  }
}

function icon(state: 'pass' | 'fail' | 'skip' | 'not-offered' | 'waiting'): HTMLElement {
  const mark = { pass: '✓', fail: '✗', skip: '–', 'not-offered': '○', waiting: '·' }[state];
  const element = textElement('span', 'pg-check-icon', mark);
  element.setAttribute('aria-hidden', 'true');
  return element;
}
