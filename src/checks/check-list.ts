/**
 * How a check's line shows its result, on the playground's Checks pane and on an exercise page alike:
 * its state (`data-state`, which the pages' stylesheets draw), what a screen reader hears, and under
 * a check that did not pass, what went wrong and, for a check that ran, how to fix it. Only ever text:
 * messages come from a worker that runs reader code.
 */
import type { CheckResult } from './check-protocol.ts';

/**
 * A line's state: before a run, while its check runs, and after. `not-offered`: the check needs an
 * optional method the store does not offer (neither a pass nor a failure).
 */
export type CheckLineState = 'waiting' | 'running' | 'pass' | 'fail' | 'skip' | 'not-offered';

/** How a run's summary reads: the stylesheets colour `data-tone` by these names. */
export type SummaryTone = 'neutral' | 'good' | 'bad';

/** Passed, failed, not offered, or not run (a check not offered or not run did not pass, but it did not fail either). */
export function resultState(result: CheckResult): Extract<CheckLineState, 'pass' | 'fail' | 'skip' | 'not-offered'> {
  if (result.passed) return 'pass';
  if (result.skipped === 'not-offered') return 'not-offered';
  return result.skipped !== undefined ? 'skip' : 'fail';
}

/** What a screen reader hears after a check's title, by its state. */
const HEARD: Record<ReturnType<typeof resultState>, string> = { pass: 'passed', fail: 'failed', skip: 'not run', 'not-offered': 'not offered by this store' };

/** The line's state and its name for a screen reader, from `result`. */
export function markCheckLine(item: HTMLElement, result: CheckResult): void {
  const state = resultState(result);
  item.dataset['state'] = state;
  item.setAttribute('aria-label', `${result.title}: ${HEARD[state]}`);
}

/**
 * What shows under a check that did not pass: the message (or why it was not run), then the hint,
 * which only a check that ran gets. A check not offered says which method the store does not offer,
 * what its users miss, and how to offer it. Classes `<prefix>-check-message` and `<prefix>-check-hint`.
 */
export function checkDetails(result: CheckResult, classPrefix: string): HTMLElement[] {
  if (result.passed) return [];
  const state = resultState(result);
  const text = state === 'not-offered' ? notOfferedText(result) : state === 'skip' ? (result.skipped ?? '') : (result.message ?? '');
  const details = [paragraph(`${classPrefix}-check-message`, text)];
  if (state !== 'skip' && result.hint) details.push(paragraph(`${classPrefix}-check-hint`, result.hint));
  return details;
}

/** "Not offered (optional). The store has no all(): …". */
function notOfferedText(result: CheckResult): string {
  return `Not offered (optional). ${result.message ?? `The store has no ${result.notOffered ?? 'such'}() method.`}`;
}

/** Every line under `root` back to waiting, with nothing under it. */
export function resetCheckLines(root: ParentNode, detailSelector: string): void {
  for (const item of root.querySelectorAll<HTMLElement>('[data-check]')) {
    item.dataset['state'] = 'waiting';
    item.querySelector(detailSelector)?.replaceChildren();
    item.removeAttribute('aria-label');
  }
}

/** Every line under `root` as not run: a run that could not start. */
export function skipCheckLines(root: ParentNode): void {
  for (const item of root.querySelectorAll<HTMLElement>('[data-check]')) item.dataset['state'] = 'skip';
}

/** The line of check `id` under `root`, if there is one. */
export function checkLine(root: ParentNode, id: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-check="${CSS.escape(id)}"]`);
}

/** Writes a run's summary. */
export function showSummary(element: HTMLElement, text: string, tone: SummaryTone = 'neutral'): void {
  element.textContent = text;
  element.dataset['tone'] = tone;
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}
