/**
 * The playground's Checks pane: the conformance checks, one line each under "Required" and
 * "Recommended", each with its verdict, message and hint as a run reports it, and a summary.
 * Levels are the page's own (the check runner gives each result the level of the page's check), never the worker's.
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import type { CheckResult } from '../session/conformance/index.ts';
import type { CheckRunOutcome } from '../checks/check-runner.ts';
import type { PlaygroundHost } from './playground-host.ts';
import { lineInMessage } from './playground-messages.ts';
import { textElement, type OutputEntry } from './playground-output.ts';

type Verdict = 'neutral' | 'good' | 'bad';

export interface ChecksViewOptions {
  /** A button that shows a line of the editor (the Output pane's). */
  lineButton(line: number, message: string): HTMLButtonElement;
  /** Writes to the Output pane. */
  log(entry: OutputEntry): void;
}

export class ChecksView {
  readonly #element: PlaygroundHost;
  readonly #options: ChecksViewOptions;

  constructor(element: PlaygroundHost, options: ChecksViewOptions) {
    this.#element = element;
    this.#options = options;
  }

  /** Every check, waiting. */
  waiting(): void {
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
    const state = result.passed ? 'pass' : result.skipped ? 'skip' : 'fail';
    item.dataset['state'] = state;
    const body = document.createElement('div');
    body.className = 'pg-check-body';
    body.append(textElement('span', 'pg-check-title', result.title));
    if (!result.passed) {
      const message = result.skipped ?? result.message ?? '';
      body.append(textElement('p', 'pg-check-message', message));
      if (!result.skipped && result.hint) body.append(textElement('p', 'pg-check-hint', result.hint));
      const line = lineInMessage(message);
      if (line !== null) body.append(this.#options.lineButton(line, message));
    }
    item.replaceChildren(icon(state), body);
    item.setAttribute('aria-label', `${result.title}: ${state === 'pass' ? 'passed' : state === 'skip' ? 'not run' : 'failed'}`);
  }

  /** The summary of a finished run. */
  finished(outcome: CheckRunOutcome): void {
    if (outcome.kind === 'failed') {
      this.summary(`Not checked: ${outcome.message}`, 'bad');
      for (const item of this.#element.querySelectorAll<HTMLElement>('.pg-check')) item.dataset['state'] = 'skip';
      const line = lineInMessage(outcome.message);
      this.#options.log({ tone: 'error', source: 'checks', title: 'The checks could not run your store', detail: outcome.message, hint: '', line });
      return;
    }
    const count = (level: 'required' | 'recommended'): string => {
      const ofLevel = outcome.results.filter((result) => result.level === level);
      return `${ofLevel.filter((result) => result.passed).length} of ${ofLevel.length}`;
    };
    const requiredFailed = outcome.results.some((result) => result.level === 'required' && !result.passed);
    const stuck = outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : '';
    this.summary(
      `Required: ${count('required')} passed. Recommended: ${count('recommended')} passed.${stuck}${requiredFailed ? '' : ' Every required check passes.'}`,
      requiredFailed ? 'bad' : 'good',
    );
    this.#element.notify('checks', requiredFailed ? '!' : '✓');
  }

  summary(text: string, tone: Verdict = 'neutral'): void {
    const summary = this.#part('checks-summary');
    summary.textContent = text;
    summary.dataset['tone'] = tone;
  }

  #line(id: string): HTMLLIElement | null {
    return this.#element.querySelector<HTMLLIElement>(`[data-check="${CSS.escape(id)}"]`);
  }

  #part(name: string): HTMLElement {
    const part = this.#element.querySelector<HTMLElement>(`[data-pg="${name}"]`);
    if (!part) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    return part;
  }
}

function icon(state: 'pass' | 'fail' | 'skip' | 'waiting'): HTMLElement {
  const mark = { pass: '✓', fail: '✗', skip: '–', waiting: '·' }[state];
  const element = textElement('span', 'pg-check-icon', mark);
  element.setAttribute('aria-hidden', 'true');
  return element;
}
