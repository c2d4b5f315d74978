/**
 * When "Run checks" ends, the score reaches the reader where they are: the status line (which a
 * screen reader hears) says it with the first failing check, and that check's line is brought into
 * view in the Checks pane, focused when the reader is waiting on the Run checks button.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformanceChecks, type CheckResult } from '../../src/session/conformance/index.ts';
import type { CheckRunOutcome } from '../../src/checks/check-runner.ts';
import { ChecksView, checksVerdict } from '../../src/playground/playground-checks-view.ts';
import type { PlaygroundHost } from '../../src/playground/playground-host.ts';

const required = conformanceChecks.filter((check) => check.level === 'required');
const recommended = conformanceChecks.filter((check) => check.level === 'recommended');
/** The last required check: its line is at the bottom of the Required list, out of the pane's sight. */
const lastRequired = required.at(-1)!;
const firstRecommended = recommended[0]!;

/** A result for every check: those in `failing` failed with their message, the rest passed. */
function results(failing: Record<string, string> = {}): CheckResult[] {
  return conformanceChecks.map((check) => {
    const message = failing[check.id];
    return { id: check.id, title: check.title, level: check.level, passed: message === undefined, ...(message === undefined ? {} : { message }), hint: 'How to fix it.', durationMs: 1 };
  });
}

describe('the status line when the checks end', () => {
  it('gives the score of the required checks and names the first that fails', () => {
    const verdict = checksVerdict({ kind: 'done', results: results({ [lastRequired.id]: 'get() answered null.' }) });
    expect(verdict).toEqual({
      text: `Checks: ${required.length - 1} of ${required.length} required pass; 1 fails: ${lastRequired.title}. Read the messages and hints under Checks.`,
      tone: 'error',
      first: expect.objectContaining({ id: lastRequired.id }),
    });
  });

  it('counts every required check that fails, and names the first in the page’s order', () => {
    const [first, second] = required;
    const verdict = checksVerdict({ kind: 'done', results: results({ [second!.id]: 'wrong', [first!.id]: 'wrong too' }) });
    expect(verdict.text).toBe(`Checks: ${required.length - 2} of ${required.length} required pass; 2 fail: ${first!.title}. Read the messages and hints under Checks.`);
    expect(verdict.first?.id).toBe(first!.id);
  });

  it('says the store is usable when only recommended checks fail, and names the first of those', () => {
    const verdict = checksVerdict({ kind: 'done', results: results({ [firstRecommended.id]: 'no' }) });
    expect(verdict).toEqual({
      text: `Checks: all ${required.length} required pass; 1 of ${recommended.length} recommended fails: ${firstRecommended.title}.`,
      tone: 'ok',
      first: expect.objectContaining({ id: firstRecommended.id }),
    });
  });

  it('says when every check passes', () => {
    expect(checksVerdict({ kind: 'done', results: results() })).toEqual({
      text: `Checks: all ${required.length} required and ${recommended.length} of ${recommended.length} recommended pass.`,
      tone: 'ok',
      first: null,
    });
  });

  it('says how many were not run when the store stopped answering', () => {
    const stuck = results({ [required[0]!.id]: 'Your store stopped answering.' }).map((result, index) => (index === 0 ? result : { ...result, passed: false, skipped: 'Not run: the checks were stopped.' }));
    const verdict = checksVerdict({ kind: 'stuck', checkId: required[0]!.id, method: 'get', results: stuck });
    expect(verdict.text).toBe(
      `Checks: 0 of ${required.length} required pass; 1 fails: ${required[0]!.title}. ${conformanceChecks.length - 1} not run. The checks were stopped: your store stopped answering. Read the messages and hints under Checks.`,
    );
  });

  it('says no check could run when the store did not load', () => {
    expect(checksVerdict({ kind: 'failed', message: 'MyStore has no get() method.' })).toEqual({
      text: 'Your store did not load, so no check could run. See the message under Checks.',
      tone: 'error',
      first: null,
    });
  });
});

describe('the Checks pane when the checks end', () => {
  let host: PlaygroundHost;
  let view: ChecksView;

  beforeEach(() => {
    host = Object.assign(document.createElement('div'), { show() {}, notify() {} }) as PlaygroundHost;
    // As on the page: the status line at the top, the Checks pane below the fold, a scroll box of its own.
    host.innerHTML = `
      <textarea data-pg="editor"></textarea>
      <button type="button" data-pg="checks">Run checks</button>
      <p role="status" data-pg="status" data-tone="busy"><span data-pg="status-text">Running…</span></p>
      <div style="height: 2000px"></div>
      <section class="pg-panel pg-checks" data-pg-panel="checks" style="max-height: 120px; overflow: auto">
        <p data-pg="checks-summary"></p>
        <p data-pg="checks-stale" hidden></p>
        <ol data-pg="checks-required"></ol>
        <ol data-pg="checks-recommended"></ol>
      </section>`;
    document.body.append(host);
    window.scrollTo(0, 0);
    view = new ChecksView(host, { lineButton: () => document.createElement('button'), log: () => {} });
    view.waiting();
  });

  afterEach(() => host.remove());

  function finish(outcome: CheckRunOutcome & { kind: 'done' }): void {
    for (const result of outcome.results) view.result(result);
    view.finished(outcome, 'typescript\ncode');
  }

  const line = (id: string) => host.querySelector<HTMLElement>(`[data-check="${id}"]`)!;
  const inside = (element: HTMLElement, box: DOMRect) => {
    const rect = element.getBoundingClientRect();
    return rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
  };
  const pane = () => host.querySelector<HTMLElement>('.pg-checks')!;

  it('writes the score in the status line', () => {
    finish({ kind: 'done', results: results({ [lastRequired.id]: 'get() answered null.' }) });
    expect(host.querySelector('[data-pg="status-text"]')?.textContent).toBe(checksVerdict({ kind: 'done', results: results({ [lastRequired.id]: 'x' }) }).text);
    expect(host.querySelector<HTMLElement>('[data-pg="status"]')?.dataset['tone']).toBe('error');
  });

  it('moves focus from the Run checks button to the first failing check, in view', () => {
    host.querySelector<HTMLElement>('[data-pg="checks"]')!.focus();
    finish({ kind: 'done', results: results({ [lastRequired.id]: 'get() answered null.' }) });
    const failing = line(lastRequired.id);
    expect(document.activeElement).toBe(failing);
    expect(failing.getAttribute('aria-label')).toBe(`${lastRequired.title}: failed`);
    expect(inside(failing, pane().getBoundingClientRect())).toBe(true);
    expect(inside(failing, new DOMRect(0, 0, window.innerWidth, window.innerHeight))).toBe(true);
  });

  it('leaves focus in the editor, and scrolls the pane to the first failing check', () => {
    const editor = host.querySelector<HTMLElement>('[data-pg="editor"]')!;
    editor.focus();
    finish({ kind: 'done', results: results({ [lastRequired.id]: 'get() answered null.' }) });
    expect(document.activeElement).toBe(editor);
    expect(inside(line(lastRequired.id), pane().getBoundingClientRect())).toBe(true);
  });

  it('moves nothing when every check passes', () => {
    const button = host.querySelector<HTMLElement>('[data-pg="checks"]')!;
    button.focus();
    finish({ kind: 'done', results: results() });
    expect(document.activeElement).toBe(button);
  });
});

describe('the status line when the checks end on code the Lab does not run', () => {
  it('keeps what it said of the Lab after the score, when that was a problem', () => {
    const host = Object.assign(document.createElement('div'), { show() {}, notify() {} }) as PlaygroundHost;
    host.innerHTML = `
      <p role="status" data-pg="status" data-tone="error"><span data-pg="status-text">BrokenStore (run 3) is checked in a worker of its own, not in the Lab. Press Run to serve it there again.</span></p>
      <section class="pg-checks"><p data-pg="checks-summary"></p><p data-pg="checks-stale" hidden></p><ol data-pg="checks-required"></ol><ol data-pg="checks-recommended"></ol></section>`;
    document.body.append(host);
    const view = new ChecksView(host, { lineButton: () => document.createElement('button'), log: () => {} });
    view.waiting();
    const outcome = { kind: 'done', results: results() } as const;
    view.finished(outcome, 'javascript\ncode');
    expect(host.querySelector('[data-pg="status-text"]')?.textContent).toBe(
      `${checksVerdict(outcome).text} BrokenStore (run 3) is checked in a worker of its own, not in the Lab. Press Run to serve it there again.`,
    );
    expect(host.querySelector<HTMLElement>('[data-pg="status"]')?.dataset['tone']).toBe('error');
    host.remove();
  });
});

describe('the status line when the store did not load for the checks', () => {
  it('says no check could run', () => {
    const host = Object.assign(document.createElement('div'), { show() {}, notify() {} }) as PlaygroundHost;
    host.innerHTML = `
      <p role="status" data-pg="status" data-tone="ok"><span data-pg="status-text">MyStore (run 2) runs in the Lab.</span></p>
      <section class="pg-checks"><p data-pg="checks-summary"></p><p data-pg="checks-stale" hidden></p><ol data-pg="checks-required"></ol><ol data-pg="checks-recommended"></ol></section>`;
    document.body.append(host);
    const view = new ChecksView(host, { lineButton: () => document.createElement('button'), log: () => {} });
    view.waiting();
    view.finished({ kind: 'failed', message: 'MyStore has no get() method.' }, 'javascript\ncode');
    expect(host.querySelector('[data-pg="status-text"]')?.textContent).toBe('Your store did not load, so no check could run. See the message under Checks.');
    expect(host.querySelector<HTMLElement>('[data-pg="status"]')?.dataset['tone']).toBe('error');
    host.remove();
  });
});
