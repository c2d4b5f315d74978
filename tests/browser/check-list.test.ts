/**
 * The check lines the playground and the exercise pages share (src/checks/check-list.ts), and the
 * controls around their editors (src/editor/editor-controls.ts), in a real DOM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkDetails, checkLine, markCheckLine, resetCheckLines, skipCheckLines } from '../../src/checks/check-list.ts';
import { markBusy, wireEditorControls } from '../../src/editor/editor-controls.ts';

const base = { id: 'create-get', title: 'A session you create can be read back', hint: 'Keep what create() was given.', durationMs: 1 };

function list(): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `<ul><li data-check="create-get" data-state="waiting"><div class="ex-check-detail"></div></li><li data-check="a&quot;b" data-state="waiting"></li></ul>`;
  document.body.append(root);
  return root;
}

afterEach(() => document.body.replaceChildren());

describe('a check line', () => {
  it('shows a failed check as failed, with what went wrong and how to fix it', () => {
    const item = checkLine(list(), 'create-get')!;
    const result = { ...base, passed: false, message: 'get() returned null.' };
    markCheckLine(item, result);
    expect(item.dataset['state']).toBe('fail');
    expect(item.getAttribute('aria-label')).toBe('A session you create can be read back: failed');
    expect(checkDetails(result, 'ex').map((node) => [node.className, node.textContent])).toEqual([
      ['ex-check-message', 'get() returned null.'],
      ['ex-check-hint', 'Keep what create() was given.'],
    ]);
  });

  it('shows a check that was not run as not run, with why and without a hint about a fault it never saw', () => {
    const item = checkLine(list(), 'create-get')!;
    const result = { ...base, passed: false, skipped: 'Not run: the checks were stopped.' };
    markCheckLine(item, result);
    expect(item.dataset['state']).toBe('skip');
    expect(item.getAttribute('aria-label')).toBe('A session you create can be read back: not run');
    expect(checkDetails(result, 'pg').map((node) => [node.className, node.textContent])).toEqual([['pg-check-message', 'Not run: the checks were stopped.']]);
  });

  it('shows a check of an optional method the store does not offer as not offered: neither passed nor failed, with what it misses and how to offer it', () => {
    const item = checkLine(list(), 'create-get')!;
    const result = { ...base, passed: false, skipped: 'not-offered', notOffered: 'all', message: 'The store has no all(): inspectors and admin tools cannot list its records.', hint: 'Offer all().' };
    markCheckLine(item, result);
    expect(item.dataset['state']).toBe('not-offered');
    expect(item.getAttribute('aria-label')).toBe('A session you create can be read back: not offered by this store');
    expect(checkDetails(result, 'pg').map((node) => [node.className, node.textContent])).toEqual([
      ['pg-check-message', 'Not offered (optional). The store has no all(): inspectors and admin tools cannot list its records.'],
      ['pg-check-hint', 'Offer all().'],
    ]);
  });

  it('shows a passed check as passed, with nothing under it', () => {
    const item = checkLine(list(), 'create-get')!;
    markCheckLine(item, { ...base, passed: true });
    expect([item.dataset['state'], item.getAttribute('aria-label')]).toEqual(['pass', 'A session you create can be read back: passed']);
    expect(checkDetails({ ...base, passed: true }, 'ex')).toEqual([]);
  });

  it('keeps text as text, and finds a line whatever its id holds', () => {
    const root = list();
    expect(checkLine(root, 'a"b')).not.toBeNull();
    const [message] = checkDetails({ ...base, passed: false, message: '<img src=x onerror=alert(1)>' }, 'ex');
    expect(message?.children).toHaveLength(0);
    expect(message?.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('goes back to waiting, details cleared, for a new run; or to not run when a run cannot start', () => {
    const root = list();
    const item = checkLine(root, 'create-get')!;
    markCheckLine(item, { ...base, passed: false, message: 'x' });
    item.querySelector('.ex-check-detail')!.append(...checkDetails({ ...base, passed: false, message: 'x' }, 'ex'));
    resetCheckLines(root, '.ex-check-detail');
    expect([item.dataset['state'], item.hasAttribute('aria-label'), item.querySelector('.ex-check-detail')!.childElementCount]).toEqual(['waiting', false, 0]);
    skipCheckLines(root);
    expect([...root.querySelectorAll<HTMLElement>('[data-check]')].map((line) => line.dataset['state'])).toEqual(['skip', 'skip']);
  });
});

describe('the controls around an editor', () => {
  function page() {
    const root = document.createElement('div');
    root.innerHTML = '<button data-b="go">Go</button><div data-editor><textarea></textarea></div><input>';
    document.body.append(root);
    const calls: string[] = [];
    const abort = new AbortController();
    const button = root.querySelector<HTMLElement>('[data-b="go"]')!;
    wireEditorControls(root, { buttons: [[button, () => calls.push('go')]], editorHost: '[data-editor]', run: () => calls.push('run'), save: () => calls.push('save') }, abort.signal);
    const key = (target: Element, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: true, bubbles: true, cancelable: true }));
    return { root, button, calls, abort, key };
  }

  it('run a button’s action on a click, but not while the button is busy', () => {
    const { button, calls } = page();
    button.click();
    const release = markBusy(button, 'Going…');
    expect([button.getAttribute('aria-disabled'), button.dataset['busy'], button.textContent]).toEqual(['true', '', 'Going…']);
    button.click();
    release();
    expect([button.hasAttribute('aria-disabled'), 'busy' in button.dataset, button.textContent]).toEqual([false, false, 'Go']);
    button.click();
    expect(calls).toEqual(['go', 'go']);
  });

  it('take Ctrl+Enter and Ctrl+S outside the editor, and leave them to the editor inside it', () => {
    const { root, calls, key } = page();
    expect(key(root.querySelector('input')!, 'Enter')).toBe(false);
    expect(key(root.querySelector('input')!, 'S')).toBe(false);
    expect(key(root.querySelector('textarea')!, 'Enter')).toBe(true);
    expect(calls).toEqual(['run', 'save']);
  });

  it('stop when their signal aborts', () => {
    const { root, button, calls, abort, key } = page();
    abort.abort();
    button.click();
    key(root.querySelector('input')!, 'Enter');
    expect(calls).toEqual([]);
  });
});
