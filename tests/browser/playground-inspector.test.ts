/**
 * The Lab's Inspector on a reader's store from the playground: a store that offers no all() does not
 * list its records, and the Inspector says so plainly, as a state of the store, not as an error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/session/index.ts';
import type { SimController } from '../../src/sim/protocol.ts';
import type { LabContext } from '../../src/components/lab/lab-context.ts';
import { LabInspector } from '../../src/components/lab/lab-inspector.ts';

afterEach(() => document.body.replaceChildren());

/** An Inspector in a bare Lab whose server answers `records()` with `records`, and its records status line. */
async function inspectorShowing(records: SessionRecord[] | null | Error): Promise<HTMLElement> {
  const root = document.createElement('div');
  root.innerHTML = '<table data-lab="records"><tbody data-lab="records-body"></tbody></table><p data-lab="records-status">Not started.</p>';
  document.body.append(root);
  let read!: () => void;
  const done = new Promise<void>((resolve) => (read = resolve));
  const controller = {
    servers: [{ id: 1, state: 'running' }],
    now: () => Date.now(),
    cookies: () => [],
    records: async () => {
      setTimeout(read);
      if (records instanceof Error) throw records;
      return records;
    },
  } as unknown as SimController;
  const context = {
    root,
    config: {},
    ready: Promise.resolve(controller),
    controller,
    store: { kind: 'module', url: 'blob:x', label: 'MyStore (run 2)' },
    part: (name: string) => root.querySelector(`[data-lab="${name}"]`),
    status: () => {},
    refresh: () => {},
  } as unknown as LabContext;
  new LabInspector(context).onStart(controller);
  await done;
  return root.querySelector<HTMLElement>('[data-lab="records-status"]')!;
}

describe('the Inspector’s records', () => {
  it('for a store that offers no all(): says plainly that it does not list its records, and how to add it, in a neutral tone', async () => {
    const status = await inspectorShowing(null);
    expect(status.textContent).toBe(
      'MyStore (run 2) does not list its records: it offers no all(), which is optional. To see them here, add all() and return every stored record (expired ones too, as copies).',
    );
    expect(status.dataset['tone']).toBe('');
    expect(status.hidden).toBe(false);
  });

  it('for a store whose records cannot be read: an error, said as one', async () => {
    const status = await inspectorShowing(new Error('MyStore (run 2).all() returned string, not an array of records.'));
    expect(status.textContent).toBe('The records could not be read: MyStore (run 2).all() returned string, not an array of records.');
    expect(status.dataset['tone']).toBe('bad');
  });

  it('for an empty store: nobody is signed in', async () => {
    const status = await inspectorShowing([]);
    expect(status.textContent).toBe('The store is empty: nobody is signed in.');
    expect(status.dataset['tone']).toBe('');
  });
});
