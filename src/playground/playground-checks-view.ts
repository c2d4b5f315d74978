/**
 * The playground's Checks pane: the conformance checks, one line each under "Required" and
 * "Recommended", each with its verdict, message and hint as a run reports it, and a summary.
 * Levels are the page's own (the check runner gives each result the level of the page's check), never the worker's.
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import type { CheckResult } from '../session/conformance/index.ts';
import { checkDetails, checkLine, markCheckLine, resultState, showSummary, skipCheckLines, type SummaryTone } from '../checks/check-list.ts';
import type { CheckRunOutcome } from '../checks/check-runner.ts';
import type { StatusTone } from '../editor/editor-controls.ts';
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
      const verdict = checksVerdict(outcome);
      this.#status(verdict.text, verdict.tone);
      return;
    }
    const required = tally(outcome.results, 'required');
    const recommended = tally(outcome.results, 'recommended');
    const requiredFailed = required.passed < required.offered;
    const stuck = outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : '';
    this.summary(
      `Required: ${counted(required)}. Recommended: ${counted(recommended)}.${stuck}${requiredFailed ? '' : ' Every required check passes.'}`,
      requiredFailed ? 'bad' : 'good',
    );
    this.#element.notify('checks', requiredFailed ? '!' : '✓');
    const verdict = checksVerdict(outcome);
    this.#status(verdict.text, verdict.tone);
    if (verdict.first) this.#showFirst(verdict.first.id);
  }

  /**
   * Brings the line of check `id` into view in the Checks pane's scroll box; and, when the reader is
   * waiting on the Run checks button (or focus is nowhere), moves focus to it, so a keyboard or screen
   * reader user lands on what failed. A reader who went back to the editor keeps their place.
   */
  #showFirst(id: string): void {
    const item = this.#line(id);
    // A line with no box is in a panel out of view (a narrow screen's other tab): nothing to show or focus.
    if (!item || item.getClientRects().length === 0) return;
    item.tabIndex = -1;
    const active = document.activeElement;
    if (active === null || active === document.body || active === this.#element.querySelector('[data-pg="checks"]')) {
      item.focus();
      return;
    }
    const box = item.closest<HTMLElement>('.pg-checks');
    if (box) box.scrollTop += item.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }

  /**
   * The page's status line (role="status": a screen reader hears it): the Checks pane may be out of
   * sight, below the editor, when a run ends. What it said of the Lab is kept when that was a problem
   * (the code hung there, or did not start): the reader still has to act on it.
   */
  #status(text: string, tone: StatusTone): void {
    // The status line is the page's, not the pane's: a host without one (a pane shown on its own) just has no score there.
    const status = this.#element.querySelector<HTMLElement>('[data-pg="status"]');
    const textPart = status?.querySelector<HTMLElement>('[data-pg="status-text"]');
    if (!status || !textPart) return;
    const kept = status.dataset['tone'] === 'error' ? ` ${textPart.textContent ?? ''}`.trimEnd() : '';
    textPart.textContent = `${text}${kept}`;
    status.dataset['tone'] = tone === 'error' || kept !== '' ? 'error' : tone;
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

/** How the checks of one level went. A check not offered (an optional method the store does not have) is neither passed nor failed: counted apart. */
interface Tally {
  passed: number;
  /** Checks that apply to the store: all but those not offered. */
  offered: number;
  failed: CheckResult[];
  notRun: number;
  notOffered: number;
}

function tally(results: readonly CheckResult[], level: 'required' | 'recommended'): Tally {
  const states = results.filter((result) => result.level === level).map((result) => [result, resultState(result)] as const);
  return {
    passed: states.filter(([, state]) => state === 'pass').length,
    offered: states.filter(([, state]) => state !== 'not-offered').length,
    failed: states.filter(([, state]) => state === 'fail').map(([result]) => result),
    notRun: states.filter(([, state]) => state === 'skip').length,
    notOffered: states.filter(([, state]) => state === 'not-offered').length,
  };
}

/** "12 of 13 passed, 2 not offered", for the summary. */
function counted(tally: Tally): string {
  return `${tally.passed} of ${tally.offered} passed${tally.notOffered > 0 ? `, ${tally.notOffered} not offered` : ''}`;
}

function fails(count: number): string {
  return `${count} ${count === 1 ? 'fails' : 'fail'}`;
}

/** What the status line says when a run of the checks ends, and the check to show first (the first that failed). */
export interface ChecksVerdict {
  text: string;
  tone: StatusTone;
  first: CheckResult | null;
}

/**
 * The score of a run of the checks, for the status line: "Checks: 12 of 13 required pass; 1 fails:
 * <its title>." Required checks first: a store that fails one is not ready; then the recommended ones.
 */
export function checksVerdict(outcome: CheckRunOutcome): ChecksVerdict {
  if (outcome.kind === 'failed') {
    return { text: 'Your store did not load, so no check could run. See the message under Checks.', tone: 'error', first: null };
  }
  const required = tally(outcome.results, 'required');
  const recommended = tally(outcome.results, 'recommended');
  const notRun = required.notRun + recommended.notRun;
  const after = `${notRun > 0 ? ` ${notRun} not run.` : ''}${outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : ''}`;
  const firstRequired = required.failed[0];
  if (firstRequired || required.passed < required.offered) {
    const failing = firstRequired ? `; ${fails(required.failed.length)}: ${firstRequired.title}` : '';
    return {
      text: `Checks: ${required.passed} of ${required.offered} required pass${failing}.${after} Read the messages and hints under Checks.`,
      tone: 'error',
      first: firstRequired ?? null,
    };
  }
  const firstRecommended = recommended.failed[0];
  if (firstRecommended) {
    return {
      text: `Checks: all ${required.offered} required pass; ${recommended.failed.length} of ${recommended.offered} recommended ${recommended.failed.length === 1 ? 'fails' : 'fail'}: ${firstRecommended.title}.${after}`,
      tone: 'ok',
      first: firstRecommended,
    };
  }
  return { text: `Checks: all ${required.offered} required and ${recommended.passed} of ${recommended.offered} recommended pass.${after}`, tone: 'ok', first: null };
}

function icon(state: 'pass' | 'fail' | 'skip' | 'not-offered' | 'waiting'): HTMLElement {
  const mark = { pass: '✓', fail: '✗', skip: '–', 'not-offered': '○', waiting: '·' }[state];
  const element = textElement('span', 'pg-check-icon', mark);
  element.setAttribute('aria-hidden', 'true');
  return element;
}
